using System.Text;

namespace PerfRules.Benchmarks;

/// <summary>A named set of C# files, its Razor views (handed to the analyzers as AdditionalFiles) and whether it references ASP.NET Core.</summary>
internal sealed record Workload(string Name, IReadOnlyList<(string Path, string Text)> Files, bool AspNetCore, bool Executable)
{
    public IReadOnlyList<(string Path, string Text)> AdditionalFiles { get; init; } = Array.Empty<(string, string)>();
}

/// <summary>
/// Generates the benchmark's code bases: a large ASP.NET Core application (controllers with actions and attribute
/// routes, some with regex constraints; MVC controllers with Razor views; Razor Pages; minimal-API endpoint groups;
/// middleware; a Program.cs) whose size grows linearly with <c>scale</c>, and a plain library of the same shape without
/// ASP.NET Core.
/// </summary>
internal static class WorkloadGenerator
{
    public const int EndpointsPerFile = 20;

    /// <summary>Controllers (each with a model class and 4 actions) at 1×; endpoint files (20 endpoints each) are a twentieth of it.</summary>
    public static int ControllersPerScale { get; set; } = 250;

    private static int EndpointFilesPerScale => Math.Max(1, ControllersPerScale / 20);

    /// <summary>MVC controllers with views (two views each), and Razor Pages, at 1×: a tenth of the API controllers each.</summary>
    private static int ViewControllersPerScale => Math.Max(1, ControllersPerScale / 10);

    /// <summary>Where the generated views say they are (a build hands the analyzers full paths).</summary>
    private const string ProjectFolder = "/src/GeneratedApp/";

    public const string WebGlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    private const string PlainGlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static Workload AspNetCoreApp(int scale)
    {
        var files = new List<(string, string)> { ("GlobalUsings.cs", WebGlobalUsings), ("Program.cs", Program(scale)) };
        for (var i = 0; i < ControllersPerScale * scale; i++)
        {
            files.Add(($"Controllers/Resource{i}Controller.cs", Controller(i)));
            files.Add(($"Models/Resource{i}.cs", Model(i, aspNetCore: true)));
        }

        for (var f = 0; f < EndpointFilesPerScale * scale; f++)
        {
            files.Add(($"Endpoints/Group{f}Endpoints.cs", EndpointGroup(f)));
        }

        var views = new List<(string, string)>
        {
            (ProjectFolder + "Views/_ViewImports.cshtml", "@using Generated.Models\n@addTagHelper *, Microsoft.AspNetCore.Mvc.TagHelpers\n"),
            (ProjectFolder + "Views/_ViewStart.cshtml", "@{\n    Layout = \"_Layout\";\n}\n"),
            (ProjectFolder + "Views/Shared/_Layout.cshtml", Layout()),
            (ProjectFolder + "Views/Shared/_Item.cshtml", "@model Generated.Models.Resource0\n<li>@Model.Name: @Model.Price.ToString(\"C\")</li>\n"),
            (ProjectFolder + "Pages/_ViewImports.cshtml", "@addTagHelper *, Microsoft.AspNetCore.Mvc.TagHelpers\n"),
        };
        for (var k = 0; k < ViewControllersPerScale * scale; k++)
        {
            files.Add(($"Controllers/Catalog{k}Controller.cs", ViewController(k)));
            views.Add(($"{ProjectFolder}Views/Catalog{k}/Index.cshtml", IndexView(k)));
            views.Add(($"{ProjectFolder}Views/Catalog{k}/Details.cshtml", DetailsView(k)));
            views.Add(($"{ProjectFolder}Pages/Item{k}.cshtml", Page(k)));
        }

        files.Add(("Middleware/TimingMiddleware.cs", Middleware()));
        return new Workload($"generated ASP.NET Core app {scale}×", files, AspNetCore: true, Executable: true) { AdditionalFiles = views };
    }

    public static Workload PlainLibrary(int scale)
    {
        var files = new List<(string, string)> { ("GlobalUsings.cs", PlainGlobalUsings) };
        for (var i = 0; i < ControllersPerScale * scale; i++)
        {
            files.Add(($"Services/Resource{i}Service.cs", Service(i)));
            files.Add(($"Models/Resource{i}.cs", Model(i, aspNetCore: false)));
        }

        return new Workload($"generated library without ASP.NET Core {scale}×", files, AspNetCore: false, Executable: false);
    }

