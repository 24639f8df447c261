namespace PerfRules.Clients.Tests.Infrastructure;

/// <summary>
/// The table every client test reads: for each implemented rule, consumer-app code that triggers it, and for each
/// fix, code the fix applies to with what the fixed app must contain. A new rule is covered by adding one
/// <see cref="RuleSample"/> and one <see cref="FixSample"/> per fix; a meta-test fails while a rule of the
/// release-tracking file has no sample.
/// </summary>
/// <remarks>The line a diagnostic is expected on carries the comment <c>// expect: PERFxxx</c>.</remarks>
public static class RuleSamples
{
    public static IReadOnlyList<RuleSample> All { get; } =
    [
        new("PERF005", "Samples/OrderEndpoints.cs", """
            namespace App.Samples;

            public static class OrderEndpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/orders/{id:regex(^\\d+$)}", (int id) => Results.Ok(id)); // expect: PERF005
                }
            }

            """),
        new("PERF008", "Samples/Pipeline.cs", """
            namespace App.Samples;

            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    app.UseAuthorization();
                    app.UseStaticFiles(); // expect: PERF008
                }
            }

            """),
        new("PERF001", "Samples/LogoController.cs", """
            namespace App.Samples;

            public sealed class LogoController : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                [Microsoft.AspNetCore.Mvc.HttpGet("/logo")]
                public Microsoft.AspNetCore.Mvc.IActionResult Logo() => File("~/img/logo.png", "image/png"); // expect: PERF001
            }

            """),
        new("PERF002", "Samples/WelcomeController.cs", """
            namespace App.Samples;

            [Microsoft.AspNetCore.OutputCaching.OutputCache(Duration = 60)]
            public sealed class WelcomeController : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                [Microsoft.AspNetCore.Mvc.HttpGet("/welcome")]
                public string Index() => "Welcome back, " + Request.Cookies["name"]; // expect: PERF002
            }

            """),
        new("PERF006", "Samples/FirstVisitController.cs", """
            namespace App.Samples;

            [Microsoft.AspNetCore.OutputCaching.OutputCache(Duration = 60)]
            public sealed class FirstVisitController : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                [Microsoft.AspNetCore.Mvc.HttpGet("/first-visit")]
                public string Index()
                {
                    Response.Cookies.Append("visited", "1"); // expect: PERF006
                    return "Welcome!";
                }
            }

            """),
        new("PERF004", "Samples/SlowController.cs", """
            namespace App.Samples;

            public sealed class SlowController : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                [Microsoft.AspNetCore.Mvc.HttpGet("/slow")]
                public string Get()
                {
                    System.Threading.Thread.Sleep(100); // expect: PERF004
                    return "done";
                }
            }

            """),
        new("PERF007", "Samples/ReportEndpoints.cs", """
            namespace App.Samples;

            public static class ReportEndpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/reports", () =>
                    {
                        System.Threading.Tasks.Task.Run(() => System.Console.WriteLine("building")); // expect: PERF007
                        return Results.Accepted();
                    });
                }
            }

            """),
        new("PERF003", "Samples/CatalogController.cs", """
            namespace App.Samples;

            public sealed class CatalogController : Microsoft.AspNetCore.Mvc.Controller
            {
                [Microsoft.AspNetCore.Mvc.HttpGet("/catalog")]
                public Microsoft.AspNetCore.Mvc.IActionResult Index() => View(); // expect: PERF003
            }

            """),
        // Razor views reach the analyzers as AdditionalFiles; the expectation marker sits in a Razor comment.
        new("PERF009", "Views/Home/Index.cshtml", """
            @foreach (var name in new[] { "Teapot", "Kettle" })
            {
                <partial name="_Item" model="name" /> @* // expect: PERF009 *@
            }

            """),
        new("PERF010", "Views/Shared/_Header.cshtml", """
            <cache expires-after="@TimeSpan.FromMinutes(10)">
                <p>Welcome back, @User.Identity?.Name</p> @* // expect: PERF010 *@
            </cache>

            """),
    ];

