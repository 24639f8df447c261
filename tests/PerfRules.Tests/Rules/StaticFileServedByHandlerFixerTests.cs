using Microsoft.CodeAnalysis.Testing;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.StaticFileServedByHandlerAnalyzer>;

namespace PerfRules.Tests.Rules;

public sealed class StaticFileServedByHandlerFixerTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Mvc;

        """;

    private static string Controller(string members) => Usings + $$"""
        public sealed class AssetsController : Controller
        {
            private readonly IWebHostEnvironment _env;

            public AssetsController(IWebHostEnvironment env) => _env = env;

        {{members}}
        }
        """;

    // The streamed call still serves a static file from a handler, so PERF001 stays on it: the markup in the fixed sources.
    private static Task StreamAsync(string source, string fixedSource, int iterations = 1)
    {
        var test = new CodeFixTest<StaticFileServedByHandlerAnalyzer, StaticFileServedByHandlerFixer>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = StaticFileServedByHandlerFixer.StreamKey,
            NumberOfFixAllIterations = iterations,
        };
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync(CancellationToken.None);
    }

    private static Task NotOfferedAsync(string source)
    {
        var test = new CodeFixTest<StaticFileServedByHandlerAnalyzer, StaticFileServedByHandlerFixer>
        {
            TestCode = source,
            FixedCode = source,
            CodeActionEquivalenceKey = StaticFileServedByHandlerFixer.StreamKey,
        };
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ReadAllBytes_into_File_becomes_PhysicalFile_with_range_processing_and_the_same_content_type()
    {
        var source = Controller("""
                public IActionResult Css()
                {
                    var path = Path.Combine(_env.WebRootPath, "css", "site.css");
                    return [|File(System.IO.File.ReadAllBytes(path), "text/css")|];
                }
            """);
        var fixedSource = Controller("""
                [ResponseCache(Duration = 3600)]
                public IActionResult Css()
                {
                    var path = Path.Combine(_env.WebRootPath, "css", "site.css");
                    return [|PhysicalFile(path, "text/css", enableRangeProcessing: true)|];
                }
            """);
        await StreamAsync(source, fixedSource);
    }

    [Fact]
    public async Task An_awaited_read_with_a_download_name_keeps_the_download_name()
    {
        var source = Controller("""
                public async Task<IActionResult> Manual()
                {
                    await Task.Yield();
                    return [|File(await System.IO.File.ReadAllBytesAsync(Path.Combine(_env.ContentRootPath, "docs", "manual.pdf")), "application/pdf", "manual.pdf")|];
                }
            """);
        var fixedSource = Controller("""
                [ResponseCache(Duration = 3600)]
                public async Task<IActionResult> Manual()
                {
                    await Task.Yield();
                    return [|PhysicalFile(Path.Combine(_env.ContentRootPath, "docs", "manual.pdf"), "application/pdf", "manual.pdf", enableRangeProcessing: true)|];
                }
            """);
        await StreamAsync(source, fixedSource);
    }

    [Fact]
    public async Task A_FileStream_given_to_File_becomes_PhysicalFile()
    {
        var source = Controller("""
                public IActionResult Logo() => [|File(new FileStream(Path.Combine(_env.WebRootPath, "logo.png"), FileMode.Open), "image/png")|];
            """);
        var fixedSource = Controller("""
                [ResponseCache(Duration = 3600)]
                public IActionResult Logo() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "logo.png"), "image/png", enableRangeProcessing: true)|];
            """);
        await StreamAsync(source, fixedSource);
    }

    [Fact]
    public async Task Results_Bytes_and_TypedResults_Stream_in_endpoints_become_path_results()
    {
        var source = Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/site.css", (IWebHostEnvironment env) => Results.[|Bytes(File.ReadAllBytes(Path.Combine(env.WebRootPath, "site.css")), "text/css")|]);
                    app.MapGet("/app.js", (IWebHostEnvironment env) => TypedResults.[|Stream(File.OpenRead(Path.Combine(env.WebRootPath, "app.js")), contentType: "text/javascript")|]);
                }
            }
            """;
        var fixedSource = Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/site.css", (IWebHostEnvironment env) => Results.[|File(Path.Combine(env.WebRootPath, "site.css"), "text/css", enableRangeProcessing: true)|]);
                    app.MapGet("/app.js", (IWebHostEnvironment env) => TypedResults.[|PhysicalFile(Path.Combine(env.WebRootPath, "app.js"), contentType: "text/javascript", enableRangeProcessing: true)|]);
                }
            }
            """;
        await StreamAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_all_streams_every_read_of_the_document()
    {
        var source = Controller("""
                public IActionResult Css() => [|File(System.IO.File.ReadAllBytes(Path.Combine(_env.WebRootPath, "site.css")), "text/css")|];

                public IActionResult Js() => [|File(System.IO.File.OpenRead(Path.Combine(_env.WebRootPath, "app.js")), "text/javascript")|];
            """);
        var fixedSource = Controller("""
                [ResponseCache(Duration = 3600)]
                public IActionResult Css() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "site.css"), "text/css", enableRangeProcessing: true)|];

                [ResponseCache(Duration = 3600)]
                public IActionResult Js() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "app.js"), "text/javascript", enableRangeProcessing: true)|];
            """);
        await StreamAsync(source, fixedSource);
    }

    [Fact]
    public async Task Behind_Authorize_the_streamed_file_may_be_cached_by_the_browser_only()
    {
        var source = Controller("""
                [Microsoft.AspNetCore.Authorization.Authorize]
                public IActionResult Invoice() => [|File(System.IO.File.ReadAllBytes(Path.Combine(_env.ContentRootPath, "docs", "terms.pdf")), "application/pdf")|];
            """);
        var fixedSource = Controller("""
                [Microsoft.AspNetCore.Authorization.Authorize]
                [ResponseCache(Duration = 3600, Location = ResponseCacheLocation.Client)]
                public IActionResult Invoice() => [|PhysicalFile(Path.Combine(_env.ContentRootPath, "docs", "terms.pdf"), "application/pdf", enableRangeProcessing: true)|];
            """);
        await StreamAsync(source, fixedSource);
    }

    [Fact]
    public async Task An_action_whose_controller_already_says_how_it_is_cached_gets_no_cache_attribute()
    {
        var source = Usings + """
            [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
            public sealed class AssetsController : Controller
            {
                public IActionResult Css(IWebHostEnvironment env) => [|File(System.IO.File.ReadAllBytes(Path.Combine(env.WebRootPath, "site.css")), "text/css")|];
            }
            """;
        var fixedSource = Usings + """
            [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
            public sealed class AssetsController : Controller
            {
                public IActionResult Css(IWebHostEnvironment env) => [|PhysicalFile(Path.Combine(env.WebRootPath, "site.css"), "text/css", enableRangeProcessing: true)|];
            }
            """;
        await StreamAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_all_over_two_reads_in_one_action_adds_the_cache_attribute_once()
    {
        var source = Controller("""
                public IActionResult Asset(bool script)
                {
                    if (script)
                    {
                        return [|File(System.IO.File.ReadAllBytes(Path.Combine(_env.WebRootPath, "app.js")), "text/javascript")|];
                    }

                    return [|File(System.IO.File.ReadAllBytes(Path.Combine(_env.WebRootPath, "site.css")), "text/css")|];
                }
            """);
        var fixedSource = Controller("""
                [ResponseCache(Duration = 3600)]
                public IActionResult Asset(bool script)
                {
                    if (script)
                    {
                        return [|PhysicalFile(Path.Combine(_env.WebRootPath, "app.js"), "text/javascript", enableRangeProcessing: true)|];
                    }

                    return [|PhysicalFile(Path.Combine(_env.WebRootPath, "site.css"), "text/css", enableRangeProcessing: true)|];
                }
            """);
        await StreamAsync(source, fixedSource);
    }

    [Fact]
    public async Task A_relative_path_is_not_rewritten_because_PhysicalFile_needs_an_absolute_path()
    {
        await NotOfferedAsync(Controller("""
                public IActionResult Css() => [|File(System.IO.File.ReadAllBytes("wwwroot/css/site.css"), "text/css")|];
            """));
    }

    [Fact]
    public async Task A_declared_result_type_that_PhysicalFile_does_not_fit_is_not_rewritten()
    {
        await NotOfferedAsync(Controller("""
                public FileContentResult Css() => [|File(System.IO.File.ReadAllBytes(Path.Combine(_env.WebRootPath, "site.css")), "text/css")|];
            """));
        await NotOfferedAsync(Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                    => app.MapGet("/site.css", FileContentHttpResult (IWebHostEnvironment env) => TypedResults.[|Bytes(File.ReadAllBytes(Path.Combine(env.WebRootPath, "site.css")), "text/css")|]);
            }
            """);
    }

    [Fact]
    public async Task Bytes_held_in_a_local_or_text_or_extra_arguments_are_not_rewritten()
    {
        await NotOfferedAsync(Controller("""
                public IActionResult Local()
                {
                    var bytes = System.IO.File.ReadAllBytes(Path.Combine(_env.WebRootPath, "site.css"));
                    return [|File(bytes, "text/css")|];
                }

                public IActionResult Dated() => [|File(System.IO.File.ReadAllBytes(Path.Combine(_env.WebRootPath, "site.css")), "text/css", DateTimeOffset.UnixEpoch, new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"1\""))|];

                public IActionResult Served() => [|PhysicalFile(Path.Combine(_env.WebRootPath, "site.css"), "text/css")|];
            """));
    }
}
