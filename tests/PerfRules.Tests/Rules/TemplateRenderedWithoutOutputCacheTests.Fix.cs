using Microsoft.CodeAnalysis;
using PerfRules.Rules;
using CodeFixTestBehaviors = Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Rules;

/// <summary>PERF003's fix "Cache the rendered output" (the same test class as the analyzer's tests: one class per rule).</summary>
public sealed partial class TemplateRenderedWithoutOutputCacheTests
{
    private const string ControllerUsings = """
        using Microsoft.AspNetCore.Mvc;


        """;

    private const string PlainProgram = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddControllersWithViews();

        var app = builder.Build();

        app.UseRouting();
        app.UseAuthorization();
        app.MapControllers();

        app.Run();

        """;

    private const string RegisteredProgram = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddControllersWithViews();
        builder.Services.AddOutputCache();

        var app = builder.Build();

        app.UseRouting();
        app.UseOutputCache();
        app.MapControllers();

        app.Run();

        """;

    private static CodeFixTest<TemplateRenderedWithoutOutputCacheAnalyzer, TemplateRenderedWithoutOutputCacheFixer> FixTest(
        OutputKind kind, (string Path, string Before, string After)[] files)
    {
        var test = new CodeFixTest<TemplateRenderedWithoutOutputCacheAnalyzer, TemplateRenderedWithoutOutputCacheFixer>
        {
            CodeActionEquivalenceKey = TemplateRenderedWithoutOutputCacheFixer.CacheKey,

            // The report is a compilation-end (non-local) diagnostic: the harness must be told to hand it to the fixer at all.
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.TestState.OutputKind = kind;
        foreach (var (path, before, after) in files)
        {
            test.TestState.Sources.Add((path, before));
            test.FixedState.Sources.Add((path, after));
        }

        return test;
    }

    [Fact]
    public async Task The_fix_puts_OutputCache_on_the_action_and_registers_the_service_before_Build_and_the_middleware_before_the_endpoints()
    {
        var controller = ControllerUsings + """
            public class HomeController : Controller
            {
                public IActionResult [|Index|]() => View();
            }
            """;
        var fixedController = """
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.OutputCaching;

            public class HomeController : Controller
            {
                [OutputCache(Duration = 60)]
                public IActionResult Index() => View();
            }
            """;
        var fixedProgram = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllersWithViews();
            builder.Services.AddOutputCache();

            var app = builder.Build();

            app.UseRouting();
            app.UseAuthorization();
            app.UseOutputCache();
            app.MapControllers();

            app.Run();

            """;

        await FixTest(OutputKind.ConsoleApplication, [("/0/Program.cs", PlainProgram, fixedProgram), ("/0/HomeController.cs", controller, fixedController)]).RunAsync();
    }

    [Fact]
    public async Task A_page_handler_gets_the_attribute_on_its_page_model_and_an_app_already_registered_is_left_alone()
    {
        var page = """
            using Microsoft.AspNetCore.Mvc.RazorPages;

            public class IndexModel : PageModel
            {
                public void [|OnGet|]() { }

                public void OnPost() { }
            }
            """;
        var fixedPage = """
            using Microsoft.AspNetCore.Mvc.RazorPages;
            using Microsoft.AspNetCore.OutputCaching;

            [OutputCache(Duration = 60)]
            public class IndexModel : PageModel
            {
                public void OnGet() { }

                public void OnPost() { }
            }
            """;

        await FixTest(OutputKind.ConsoleApplication, [("/0/Program.cs", RegisteredProgram, RegisteredProgram), ("/0/IndexModel.cs", page, fixedPage)]).RunAsync();
    }

    [Fact]
    public async Task An_endpoint_gets_CacheOutput_after_its_Map_call_and_the_middleware_goes_after_UseCors()
    {
        var program = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Components;
            using Microsoft.AspNetCore.Http.HttpResults;

            var builder = WebApplication.CreateBuilder(args);

            var app = builder.Build();

            app.UseRouting();
            app.UseCors();
            app.MapGet("/catalog", [|() =>|] new RazorComponentResult<CatalogPage>()).WithName("catalog");

            app.Run();

            public sealed class CatalogPage : ComponentBase { }

            """;
        var fixedProgram = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Components;
            using Microsoft.AspNetCore.Http.HttpResults;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddOutputCache();

            var app = builder.Build();

            app.UseRouting();
            app.UseCors();
            app.UseOutputCache();
            app.MapGet("/catalog", () => new RazorComponentResult<CatalogPage>()).CacheOutput().WithName("catalog");

            app.Run();

            public sealed class CatalogPage : ComponentBase { }

            """;

        await FixTest(OutputKind.ConsoleApplication, [("/0/Program.cs", program, fixedProgram)]).RunAsync();
    }

    [Fact]
    public async Task A_method_mapped_as_a_method_group_gets_CacheOutput_after_its_Map_call()
    {
        var program = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Components;
            using Microsoft.AspNetCore.Http.HttpResults;

            var builder = WebApplication.CreateBuilder(args);

            var app = builder.Build();

            app.UseRouting();
            app.MapGet("/catalog", Pages.Catalog);

            app.Run();

            public sealed class CatalogPage : ComponentBase { }

            public static class Pages
            {
                public static RazorComponentResult [|Catalog|]() => new RazorComponentResult<CatalogPage>();
            }

            """;
        var fixedProgram = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Components;
            using Microsoft.AspNetCore.Http.HttpResults;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddOutputCache();

            var app = builder.Build();

            app.UseRouting();
            app.UseOutputCache();
            app.MapGet("/catalog", Pages.Catalog).CacheOutput();

            app.Run();

            public sealed class CatalogPage : ComponentBase { }

            public static class Pages
            {
                public static RazorComponentResult Catalog() => new RazorComponentResult<CatalogPage>();
            }

            """;

        await FixTest(OutputKind.ConsoleApplication, [("/0/Program.cs", program, fixedProgram)]).RunAsync();
    }

    [Fact]
    public async Task The_apps_single_caching_policy_is_used_instead_of_a_duration()
    {
        var program = """
            using System;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllersWithViews();
            builder.Services.AddOutputCache(o => o.AddPolicy("Pages", p => p.Expire(TimeSpan.FromMinutes(5))));

            var app = builder.Build();

            app.UseOutputCache();
            app.MapControllers();

            app.Run();

            """;
        var controller = ControllerUsings + """
            public class HomeController : Controller
            {
                public IActionResult [|Index|]() => View();
            }
            """;
        var fixedController = """
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.OutputCaching;

            public class HomeController : Controller
            {
                [OutputCache(PolicyName = "Pages")]
                public IActionResult Index() => View();
            }
            """;

        await FixTest(OutputKind.ConsoleApplication, [("/0/Program.cs", program, program), ("/0/HomeController.cs", controller, fixedController)]).RunAsync();
    }

    [Fact]
    public async Task Fix_all_caches_every_handler_once_and_registers_the_output_cache_once()
    {
        var home = ControllerUsings + """
            public class HomeController : Controller
            {
                public IActionResult [|Index|]() => View();

                public IActionResult [|About|]() => View("About");
            }
            """;
        var news = ControllerUsings + """
            public class NewsController : Controller
            {
                public IActionResult [|List|]() => PartialView("_List");
            }
            """;
        var fixedHome = """
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.OutputCaching;

            public class HomeController : Controller
            {
                [OutputCache(Duration = 60)]
                public IActionResult Index() => View();

                [OutputCache(Duration = 60)]
                public IActionResult About() => View("About");
            }
            """;
        var fixedNews = """
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.OutputCaching;

            public class NewsController : Controller
            {
                [OutputCache(Duration = 60)]
                public IActionResult List() => PartialView("_List");
            }
            """;
        var fixedProgram = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllersWithViews();
            builder.Services.AddOutputCache();

            var app = builder.Build();

            app.UseRouting();
            app.UseAuthorization();
            app.UseOutputCache();
            app.MapControllers();

            app.Run();

            """;

        var test = FixTest(OutputKind.ConsoleApplication,
        [
            ("/0/Program.cs", PlainProgram, fixedProgram), ("/0/HomeController.cs", home, fixedHome), ("/0/NewsController.cs", news, fixedNews),
        ]);
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 1;
        test.NumberOfFixAllInProjectIterations = 1;
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllInDocumentCheck;
        test.NumberOfIncrementalIterations = 3;
        await test.RunAsync();
    }

    [Fact]
    public async Task In_a_Startup_class_the_service_goes_at_the_end_of_ConfigureServices_and_the_middleware_before_UseEndpoints()
    {
        var startup = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            public class Startup
            {
                public void ConfigureServices(IServiceCollection services)
                {
                    services.AddControllersWithViews();
                }

                public void Configure(IApplicationBuilder app)
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapControllers());
                }
            }
            """;
        var fixedStartup = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            public class Startup
            {
                public void ConfigureServices(IServiceCollection services)
                {
                    services.AddControllersWithViews();
                    services.AddOutputCache();
                }

                public void Configure(IApplicationBuilder app)
                {
                    app.UseRouting();
                    app.UseOutputCache();
                    app.UseEndpoints(endpoints => endpoints.MapControllers());
                }
            }
            """;
        var controller = ControllerUsings + """
            public class HomeController : Controller
            {
                public IActionResult [|Index|]() => View();
            }
            """;
        var fixedController = """
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.OutputCaching;

            public class HomeController : Controller
            {
                [OutputCache(Duration = 60)]
                public IActionResult Index() => View();
            }
            """;