    public static IReadOnlyList<FixSample> Fixes { get; } =
    [
        // A regex no built-in constraint matches: the only fix is the extraction. (In a minimal-API template only braces
        // are escaped, "{{"; the "[[" escape belongs to MVC attribute routes.)
        new("PERF005", "PERF005.ExtractNamedConstraint", "Samples/ArticleEndpoints.cs", """
            namespace App.Samples;

            public static class ArticleEndpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/articles/{slug:regex(^[a-z0-9-]{{3,40}}$)}", (string slug) => Results.Ok(slug)); // expect: PERF005
                }
            }

            """,
            AppliedByDotnetFormat: "PERF005.ExtractNamedConstraint",
            Expected: new Dictionary<string, string[]>
            {
                ["Samples/ArticleEndpoints.cs"] = ["\"/articles/{slug:slug}\""],
                // The class joins Program.cs, which the registration edits: a new file would be added to the project file.
                ["Program.cs"] =
                [
                    "builder.Services.Configure<RouteOptions>(options => options.ConstraintMap[\"slug\"] = typeof(App.SlugRouteConstraint));",
                    "namespace App\n{",
                    "[GeneratedRegex(\"^[a-z0-9-]{3,40}$\"",
                    "sealed partial class SlugRouteConstraint : IRouteConstraint",
                ],
            },
            NotExpected: []),

        // A regex with a built-in equivalent for the bound parameter gets only the built-in fix (no class is generated).
        new("PERF005", "PERF005.UseBuiltInConstraint", "Samples/OrderEndpoints.cs", RuleSample("PERF005").Source,
            AppliedByDotnetFormat: "PERF005.UseBuiltInConstraint",
            Expected: new Dictionary<string, string[]>
            {
                ["Samples/OrderEndpoints.cs"] = ["\"/orders/{id:int:min(0)}\""],
            },
            NotExpected: ["IdRouteConstraint", "regex("]),

        new("PERF008", "PERF008.MoveBeforeExpensiveMiddleware", "Samples/Pipeline.cs", RuleSample("PERF008").Source,
            AppliedByDotnetFormat: "PERF008.MoveBeforeExpensiveMiddleware",
            Expected: new Dictionary<string, string[]>
            {
                ["Samples/Pipeline.cs"] = ["app.UseStaticFiles(); // expect: PERF008\n        app.UseAuthorization();"],
            },
            NotExpected: []),

        // Serve first: dotnet format applies the first fix offered. The route maps one-to-one onto wwwroot/css.
        new("PERF001", "PERF001.ServeWithStaticFileMiddleware", "Samples/AssetsController.cs", """
            namespace App.Samples;

            public sealed class AssetsController : Microsoft.AspNetCore.Mvc.Controller
            {
                private readonly Microsoft.AspNetCore.Hosting.IWebHostEnvironment _env;

                public AssetsController(Microsoft.AspNetCore.Hosting.IWebHostEnvironment env) => _env = env;

                [Microsoft.AspNetCore.Mvc.HttpGet("/assets/css/site.css")]
                public Microsoft.AspNetCore.Mvc.IActionResult SiteCss()
                {
                    var path = System.IO.Path.Combine(_env.WebRootPath, "css", "site.css");
                    return File(System.IO.File.ReadAllBytes(path), "text/css"); // expect: PERF001
                }
            }

            """,
            AppliedByDotnetFormat: "PERF001.ServeWithStaticFileMiddleware",
            Expected: new Dictionary<string, string[]>
            {
                ["Program.cs"] = ["app.UseStaticFiles(new StaticFileOptions", "RequestPath = \"/assets/css\""],
            },
            NotExpected: ["SiteCss", "ReadAllBytes"]),

        new("PERF002", "PERF002.VaryCacheByCookie", "Samples/WelcomeController.cs", RuleSample("PERF002").Source,
            AppliedByDotnetFormat: "PERF002.VaryCacheByCookie",
            Expected: new Dictionary<string, string[]>
            {
                ["Samples/WelcomeController.cs"] = ["VaryByHeaderNames = new[] { \"Cookie\" }"],
            },
            NotExpected: []),

        // dotnet format runs every fixer of a diagnostic id in turn; for a statement whose result the handler uses, only
        // "Use async" applies (the offload fix moves only work whose result the response does not use).
        new("PERF004", "PERF004.UseAsync", "Samples/ReportController.cs", """
            namespace App.Samples;

            public sealed class ReportController : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                [Microsoft.AspNetCore.Mvc.HttpGet("/report")]
                public string Get()
                {
                    var text = System.IO.File.ReadAllText("report.txt"); // expect: PERF004
                    return text;
                }
            }

            """,
            AppliedByDotnetFormat: "PERF004.UseAsync",
            Expected: new Dictionary<string, string[]>
            {
                ["Samples/ReportController.cs"] = ["public async Task<string> Get(", "await System.IO.File.ReadAllTextAsync(\"report.txt\""],
            },
            NotExpected: ["ReadAllText(\"report.txt\")", "IBackgroundWorkQueue"]),

        // The queue is generated into Program.cs (which gets the registration), not a new file: the project file stays unchanged.
        new("PERF007", "PERF004.OffloadToBackgroundQueue", "Samples/ReportEndpoints.cs", RuleSample("PERF007").Source,
            AppliedByDotnetFormat: "PERF004.OffloadToBackgroundQueue",
            Expected: new Dictionary<string, string[]>
            {
                ["Samples/ReportEndpoints.cs"] = ["IBackgroundWorkQueue", ".Enqueue("],
                ["Program.cs"] = ["builder.Services.AddHostedService<", "namespace App\n{", "interface IBackgroundWorkQueue"],
            },
            NotExpected: ["Task.Run("]),

        // An info rule: dotnet format needs --severity info. The consumer's Program.cs lacks the output cache: the fix
        // registers it (AddOutputCache before Build, UseOutputCache before the endpoints).
        new("PERF003", "PERF003.CacheRenderedOutput", "Samples/CatalogController.cs", RuleSample("PERF003").Source,
            AppliedByDotnetFormat: "PERF003.CacheRenderedOutput",
            Expected: new Dictionary<string, string[]>
            {
                ["Samples/CatalogController.cs"] = ["[OutputCache(Duration = 60)]"],
                ["Program.cs"] = ["builder.Services.AddOutputCache();", "app.UseOutputCache();\napp.MapGet("],
            },
            NotExpected: []),

        new("PERF006", "PERF006.DoNotStoreResponse", "Samples/FirstVisitController.cs", RuleSample("PERF006").Source,
            AppliedByDotnetFormat: "PERF006.DoNotStoreResponse",
            Expected: new Dictionary<string, string[]>
            {
                ["Samples/FirstVisitController.cs"] = ["NoStore = true"],
            },
            NotExpected: []),

    ];