    /// <summary>Writes a workload to disk (to look at it or build it with the SDK).</summary>
    public static void Write(Workload workload, string directory)
    {
        foreach (var (path, text) in workload.Files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        foreach (var (path, text) in workload.AdditionalFiles)
        {
            var full = Path.Combine(directory, path.StartsWith(ProjectFolder, StringComparison.Ordinal) ? path[ProjectFolder.Length..] : Path.GetFileName(path));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
    }

    private static string Program(int scale)
    {
        var builder = new StringBuilder();
        builder.AppendLine("using Generated.Endpoints;\nusing Generated.Middleware;\n");
        builder.AppendLine("var builder = WebApplication.CreateBuilder(args);");
        builder.AppendLine("builder.Services.AddControllersWithViews();\nbuilder.Services.AddRazorPages();\nbuilder.Services.AddAuthentication();\nbuilder.Services.AddAuthorization();");
        builder.AppendLine("var app = builder.Build();");
        builder.AppendLine("app.UseRouting();\napp.UseAuthentication();\napp.UseAuthorization();\napp.UseMiddleware<TimingMiddleware>();");
        builder.AppendLine("app.UseStaticFiles();");
        builder.AppendLine("app.MapControllers();\napp.MapDefaultControllerRoute();\napp.MapRazorPages();");
        builder.AppendLine("app.MapGet(\"/health/{probe:regex(^(live|ready)$)}\", (string probe) => Results.Ok(probe));");
        for (var f = 0; f < EndpointFilesPerScale * scale; f++)
        {
            builder.AppendLine($"Group{f}Endpoints.Map(app);");
        }

        builder.AppendLine("app.Run();");
        return builder.ToString();
    }

    private static string Controller(int i)
    {
        // One in four controllers has a regex constraint, half of them replaceable by a built-in one.
        var idConstraint = (i % 8) switch
        {
            0 => ":regex(^\\\\d+$)",
            4 => ":regex(^[a-z]{{2}}-\\\\d{{4}}$)",
            _ => ":int",
        };
        return $$"""
            using Microsoft.AspNetCore.Mvc;
            using Generated.Models;

            namespace Generated.Controllers;

            [ApiController]
            [Route("api/resource{{i}}")]
            public sealed class Resource{{i}}Controller : ControllerBase
            {
                private static readonly List<Resource{{i}}> Store = new();

                [HttpGet]
                public IEnumerable<Resource{{i}}> List([FromQuery] int page = 0, [FromQuery] int size = 20)
                    => Store.Skip(page * size).Take(size);

                [HttpGet("{id{{idConstraint}}}")]
                public ActionResult<Resource{{i}}> Get(string id)
                {
                    var found = Store.FirstOrDefault(r => r.Id.ToString() == id);
                    return found is null ? NotFound() : Ok(found);
                }

                [HttpPost]
                public async Task<IActionResult> Create(Resource{{i}} resource, CancellationToken cancellationToken)
                {
                    await Task.Delay(0, cancellationToken);
                    Store.Add(resource);
                    return CreatedAtAction(nameof(Get), new { id = resource.Id }, resource);
                }

                [HttpDelete("{id:int}")]
                public IActionResult Delete(int id)
                {
                    var removed = Store.RemoveAll(r => r.Id == id);
                    return removed == 0 ? NotFound() : NoContent();
                }
            }
            """;
    }

    // An MVC controller whose actions render views (its model is the API controller's of the same number).
    private static string ViewController(int k) => $$"""
        using Microsoft.AspNetCore.Mvc;
        using Generated.Models;

        namespace Generated.Controllers;

        public sealed class Catalog{{k}}Controller : Controller
        {
            private static readonly List<Resource{{k}}> Items = new();

            public IActionResult Index() => View(Items);

            public IActionResult Details(int id)
                => Items.FirstOrDefault(r => r.Id == id) is { } item ? View(item) : NotFound();

            [HttpPost]
            [ValidateAntiForgeryToken]
            public IActionResult Save(Resource{{k}} item)
            {
                Items.Add(item);
                return RedirectToAction(nameof(Index));
            }
        }
        """;

    private static string Layout() => """
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8" />
            <title>@ViewData["Title"] - Generated</title>
            <link rel="stylesheet" href="~/css/site.css" asp-append-version="true" />
        </head>
        <body>
            <header>
                <cache expires-after="@TimeSpan.FromMinutes(10)">
                    <nav><a asp-controller="Catalog0" asp-action="Index">Catalog</a></nav>
                </cache>
            </header>
            <main>@RenderBody()</main>
            <footer>&copy; @DateTime.UtcNow.Year</footer>
        </body>
        </html>
        """;

    // One index in four renders a partial per item (PERF009), one in eight greets the user inside a shared cache tag (PERF010).
    private static string IndexView(int k)
    {
        var greeting = k % 8 == 1
            ? "<cache expires-after=\"@TimeSpan.FromMinutes(5)\">\n    <p>Welcome back, @User.Identity?.Name</p>\n</cache>"
            : "<cache vary-by-user=\"true\" expires-after=\"@TimeSpan.FromMinutes(5)\">\n    <p>Welcome back, @User.Identity?.Name</p>\n</cache>";
        var item = k % 4 == 0
            ? "        <partial name=\"_Item\" model=\"item\" />"
            : "        <li><a asp-action=\"Details\" asp-route-id=\"@item.Id\">@item.Name</a>: @item.Price.ToString(\"C\")</li>";
        return $$"""
            @model IEnumerable<Resource{{k}}>
            @{
                ViewData["Title"] = "Catalog {{k}}";
            }
            <h1>@ViewData["Title"]</h1>
            {{greeting}}
            <ul>
                @foreach (var item in Model)
                {
            {{item}}
                }
            </ul>
            @if (!Model.Any())
            {
                <p>Nothing here yet.</p>
            }
            """;
    }

    private static string DetailsView(int k) => $$"""
        @model Resource{{k}}
        @{
            ViewData["Title"] = Model.Name;
        }
        <h1>@Model.Name</h1>
        <p>@Model.Price.ToString("C"), since @Model.Created.ToString("d")</p>
        <form asp-action="Save" method="post">
            <input asp-for="Name" />
            <input asp-for="Price" />
            <button type="submit">Save</button>
        </form>
        """;

    // A Razor page with a route; one in eight constrains it with a regex (PERF005).
    private static string Page(int k)
    {
        var route = k % 8 == 3 ? "{code:regex(^[a-z]{{3}}$)}" : "{id:int}";
        return $$"""
            @page "/items/{{k}}/{{route}}"
            @{
                ViewData["Title"] = "Item {{k}}";
            }
            <h1>Item {{k}}</h1>
            <ol>
                @for (var i = 0; i < 3; i++)
                {
                    <li>Row @i</li>
                }
            </ol>
            """;
    }

    private static string Model(int i, bool aspNetCore)
        => $$"""
            namespace Generated.Models;

            public sealed class Resource{{i}}
            {
                public int Id { get; set; }
                public string Name { get; set; } = "{{(aspNetCore ? "web" : "lib")}}";
                public decimal Price { get; set; }
                public DateTimeOffset Created { get; set; } = DateTimeOffset.UtcNow;
                public override string ToString() => $"{Id}:{Name}:{Price}";
            }
            """;

    private static string Service(int i)
        => $$"""
            using Generated.Models;

            namespace Generated.Services;

            public sealed class Resource{{i}}Service
            {
                private readonly List<Resource{{i}}> _store = new();

                public IEnumerable<Resource{{i}}> List(int page = 0, int size = 20) => _store.Skip(page * size).Take(size);

                public Resource{{i}}? Get(int id) => _store.FirstOrDefault(r => r.Id == id);

                public async Task<Resource{{i}}> CreateAsync(Resource{{i}} resource, CancellationToken cancellationToken)
                {
                    await Task.Delay(0, cancellationToken);
                    _store.Add(resource);
                    return resource;
                }

                public bool Delete(int id) => _store.RemoveAll(r => r.Id == id) > 0;
            }
            """;

    private static string EndpointGroup(int f)
    {
        var builder = new StringBuilder();
        builder.AppendLine($"namespace Generated.Endpoints;\n\npublic static class Group{f}Endpoints\n{{");
        builder.AppendLine("    public static void Map(IEndpointRouteBuilder endpoints)\n    {");
        builder.AppendLine($"        var group = endpoints.MapGroup(\"/g{f}\");");
        for (var e = 0; e < EndpointsPerFile; e++)
        {
            var route = (e % 5) switch
            {
                0 => $"/items{e}/{{id:regex(^\\\\d+$)}}",
                1 => $"/items{e}/{{code:regex(^[A-Z]{{{{3}}}}\\\\d+$)}}",
                2 => $"/items{e}/{{id:int:min(1)}}",
                _ => $"/items{e}/{{name}}",
            };
            builder.AppendLine(e % 2 == 0
                ? $"        group.MapGet(\"{route}\", (string value) => Results.Ok(value + \"{e}\"));"
                : $"        endpoints.MapPost(\"/g{f}{route}\", async (HttpContext context) => {{ await context.Response.WriteAsync(\"{e}\"); }});");
        }

        builder.AppendLine("    }\n}");
        return builder.ToString();
    }

    private static string Middleware() => """
        namespace Generated.Middleware;

        public sealed class TimingMiddleware
        {
            private readonly RequestDelegate _next;

            public TimingMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                var started = DateTime.UtcNow;
                await _next(context);
                context.Response.Headers["X-Elapsed"] = (DateTime.UtcNow - started).TotalMilliseconds.ToString();
            }
        }
        """;
}
