using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Rules;

/// <summary>PERF001 fix (1): "Serve with the static-file middleware" (edits Program.cs, removes the action or endpoint).</summary>
public sealed class StaticFileServedByHandlerServeFixTests
{
    private const string ControllerUsings = """
        using System.IO;
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Mvc;

        """;

    private const string Program = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddControllers();

        var app = builder.Build();

        app.UseAuthorization();
        app.MapControllers();

        app.Run();

        """;

    private static string Controller(string members) => ControllerUsings + $$"""
        public sealed class AssetsController : Controller
        {
            private readonly IWebHostEnvironment _env;

            public AssetsController(IWebHostEnvironment env) => _env = env;
        {{members}}
        }
        """;

    private const string EmptyController = ControllerUsings + """
        public sealed class AssetsController : Controller
        {
            private readonly IWebHostEnvironment _env;

            public AssetsController(IWebHostEnvironment env) => _env = env;
        }
        """;

    private static CodeFixTest<StaticFileServedByHandlerAnalyzer, StaticFileServedByHandlerFixer> Test(
        (string Program, string Controller) source, (string Program, string Controller) fixedSource)
    {
        var test = new CodeFixTest<StaticFileServedByHandlerAnalyzer, StaticFileServedByHandlerFixer>
        {
            CodeActionEquivalenceKey = StaticFileServedByHandlerFixer.StaticFilesKey,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.TestState.Sources.Add(("/0/Program.cs", source.Program));
        test.TestState.Sources.Add(("/0/AssetsController.cs", source.Controller));
        test.FixedState.Sources.Add(("/0/Program.cs", fixedSource.Program));
        test.FixedState.Sources.Add(("/0/AssetsController.cs", fixedSource.Controller));
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test;
    }

    [Fact]
    public async Task An_action_under_a_route_prefix_becomes_UseStaticFiles_with_that_request_path_before_authorization()
    {
        var controller = Controller("""