        await FixTest(OutputKind.DynamicallyLinkedLibrary, [("/0/Startup.cs", startup, fixedStartup), ("/0/HomeController.cs", controller, fixedController)]).RunAsync();
    }

    [Fact]
    public async Task Without_a_startup_and_without_registrations_the_fix_is_not_offered()
    {
        var controller = ControllerUsings + """
            public class HomeController : Controller
            {
                public IActionResult [|Index|]() => View();
            }
            """;

        await FixTest(OutputKind.DynamicallyLinkedLibrary, [("/0/HomeController.cs", controller, controller)]).RunAsync();
    }

    [Fact]
    public async Task A_project_that_registers_the_output_cache_in_a_helper_gets_only_the_attribute()
    {
        var registration = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            public static class Caching
            {
                public static void AddCaching(IServiceCollection services) => services.AddOutputCache();
                public static void UseCaching(IApplicationBuilder app) => app.UseOutputCache();
            }
            """;
        var controller = ControllerUsings + """
            public class HomeController : Controller
            {
                public IActionResult [|Index|]() => View();
            }
            """;
        var fixedController = """
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.OutputCaching;

            public class HomeController : Controller
            {
                [OutputCache(Duration = 60)]
                public IActionResult Index() => View();
            }
            """;

        await FixTest(OutputKind.DynamicallyLinkedLibrary, [("/0/Caching.cs", registration, registration), ("/0/HomeController.cs", controller, fixedController)]).RunAsync();
    }
}