    public static RuleSample RuleSample(string id)
        => All.FirstOrDefault(s => s.RuleId == id) ?? throw new ArgumentException("no sample for " + id, nameof(id));

    /// <summary>Every sample file of the table, for an app in which every implemented rule fires once.</summary>
    public static IEnumerable<KeyValuePair<string, string>> AllFiles()
        => All.Select(s => new KeyValuePair<string, string>(s.File, s.Source));
}

/// <summary>Code that triggers <see cref="RuleId"/> once, on the line marked <c>// expect: RuleId</c>.</summary>
public sealed record RuleSample(string RuleId, string File, string Source)
{
    public int ExpectedLine
    {
        get
        {
            var lines = Source.Split('\n');
            var index = Array.FindIndex(lines, l => l.Contains("// expect: " + RuleId, StringComparison.Ordinal));
            return index < 0 ? throw new InvalidOperationException($"{File} has no '// expect: {RuleId}' line") : index + 1;
        }
    }

    public override string ToString() => RuleId;
}

/// <summary>
/// Code a fix applies to. <see cref="AppliedByDotnetFormat"/> is the fix <c>dotnet format</c> applies to this code
/// (it applies one fix per diagnostic, whichever it chooses); <see cref="Expected"/> maps each file of the fixed
/// app to text it must contain; <see cref="NotExpected"/> is text no file may contain.
/// </summary>
public sealed record FixSample(
    string RuleId,
    string EquivalenceKey,
    string File,
    string Source,
    string AppliedByDotnetFormat,
    IReadOnlyDictionary<string, string[]> Expected,
    string[] NotExpected)
{
    public RuleSample AsRuleSample() => new(RuleId, File, Source);

    public override string ToString() => EquivalenceKey;
}