                [HttpGet("/assets/css/site.css")]
                public IActionResult SiteCss()
                {
                    var path = Path.Combine(_env.WebRootPath, "css", "site.css");
                    return [|File(System.IO.File.ReadAllBytes(path), "text/css")|];
                }
            """);
        var fixedProgram = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllers();

            var app = builder.Build();

            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(System.IO.Path.Combine(app.Environment.WebRootPath, "css")),
                RequestPath = "/assets/css",
            });
            app.UseAuthorization();
            app.MapControllers();

            app.Run();

            """;
        await Test((Program, controller), (fixedProgram, EmptyController)).RunAsync();
    }

    [Fact]
    public async Task In_a_Startup_class_the_registration_goes_into_Configure_which_asks_for_the_environment()
    {
        var controller = Controller("""
                [HttpGet("/assets/css/site.css")]
                public IActionResult SiteCss()
                {
                    var path = Path.Combine(_env.WebRootPath, "css", "site.css");
                    return [|File(System.IO.File.ReadAllBytes(path), "text/css")|];
                }
            """);
        const string startup = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            public class Startup
            {
                public void ConfigureServices(IServiceCollection services) => services.AddControllers();

                public void Configure(IApplicationBuilder app)
                {
                    app.UseRouting();
                    app.UseAuthorization();
                    app.UseEndpoints(endpoints => endpoints.MapControllers());
                }
            }
            """;
        const string fixedStartup = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.Extensions.DependencyInjection;

            public class Startup
            {
                public void ConfigureServices(IServiceCollection services) => services.AddControllers();

                public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
                {
                    app.UseStaticFiles(new StaticFileOptions
                    {
                        FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(System.IO.Path.Combine(env.WebRootPath, "css")),
                        RequestPath = "/assets/css",
                    });
                    app.UseRouting();
                    app.UseAuthorization();
                    app.UseEndpoints(endpoints => endpoints.MapControllers());
                }
            }
            """;
        var test = new CodeFixTest<StaticFileServedByHandlerAnalyzer, StaticFileServedByHandlerFixer>
        {
            CodeActionEquivalenceKey = StaticFileServedByHandlerFixer.StaticFilesKey,
        };
        test.TestState.Sources.Add(("/0/Startup.cs", startup));
        test.TestState.Sources.Add(("/0/AssetsController.cs", controller));
        test.FixedState.Sources.Add(("/0/Startup.cs", fixedStartup));
        test.FixedState.Sources.Add(("/0/AssetsController.cs", EmptyController));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_route_value_under_a_content_root_folder_becomes_a_physical_file_provider_on_that_folder()
    {
        var controller = Controller("""

                [HttpGet("/downloads/{file}")]
                public IActionResult Download(string file) => [|PhysicalFile(Path.Combine(_env.ContentRootPath, "files", file), "application/pdf")|];
            """);
        var fixedProgram = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllers();

            var app = builder.Build();

            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(System.IO.Path.Combine(app.Environment.ContentRootPath, "files")),
                RequestPath = "/downloads",
            });
            app.UseAuthorization();
            app.MapControllers();

            app.Run();

            """;
        await Test((Program, controller), (fixedProgram, EmptyController)).RunAsync();
    }

    [Fact]
    public async Task Fix_all_registers_the_plain_middleware_once_for_files_at_their_web_root_urls()
    {
        var controller = Controller("""

                [HttpGet("/css/site.css")]
                public IActionResult Css() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "css", "site.css"), "text/css")|];

                [HttpGet("/js/app.js")]
                public IActionResult Js() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "js", "app.js"), "text/javascript")|];
            """);
        var fixedProgram = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllers();

            var app = builder.Build();

            app.UseStaticFiles();
            app.UseAuthorization();
            app.MapControllers();

            app.Run();

            """;
        var test = Test((Program, controller), (fixedProgram, EmptyController));
        test.NumberOfFixAllIterations = 1;
        test.NumberOfIncrementalIterations = 2;
        await test.RunAsync();
    }

    [Fact]
    public async Task A_minimal_API_endpoint_in_Program_is_removed_and_the_middleware_registered_before_it()
    {
        var source = """
            using System.IO;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.AspNetCore.Http;

            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();

            app.MapGet("/images/{name}", (string name, IWebHostEnvironment env) => Results.[|File(Path.Combine(env.WebRootPath, "images", name), "image/png")|]);
            app.MapGet("/", () => "home");

            app.Run();

            """;
        var fixedSource = """
            using System.IO;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.AspNetCore.Http;

            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();

            app.UseStaticFiles();
            app.MapGet("/", () => "home");

            app.Run();

            """;
        var test = new CodeFixTest<StaticFileServedByHandlerAnalyzer, StaticFileServedByHandlerFixer>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = StaticFileServedByHandlerFixer.StaticFilesKey,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    public static TheoryData<string> NotOneToOne() => new()
    {
        // the route does not end with the file's place under the root
        """
            [HttpGet("/styles/main.css")]
            public IActionResult Css() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "css", "site.css"), "text/css")|];
        """,
        // the middleware would send another content type
        """
            [HttpGet("/css/site.css")]
            public IActionResult Css() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "css", "site.css"), "text/plain")|];
        """,
        // authorized: the middleware would serve it to everyone
        """
            [Authorize]
            [HttpGet("/css/site.css")]
            public IActionResult Css() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "css", "site.css"), "text/css")|];
        """,
        // one file of the content root: serving the folder would expose its other files
        """
            [HttpGet("/terms.html")]
            public IActionResult Terms() => [|PhysicalFile(Path.Combine(_env.ContentRootPath, "terms.html"), "text/html")|];
        """,
        // a relative route under the controller's route
        """
            [HttpGet("css/site.css")]
            public IActionResult Css() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "css", "site.css"), "text/css")|];
        """,
        // a POST
        """
            [HttpPost("/css/site.css")]
            public IActionResult Css() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "css", "site.css"), "text/css")|];
        """,
    };

    [Theory]
    [MemberData(nameof(NotOneToOne))]
    public async Task The_fix_is_not_offered_when_the_route_does_not_map_one_to_one_onto_a_folder(string members)
    {
        var controller = Controller(members);
        var test = Test((Program, controller), (Program, controller));
        await test.RunAsync();
    }

    [Fact]
    public async Task The_fix_is_not_offered_without_a_Program_with_top_level_statements()
    {
        var source = Controller("""

                [HttpGet("/css/site.css")]
                public IActionResult Css() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "css", "site.css"), "text/css")|];
            """);
        var test = new CodeFixTest<StaticFileServedByHandlerAnalyzer, StaticFileServedByHandlerFixer>
        {
            TestCode = source,
            FixedCode = source,
            CodeActionEquivalenceKey = StaticFileServedByHandlerFixer.StaticFilesKey,
        };
        await test.RunAsync();
    }
}
