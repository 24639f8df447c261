using Microsoft.CodeAnalysis;
using CompilerDiagnostics = Microsoft.CodeAnalysis.Testing.CompilerDiagnostics;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.TemplateRenderedWithoutOutputCacheAnalyzer>;

namespace PerfRules.Tests.Rules;

/// <summary>PERF003: the analyzer (positives per handler kind, look-alike negatives, bad input) and the "Cache the rendered output" fix.</summary>
public sealed partial class TemplateRenderedWithoutOutputCacheTests
{
    private const string Usings = """
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.RazorPages;
        using Microsoft.AspNetCore.OutputCaching;

        """;

    private const string ProgramUsings = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Components;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.OutputCaching;
        using Microsoft.Extensions.DependencyInjection;

        """;

    private const string Component = """

        public sealed class CatalogPage : ComponentBase { }
        """;

    // ---------------------------------------------------------------- positives

    [Fact]
    public async Task An_action_returning_View_is_reported_once_at_its_name_with_advice_in_the_message()
    {
        var source = Usings + """
            public class HomeController : Controller
            {
                public IActionResult {|#0:Index|}(bool compact) => compact ? View("Compact") : View();
            }
            """;

        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic(RuleIdentifiers.TemplateRenderedWithoutOutputCache).WithLocation(0)
            .WithSeverity(DiagnosticSeverity.Info)
            .WithMessage("Advice: 'HomeController.Index' renders a view on every GET request and nothing caches the output; if the page is the same for every visitor, cache the rendered output"));
    }

    [Fact]
    public async Task PartialView_ViewComponent_and_a_created_ViewResult_each_make_their_GET_action_reported()
    {
        var source = Usings + """
            public class HomeController : Controller
            {
                [HttpGet("/menu")]
                public IActionResult [|Menu|]() => PartialView("_Menu");

                [AcceptVerbs("GET", "POST")]
                public IActionResult [|Cart|]() => ViewComponent("Cart");

                public IActionResult [|Legacy|]() => new ViewResult { ViewName = "Legacy" };

                public async Task<IActionResult> [|Slow|]()
                {
                    await Task.Yield();
                    return View();
                }
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_Razor_page_handler_that_returns_nothing_or_Page_is_reported_and_its_post_handler_is_not()
    {
        var source = Usings + """
            public class IndexModel : PageModel
            {
                public void [|OnGet|]() { }
                public Task<IActionResult> [|OnGetDetailsAsync|](int id) => Task.FromResult<IActionResult>(Page());
                public IActionResult OnPost() => Page();
                public IActionResult OnGetRedirect() => RedirectToPage("/Other");
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_MapGet_lambda_and_a_local_function_returning_a_RazorComponentResult_are_reported_at_the_handler()
    {
        var source = ProgramUsings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/catalog", [|() =>|] new RazorComponentResult<CatalogPage>());
                    app.MapGet("/catalog/{id}", [|(int id) =>|] new RazorComponentResult(typeof(CatalogPage), new { Id = id }));
                    app.MapGet("/local", Render);
                    app.MapPost("/catalog", () => new RazorComponentResult<CatalogPage>());

                    RazorComponentResult [|Render|]() => new RazorComponentResult<CatalogPage>();
                }
            }
            """ + Component;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Methods_mapped_as_method_groups_are_reported_at_the_method_unless_their_endpoint_is_cached_or_not_GET()
    {
        var source = ProgramUsings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/catalog", Catalog);
                    app.MapGet("/cached", Cached).CacheOutput();
                    app.MapPost("/posted", Posted);
                }

                private static RazorComponentResult [|Catalog|]() => new RazorComponentResult<CatalogPage>();

                private static RazorComponentResult Cached() => new RazorComponentResult<CatalogPage>();

                private static RazorComponentResult Posted() => new RazorComponentResult<CatalogPage>();
            }
            """ + Component;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task An_AllowAnonymous_action_of_an_Authorize_controller_is_public_and_reported()
    {
        var source = Usings + """
            [Authorize]
            public class AccountController : Controller
            {
                public IActionResult Profile() => View();

                [AllowAnonymous]
                public IActionResult [|Login|]() => View();
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    // ---------------------------------------------------------------- look-alikes and covered handlers

