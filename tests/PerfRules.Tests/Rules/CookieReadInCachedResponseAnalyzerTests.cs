using Microsoft.CodeAnalysis;
using CompilerDiagnostics = Microsoft.CodeAnalysis.Testing.CompilerDiagnostics;
using DiagnosticOptions = Microsoft.CodeAnalysis.Testing.DiagnosticOptions;
using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.CookieReadInCachedResponseAnalyzer>;

namespace PerfRules.Tests.Rules;

public sealed class CookieReadInCachedResponseAnalyzerTests
{
    private const string Usings = """
        using System.Linq;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.RazorPages;
        using Microsoft.AspNetCore.OutputCaching;

        """;

    private const string ProgramUsings = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.OutputCaching;
        using Microsoft.Extensions.DependencyInjection;

        """;

    // The start of a Program.cs with output caching registered and in the pipeline.
    private const string OutputCachedApp = """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddOutputCache();
        var app = builder.Build();
        app.UseOutputCache();

        """;

    [Fact]
    public async Task A_cookie_read_in_an_action_with_OutputCache_is_reported_with_the_attribute_as_source()
    {
        var source = Usings + """
            public class HomeController : Controller
            {
                [{|#1:OutputCache(Duration = 60)|}]
                public IActionResult Index() => Content({|#0:Request.Cookies["culture"]|} ?? "en");
            }
            """;

        await VerifyCS.AnalyzerAsync(source, new DiagnosticResult(CookieReadInCachedResponseAnalyzer.Rule).WithLocation(0).WithLocation(1)
            .WithArguments("'Request.Cookies[\"culture\"]' is read", "[OutputCache(Duration = 60)] on 'Index'"));
    }

    [Fact]
    public async Task TryGetValue_ContainsKey_and_enumeration_under_a_controller_OutputCache_are_each_reported()
    {
        var source = Usings + """
            [OutputCache]
            public class HomeController : Controller
            {
                public IActionResult A() => Content({|#0:Request.Cookies.TryGetValue("c", out var v)|} ? v : "");
                public IActionResult B() => Content({|#1:HttpContext.Request.Cookies.ContainsKey("c")|}.ToString());
                public IActionResult C() => Content(string.Join(",", {|#2:Request.Cookies|}.Select(c => c.Key)));
            }
            """;

        await VerifyCS.AnalyzerAsync(source,
            Direct(0, "'Request.Cookies.TryGetValue(\"c\", out var v)' is read", "[OutputCache] on 'HomeController'"),
            Direct(1, "'HttpContext.Request.Cookies.ContainsKey(\"c\")' is read", "[OutputCache] on 'HomeController'"),
            Direct(2, "'Request.Cookies' is read", "[OutputCache] on 'HomeController'"));
    }

    [Fact]
    public async Task The_Cookie_header_and_session_reads_under_a_public_ResponseCache_are_reported()
    {
        var source = Usings + """
            [ResponseCache(Duration = 60)]
            public class HomeController : Controller
            {
                public IActionResult A() => Content({|#0:Request.Headers["Cookie"]|}.ToString());
                public IActionResult B() => Content({|#1:Request.Headers.Cookie|}.ToString());
                public IActionResult C() => Content({|#2:HttpContext.Session.GetString("name")|} ?? "");
            }
            """;

        await VerifyCS.AnalyzerAsync(source,
            Direct(0, "the Cookie header is read ('Request.Headers[\"Cookie\"]')", "[ResponseCache(Duration = 60)] on 'HomeController'"),
            Direct(1, "the Cookie header is read ('Request.Headers.Cookie')", "[ResponseCache(Duration = 60)] on 'HomeController'"),
            Direct(2, "the session is read ('HttpContext.Session.GetString(\"name\")')", "[ResponseCache(Duration = 60)] on 'HomeController'"));
    }

    [Theory]
    [InlineData("[OutputCache(VaryByHeaderNames = new[] { \"Cookie\" })]")]
    [InlineData("[ResponseCache(Duration = 60, VaryByHeader = \"Cookie\")]")]
    [InlineData("[ResponseCache(Duration = 60, Location = ResponseCacheLocation.Client)]")]
    [InlineData("[ResponseCache(Duration = 60, Location = ResponseCacheLocation.None)]")]
    [InlineData("[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]")]
    [InlineData("[OutputCache(NoStore = true)]")]
    [InlineData("[OutputCache, HttpPost]")]
    [InlineData("")]
    public async Task A_cookie_read_is_not_reported_when_the_response_is_private_uncached_varied_by_cookie_or_not_GET(string attributes)
    {
        var source = Usings + "public class HomeController : Controller { " + attributes + " public IActionResult Index() => Content(Request.Cookies[\"c\"] ?? \"\"); }";

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Look_alikes_are_not_cookie_reads()
    {
        var source = Usings + """
            public sealed class Jar { public System.Collections.Generic.Dictionary<string, string> Cookies { get; } = new(); }

            [OutputCache]
            public class HomeController : Controller
            {
                public IActionResult A() => Content(Request.Query["culture"].ToString());
                public IActionResult B() => Content(Request.Headers["Cookie-Consent"].ToString());
                public IActionResult C(Jar jar) => Content(jar.Cookies["c"]);
                public IActionResult D() { Response.Cookies.Append("c", "v"); return Ok(); }
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_read_in_a_helper_of_the_controller_is_reported_at_the_call_naming_the_helper()
    {
        var source = Usings + """
            [OutputCache]
            public class HomeController : Controller
            {
                public IActionResult Index() => Content({|#0:GetCulture()|});
                private string GetCulture() => Request.Cookies["culture"] ?? "en";
            }
            """;

        await VerifyCS.AnalyzerAsync(source, Project(0, "'Request.Cookies[\"culture\"]' is read (through 'GetCulture()')", "[OutputCache] on 'HomeController'"));
    }

    [Fact]
    public async Task A_read_in_a_property_accessor_with_a_body_is_followed_and_an_auto_property_is_not()
    {
        var source = Usings + """
            public abstract class ThemedController : Controller
            {
                protected string Theme { get { return Request.Cookies["theme"] ?? "light"; } }
                protected string Lang { get => Request.Cookies["lang"] ?? Region; set { } }
                protected string Region { get; set; } = "eu";
            }

            [OutputCache]
            public class HomeController : ThemedController
            {
                public IActionResult Index() => Content({|#0:Theme|} + {|#1:Lang|});
                public IActionResult Plain() => Content(Region);
            }
            """;

        await VerifyCS.AnalyzerAsync(source,
            Project(0, "'Request.Cookies[\"theme\"]' is read (through 'Theme')", "[OutputCache] on 'HomeController'"),
            Project(1, "'Request.Cookies[\"lang\"]' is read (through 'Lang')", "[OutputCache] on 'HomeController'"));
    }

    [Fact]
    public async Task A_read_two_calls_deep_in_a_base_controller_is_reported_but_three_calls_deep_is_not()
    {
        var source = Usings + """
            public abstract class SiteController : Controller
            {
                protected bool IsLoggedIn() => HasSession();
                private bool HasSession() => Request.Cookies.ContainsKey("session");
                protected string Deep() => Level1();
                private string Level1() => Level2();
                private string Level2() => Request.Cookies["x"] ?? "";
                protected string UserName => Request.Cookies["name"] ?? "";
            }

            [OutputCache]
            public class HomeController : SiteController
            {
                public IActionResult Index() => Content({|#0:IsLoggedIn()|}.ToString());
                public IActionResult Other() => Content(Deep());
                public IActionResult Name() => Content({|#1:UserName|});
            }
            """;

        await VerifyCS.AnalyzerAsync(source,
            Project(0, "'Request.Cookies.ContainsKey(\"session\")' is read (through 'IsLoggedIn()')", "[OutputCache] on 'HomeController'"),
            Project(1, "'Request.Cookies[\"name\"]' is read (through 'UserName')", "[OutputCache] on 'HomeController'"));
    }

    [Fact]
    public async Task A_read_through_a_helper_of_a_generic_base_controller_is_reported_at_the_call()
    {
        var source = Usings + """
            public abstract class EntityController<TEntity> : Controller
            {
                protected string Culture() => Request.Cookies["culture"] ?? "en";
                protected string Title(TEntity entity) => entity!.ToString()!;
            }

            [OutputCache]
            public class ProductsController : EntityController<int>
            {
                public IActionResult Index() => Content({|#0:Culture()|});
                public IActionResult Details() => Content(Title(2));
            }
            """;

        await VerifyCS.AnalyzerAsync(source, Project(0, "'Request.Cookies[\"culture\"]' is read (through 'Culture()')", "[OutputCache] on 'ProductsController'"));
    }

    [Fact]
    public async Task A_read_through_a_helper_of_an_action_cached_only_by_MapControllers_CacheOutput_is_reported_with_the_convention()
    {
        var test = new AnalyzerTest<CookieReadInCachedResponseAnalyzer>
        {
            TestCode = ProgramUsings + OutputCachedApp + """
                app.MapControllers().CacheOutput();
                app.Run();

                public class HomeController : Controller
                {
                    public IActionResult Index() => Content({|#0:Culture|});
                    [HttpPost] public IActionResult Save() => Content(Culture);
                    private string Culture => Request.Cookies["culture"] ?? "en";
                }
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Project(0, "'Request.Cookies[\"culture\"]' is read (through 'Culture')", "'.CacheOutput()' on MapControllers()"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Helpers_called_on_this_on_base_or_statically_are_followed_and_on_another_controller_are_not()
    {
        // Another instance of the hierarchy has its own request (here none): its cookies are not this response's.
        var source = Usings + """
            public abstract class SiteController : Controller
            {
                protected string Culture() => Request.Cookies["culture"] ?? "en";
                protected string Lang => Request.Cookies["lang"] ?? "en";
                protected static string Theme(HttpRequest request) => request.Cookies["theme"] ?? "light";
            }

            [OutputCache]
            public class HomeController : SiteController
            {
                public IActionResult Index() => Content({|#0:this.Culture()|} + {|#1:base.Lang|});
                public IActionResult Themed() => Content({|#2:Theme(Request)|});
                public IActionResult Other()
                {
                    var other = new HomeController();
                    return Content(other.Culture() + other.Lang);
                }
            }
            """;

        await VerifyCS.AnalyzerAsync(source,
            Project(0, "'Request.Cookies[\"culture\"]' is read (through 'Culture()')", "[OutputCache] on 'HomeController'"),
            Project(1, "'Request.Cookies[\"lang\"]' is read (through 'Lang')", "[OutputCache] on 'HomeController'"),
            Project(2, "'request.Cookies[\"theme\"]' is read (through 'Theme()')", "[OutputCache] on 'HomeController'"));
    }

    [Fact]
    public async Task A_read_in_a_service_outside_the_controller_hierarchy_is_not_followed()
    {
        var source = Usings + """
            public sealed class CultureService { public string Get(HttpRequest r) => r.Cookies["culture"] ?? "en"; }

            [OutputCache]
            public class HomeController : Controller
            {
                public IActionResult Index([FromServices] CultureService s) => Content(s.Get(Request));
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_page_model_with_OutputCache_reports_reads_in_its_GET_handler_only_directly_and_through_a_helper()
    {
        var source = Usings + """
            [OutputCache]
            public class IndexModel : PageModel
            {
                public string? Name { get; private set; }
                public void OnGet() => Name = {|#0:Request.Cookies["name"]|} + {|#1:ReadName()|};
                public void OnPost() => Name = Request.Cookies["name"] + ReadName();
                private string ReadName() => Request.Cookies["nick"] ?? "";
            }
            """;

        await VerifyCS.AnalyzerAsync(source,
            Direct(0, "'Request.Cookies[\"name\"]' is read", "[OutputCache] on 'IndexModel'"),
            Project(1, "'Request.Cookies[\"nick\"]' is read (through 'ReadName()')", "[OutputCache] on 'IndexModel'"));
    }

    [Fact]
    public async Task An_endpoint_with_CacheOutput_and_MapControllers_with_CacheOutput_are_reported_with_their_convention()
    {
        var test = new AnalyzerTest<CookieReadInCachedResponseAnalyzer>
        {
            TestCode = ProgramUsings + OutputCachedApp + """
                app.MapGet("/hello", (HttpRequest request) => "Hello " + {|#0:request.Cookies["name"]|}).CacheOutput();
                app.MapGet("/varied", (HttpRequest request) => "Hello " + request.Cookies["name"]).CacheOutput(p => p.SetVaryByHeader("Cookie"));
                app.MapControllers().CacheOutput();
                app.Run();

                public class HomeController : Controller
                {
                    public IActionResult Index() => Content({|#1:Request.Cookies["name"]|} ?? "");
                }
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Direct(0, "'request.Cookies[\"name\"]' is read", "'.CacheOutput()' on the endpoint"));
        test.ExpectedDiagnostics.Add(Project(1, "'Request.Cookies[\"name\"]' is read", "'.CacheOutput()' on MapControllers()"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Methods_mapped_as_method_groups_are_reported_under_their_endpoint_or_route_group_cache()
    {
        var source = ProgramUsings + """
            public static class ShopEndpoints
            {
                public static void Map(WebApplication app)
                {
                    var shop = app.MapGroup("/shop");
                    shop.CacheOutput();
                    shop.MapGet("/greet", Greet);
                    app.MapGet("/hello", Hello).CacheOutput();
                    app.MapGet("/plain", Plain);
                    app.MapPost("/posted", Posted).CacheOutput();
                }

                private static string Hello(HttpRequest request) => "Hello " + {|#0:request.Cookies["name"]|};

                private static string Greet(HttpRequest request) => "Hi " + {|#1:request.Cookies["name"]|};

                private static string Plain(HttpRequest request) => "Hi " + request.Cookies["name"];

                private static string Posted(HttpRequest request) => "Hi " + request.Cookies["name"];
            }
            """;

        await VerifyCS.AnalyzerAsync(source,
            Direct(0, "'request.Cookies[\"name\"]' is read", "'.CacheOutput()' on the endpoint"),
            Direct(1, "'request.Cookies[\"name\"]' is read", "'.CacheOutput()' on the route group"));
    }

    [Fact]
    public async Task A_read_in_a_helper_of_Program_written_in_another_file_is_reported_for_the_endpoint_that_calls_it()
    {
        await VerifyTwoFilesAsync(ProgramUsings + """
            var app = WebApplication.Create(args);
            app.MapGet("/hello", (HttpRequest request) => "Hello " + {|#0:Culture(request)|}).CacheOutput();
            app.MapGet("/plain", (HttpRequest request) => "Hello " + Culture(request));
            app.Run();
            """, """
            using Microsoft.AspNetCore.Http;

            partial class Program
            {
                static string Culture(HttpRequest request) => request.Cookies["culture"] ?? "en";
            }
            """, OutputKind.ConsoleApplication);
    }

    [Fact]
    public async Task A_read_two_calls_deep_in_the_base_class_of_an_endpoint_class_is_reported()
    {
        await VerifyTwoFilesAsync(ProgramUsings + """
            public sealed class ShopEndpoints : EndpointBase
            {
                public static void Register(WebApplication app)
                    => app.MapGet("/shop", (HttpRequest request) => {|#0:Culture(request)|}).CacheOutput();
            }
            """, """
            using Microsoft.AspNetCore.Http;

            public abstract class EndpointBase
            {
                protected static string Culture(HttpRequest request) => Read(request);
                private static string Read(HttpRequest request) => request.Cookies["culture"] ?? "en";
            }
            """, OutputKind.DynamicallyLinkedLibrary);
    }

    [Fact]
    public async Task A_partial_controller_with_the_attribute_in_another_file_is_reported_and_the_vary_fix_is_not_offered_across_files()
    {
        var test = new CodeFixTest<CookieReadInCachedResponseAnalyzer, CookieReadInCachedResponseFixer>
        {
            CodeActionEquivalenceKey = PerfRules.Caching.CacheAttributeEdits.VaryByCookieKey,
        };
        test.TestState.Sources.Add(Usings + "[OutputCache] public partial class HomeController : Controller { }");
        test.TestState.Sources.Add(Usings + """public partial class HomeController { public IActionResult Index() => Content({|#0:Request.Cookies["c"]|} ?? ""); }""");
        test.FixedState.Sources.Add(Usings + "[OutputCache] public partial class HomeController : Controller { }");
        test.FixedState.Sources.Add(Usings + """public partial class HomeController { public IActionResult Index() => Content({|#0:Request.Cookies["c"]|} ?? ""); }""");
        var expected = Direct(0, "'Request.Cookies[\"c\"]' is read", "[OutputCache] on 'HomeController'");
        test.ExpectedDiagnostics.Add(expected);
        test.FixedState.ExpectedDiagnostics.Add(expected);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_project_without_AspNetCore_gets_no_analysis()
    {
        var test = new AnalyzerTest<CookieReadInCachedResponseAnalyzer>(withAspNetCore: false)
        {
            TestCode = """
                public sealed class OutputCacheAttribute : System.Attribute { }
                public sealed class Request { public static System.Collections.Generic.Dictionary<string, string> Cookies { get; } = new(); }
                [OutputCache] public class HomeController { public string Index() => Request.Cookies["c"]; }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Code_being_typed_raises_no_exception()
    {
        var test = new AnalyzerTest<CookieReadInCachedResponseAnalyzer>
        {
            TestCode = Usings + """
                [OutputCache(PolicyName = )]
                public class HomeController : Controller
                {
                    [ResponseCache(CacheProfileName = Missing)]
                    public IActionResult Index() => Content(Request.Cookies[
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        await test.RunAsync();
    }

    // An endpoint in the first file reads the culture cookie through Culture(), a helper written in the second file.
    private static async Task VerifyTwoFilesAsync(string endpoints, string helpers, OutputKind outputKind)
    {
        var test = new AnalyzerTest<CookieReadInCachedResponseAnalyzer>();
        test.TestState.Sources.Add(endpoints);
        test.TestState.Sources.Add(helpers);
        test.TestState.OutputKind = outputKind;
        test.ExpectedDiagnostics.Add(Project(0, "'request.Cookies[\"culture\"]' is read (through 'Culture()')", "'.CacheOutput()' on the endpoint"));
        await test.RunAsync();
    }

    private static DiagnosticResult Direct(int location, string use, string source)
        => new DiagnosticResult(CookieReadInCachedResponseAnalyzer.Rule).WithLocation(location).WithArguments(use, source).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static DiagnosticResult Project(int location, string use, string source)
        => new DiagnosticResult(CookieReadInCachedResponseAnalyzer.ProjectRule).WithLocation(location).WithArguments(use, source).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