    [Fact]
    public async Task A_POST_only_action_and_actions_that_render_no_template_are_not_reported()
    {
        var source = Usings + """
            public class HomeController : Controller
            {
                [HttpPost]
                public IActionResult Save() => View();

                public IActionResult Data() => Json(new { a = 1 });
                public IActionResult Text() => Content("hello");
                public IActionResult Nothing() => Ok();
                public IActionResult Deferred() => Helper(() => View());

                private IActionResult Helper(System.Func<IActionResult> render) => render();
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_method_named_View_that_is_not_Controller_View_is_not_a_template_render()
    {
        var source = Usings + """
            public sealed class Renderer
            {
                public IActionResult View() => new OkResult();
            }

            public class ApiController : ControllerBase
            {
                private readonly Renderer _renderer = new();

                public IActionResult Index() => _renderer.View();
            }

            public class ShadowController : Controller
            {
                public IActionResult Index() => View();

                public new IActionResult View() => new OkResult();
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Authorize_on_the_action_the_controller_a_base_controller_or_the_page_model_silences_the_rule()
    {
        var source = Usings + """
            public class PlainController : Controller
            {
                [Authorize]
                public IActionResult Index() => View();
            }

            [Authorize(Roles = "admin")]
            public abstract class AdminBaseController : Controller { }

            public class ReportsController : AdminBaseController
            {
                public IActionResult Index() => View();
            }

            [Authorize]
            public class SecretModel : PageModel
            {
                public void OnGet() { }
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Any_cache_attribute_on_the_action_controller_base_controller_or_page_model_silences_the_rule()
    {
        var source = Usings + """
            [OutputCache(Duration = 30)]
            public abstract class CachedBaseController : Controller { }

            public class NewsController : CachedBaseController
            {
                public IActionResult Index() => View();
            }

            [OutputCache(PolicyName = "NotRegisteredAnywhere")]
            public class BlogController : Controller
            {
                public IActionResult Index() => View();
            }

            public class PersonalController : Controller
            {
                [OutputCache(NoStore = true)]
                public IActionResult Dashboard() => View();

                [ResponseCache(Duration = 60, Location = ResponseCacheLocation.Client)]
                public IActionResult ClientOnly() => View();

                [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
                public IActionResult Never() => View();
            }

            [OutputCache]
            public class AboutModel : PageModel
            {
                public void OnGet() { }
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task CacheOutput_or_RequireAuthorization_on_the_endpoint_or_its_group_silences_the_rule()
    {
        var source = ProgramUsings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/a", () => new RazorComponentResult<CatalogPage>()).CacheOutput();
                    app.MapGet("/b", () => new RazorComponentResult<CatalogPage>()).WithName("b").CacheOutput(p => p.NoCache());
                    app.MapGroup("/c").CacheOutput().MapGet("/", () => new RazorComponentResult<CatalogPage>());

                    var group = app.MapGroup("/d");
                    group.CacheOutput("Catalog");
                    group.MapGet("/", () => new RazorComponentResult<CatalogPage>());

                    var secure = app.MapGroup("/e").RequireAuthorization();
                    secure.MapGet("/", () => new RazorComponentResult<CatalogPage>());
                    app.MapGet("/f", () => new RazorComponentResult<CatalogPage>()).RequireAuthorization();
                    app.MapGet("/g", [OutputCache(Duration = 5)] () => new RazorComponentResult<CatalogPage>());
                }
            }
            """ + Component;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task CacheOutput_on_MapControllers_covers_every_action_but_not_endpoints()
    {
        var program = ProgramUsings + """
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.MapControllers().CacheOutput();
            app.MapGet("/component", [|() =>|] new RazorComponentResult<CatalogPage>());
            app.Run();
            """ + Component;
        var controller = Usings + """
            public class HomeController : Controller
            {
                public IActionResult Index() => View();
            }
            """;

        await RunAsync(OutputKind.ConsoleApplication, program, controller);
    }

    [Fact]
    public async Task RequireAuthorization_on_MapControllers_covers_every_action()
    {
        var program = ProgramUsings + """
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.MapControllers().RequireAuthorization();
            app.Run();
            """;
        var controller = Usings + """
            public class HomeController : Controller
            {
                public IActionResult Index() => View();
            }
            """;

        await RunAsync(OutputKind.ConsoleApplication, program, controller);
    }

    [Fact]
    public async Task A_base_policy_covers_every_handler_even_one_that_does_not_cache()
    {
        var program = ProgramUsings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddOutputCache(o => o.AddBasePolicy(b => b.Cache()));
            var app = builder.Build();
            app.UseOutputCache();
            app.MapGet("/component", () => new RazorComponentResult<CatalogPage>());
            app.Run();
            """ + Component;
        var controller = Usings + """
            public class HomeController : Controller
            {
                public IActionResult Index() => View();
            }

            public class IndexModel : PageModel
            {
                public void OnGet() { }
            }
            """;

        await RunAsync(OutputKind.ConsoleApplication, program, controller);
    }

    [Fact]
    public async Task A_base_policy_kept_in_a_field_covers_every_handler()
    {
        var program = ProgramUsings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddOutputCache(CachePolicies.Configure);
            var app = builder.Build();
            app.UseOutputCache();
            app.Run();

            public static class CachePolicies
            {
                public static readonly System.Action<OutputCacheOptions> Configure = o => o.AddBasePolicy(b => b.Cache());
            }
            """;
        var controller = Usings + """
            public class HomeController : Controller
            {
                public IActionResult Index() => View();
            }
            """;

        await RunAsync(OutputKind.ConsoleApplication, program, controller);
    }

    [Fact]
    public async Task Without_the_output_caching_assembly_nothing_is_analysed()
    {
        var test = new AnalyzerTest<TemplateRenderedWithoutOutputCacheAnalyzer>
        {
            TestCode = Usings.Replace("using Microsoft.AspNetCore.OutputCaching;\n", string.Empty, StringComparison.Ordinal) + """
                public class HomeController : Controller
                {
                    public IActionResult Index() => View();
                }
                """,
        };
        var removed = test.TestState.AdditionalReferences.RemoveAll(r => Path.GetFileName(r.Display ?? string.Empty) == "Microsoft.AspNetCore.OutputCaching.dll");
        Assert.Equal(1, removed);

        await test.RunAsync();
    }

    [Fact]
    public async Task Incomplete_code_and_error_types_produce_no_exception()
    {
        var test = new AnalyzerTest<TemplateRenderedWithoutOutputCacheAnalyzer>
        {
            TestCode = Usings + """
                public class HomeController : Controller
                {
                    public IActionResult Index() => View(
                    public Missing Broken() => new Missing();
                    [OutputCache(Duration = )]
                    public IActionResult Typing() => View();
                }

                public class IndexModel : PageModel
                {
                    public void OnGet(
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };

        await test.RunAsync();
    }

    private static Task RunAsync(OutputKind kind, string program, string controller)
    {
        var test = new AnalyzerTest<TemplateRenderedWithoutOutputCacheAnalyzer>();
        test.TestState.OutputKind = kind;
        test.TestState.Sources.Add(("/0/Program.cs", program));
        test.TestState.Sources.Add(("/0/HomeController.cs", controller));
        return test.RunAsync();
    }
}
