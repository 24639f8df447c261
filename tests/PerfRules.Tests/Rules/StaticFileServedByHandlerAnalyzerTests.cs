using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.StaticFileServedByHandlerAnalyzer>;

namespace PerfRules.Tests.Rules;

public sealed class StaticFileServedByHandlerAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.RazorPages;

        """;

    private static string Controller(string members, string attributes = "") => Usings + $$"""
        {{attributes}}
        public sealed class AssetsController : Controller
        {
            private readonly IWebHostEnvironment _env;

            public AssetsController(IWebHostEnvironment env) => _env = env;

        {{members}}
        }

        public interface IDocumentStore
        {
            string StoredName(int id);
            Stream Open(int id);
            byte[] Load(int id);
        }
        """;

    private static DiagnosticResult At(int marker, string sink, string description)
        => VerifyCS.Diagnostic().WithLocation(marker).WithArguments(sink, description);

    [Fact]
    public async Task PhysicalFile_under_the_web_root_is_reported_with_where_the_path_comes_from()
    {
        var source = Controller("""
                [HttpGet("/css/site.css")]
                public IActionResult Css() => {|#0:PhysicalFile(Path.Combine(_env.WebRootPath, "css", "site.css"), "text/css")|};
            """);
        await VerifyCS.AnalyzerAsync(source, At(0, "PhysicalFile", "a file at a path under IWebHostEnvironment.WebRootPath"));
    }

    [Fact]
    public async Task A_constant_virtual_path_given_to_File_is_reported()
    {
        var source = Controller("""
                public IActionResult Logo() => {|#0:File("~/img/logo.png", "image/png")|};
            """);
        await VerifyCS.AnalyzerAsync(source, At(0, "File", "a file at the constant path '~/img/logo.png'"));
    }

    [Fact]
    public async Task VirtualFile_with_a_constant_path_is_reported()
    {
        var source = Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                    => app.MapGet("/robots.txt", () => TypedResults.{|#0:VirtualFile("robots.txt", "text/plain")|});
            }
            """;
        await VerifyCS.AnalyzerAsync(source, At(0, "TypedResults.VirtualFile", "a file at the constant path 'robots.txt'"));
    }

    [Fact]
    public async Task Bytes_read_from_the_content_root_into_File_are_reported_with_the_reader()
    {
        var source = Controller("""
                public IActionResult Terms()
                {
                    return {|#0:File(System.IO.File.ReadAllBytes(Path.Combine(_env.ContentRootPath, "content", "terms.html")), "text/html")|};
                }
            """);
        await VerifyCS.AnalyzerAsync(source, At(0, "File", "the contents of File.ReadAllBytes of a path under IWebHostEnvironment.ContentRootPath"));
    }

    [Fact]
    public async Task A_path_built_from_a_route_value_under_the_web_root_is_reported()
    {
        var source = Controller("""
                [HttpGet("/images/{name}")]
                public IActionResult Image(string name) => {|#0:PhysicalFile(Path.Combine(_env.WebRootPath, "images", name), "image/png")|};
            """);
        await VerifyCS.AnalyzerAsync(source, At(0, "PhysicalFile", "a file at a path under IWebHostEnvironment.WebRootPath named by the route value 'name'"));
    }

    [Fact]
    public async Task Locals_and_a_helper_method_of_the_same_class_are_followed()
    {
        var source = Controller("""
                public async Task<IActionResult> Script()
                {
                    var path = ScriptPath("app.js");
                    var bytes = await System.IO.File.ReadAllBytesAsync(path);
                    return {|#0:File(bytes, "text/javascript")|};
                }

                private string ScriptPath(string file) => Path.Combine(_env.WebRootPath, "js", file);
            """);
        await VerifyCS.AnalyzerAsync(source, At(0, "File", "the contents of File.ReadAllBytesAsync of a path under IWebHostEnvironment.WebRootPath"));
    }

    [Fact]
    public async Task A_FileStream_on_a_constant_path_is_reported()
    {
        var source = Controller("""
                public IActionResult Manual() => {|#0:File(new FileStream("/srv/site/manual.pdf", FileMode.Open, FileAccess.Read), "application/pdf")|};
            """);
        await VerifyCS.AnalyzerAsync(source, At(0, "File", "the contents of new FileStream of the constant path '/srv/site/manual.pdf'"));
    }

    [Fact]
    public async Task A_file_of_the_web_root_file_provider_is_reported()
    {
        var source = Controller("""
                public async Task Favicon()
                {
                    var file = _env.WebRootFileProvider.GetFileInfo("favicon.ico");
                    await Response.{|#0:SendFileAsync(file)|};
                }
            """);
        await VerifyCS.AnalyzerAsync(source, At(0, "SendFileAsync", "a file at a file of IWebHostEnvironment.WebRootFileProvider"));
    }

    [Fact]
    public async Task A_static_asset_under_a_root_the_analyzer_cannot_follow_is_reported_by_its_name()
    {
        var source = Controller("""
                private readonly string _root = AppContext.BaseDirectory;

                public IActionResult Font() => {|#0:PhysicalFile(Path.Combine(_root, "fonts", "inter.woff2"), "font/woff2")|};
            """);
        await VerifyCS.AnalyzerAsync(source, At(0, "PhysicalFile", "a file at the static asset 'inter.woff2'"));
    }

    [Fact]
    public async Task Minimal_API_results_are_reported()
    {
        var source = Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/site.css", (IWebHostEnvironment env) => Results.{|#0:File(Path.Combine(env.WebRootPath, "site.css"), "text/css")|});
                    app.MapGet("/logo.png", (IWebHostEnvironment env) => TypedResults.{|#1:Bytes(File.ReadAllBytes(env.WebRootPath + "/img/logo.png"), "image/png")|});
                    app.MapGet("/app.js", (IWebHostEnvironment env) => Results.{|#2:Stream(File.OpenRead($"{env.WebRootPath}/js/app.js"), "text/javascript")|});
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            At(0, "Results.File", "a file at a path under IWebHostEnvironment.WebRootPath"),
            At(1, "TypedResults.Bytes", "the contents of File.ReadAllBytes of a path under IWebHostEnvironment.WebRootPath"),
            At(2, "Results.Stream", "the contents of File.OpenRead of a path under IWebHostEnvironment.WebRootPath"));
    }

    [Fact]
    public async Task Writing_file_contents_to_the_response_is_reported()
    {
        var source = Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/about", async (HttpContext context, IWebHostEnvironment env) =>
                    {
                        var html = await File.ReadAllTextAsync(Path.Combine(env.ContentRootPath, "about.html"));
                        await context.Response.{|#0:WriteAsync(html)|};
                    });
                    app.MapGet("/logo", async (HttpContext context) =>
                    {
                        var bytes = File.ReadAllBytes("wwwroot/img/logo.png");
                        await context.Response.Body.{|#1:WriteAsync(bytes)|};
                    });
                    app.MapGet("/app.js", async (HttpContext context, IWebHostEnvironment env) =>
                    {
                        using var stream = File.OpenRead(Path.Combine(env.WebRootPath, "app.js"));
                        await stream.{|#2:CopyToAsync(context.Response.Body)|};
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            At(0, "Response.WriteAsync", "the contents of File.ReadAllTextAsync of a path under IWebHostEnvironment.ContentRootPath"),
            At(1, "Response.Body.WriteAsync", "the contents of File.ReadAllBytes of the constant path 'wwwroot/img/logo.png'"),
            At(2, "CopyToAsync", "the contents of File.OpenRead of a path under IWebHostEnvironment.WebRootPath"));
    }

    [Fact]
    public async Task A_page_handler_returning_a_physical_file_is_reported()
    {
        var source = Usings + """
            public sealed class LogoModel : PageModel
            {
                private readonly IWebHostEnvironment _env;

                public LogoModel(IWebHostEnvironment env) => _env = env;

                public IActionResult OnGet() => {|#0:PhysicalFile(Path.Combine(_env.WebRootPath, "logo.svg"), "image/svg+xml")|};
            }
            """;
        await VerifyCS.AnalyzerAsync(source, At(0, "PhysicalFile", "a file at a path under IWebHostEnvironment.WebRootPath"));
    }

    [Fact]
    public async Task A_file_generated_in_memory_is_not_reported()
    {
        var source = Controller("""
                public IActionResult Report()
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes("id,name\n1,chair\n");
                    return File(bytes, "text/csv", "report.csv");
                }

                public IActionResult Stream()
                {
                    var stream = new MemoryStream();
                    stream.Write(new byte[] { 1, 2, 3 });
                    stream.Position = 0;
                    return File(stream, "application/octet-stream");
                }
            """);
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_file_read_from_a_database_or_blob_store_is_not_reported()
    {
        var source = Controller("""
                private readonly IDocumentStore _store = null!;

                public IActionResult Attachment(int id) => File(_store.Load(id), "application/pdf");

                public IActionResult Blob(int id) => File(_store.Open(id), "application/pdf");
            """);
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_user_specific_download_behind_Authorize_whose_path_comes_from_data_is_not_reported()
    {
        var source = Controller("""
                private readonly IDocumentStore _store = null!;

                [Authorize]
                public IActionResult Invoice(int id)
                    => PhysicalFile(Path.Combine(_env.ContentRootPath, "invoices", _store.StoredName(id)), "application/pdf");
            """);
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_route_value_path_behind_Authorize_is_not_reported_but_the_same_without_it_is()
    {
        var source = Controller("""
                [Authorize]
                public IActionResult Private(string name) => PhysicalFile(Path.Combine(_env.ContentRootPath, "private", name), "application/pdf");

                public IActionResult Public(string name) => {|#0:PhysicalFile(Path.Combine(_env.ContentRootPath, "public", name), "application/pdf")|};
            """);
        await VerifyCS.AnalyzerAsync(source, At(0, "PhysicalFile", "a file at a path under IWebHostEnvironment.ContentRootPath named by the route value 'name'"));
    }

    [Fact]
    public async Task A_route_value_path_of_an_endpoint_that_requires_authorization_is_not_reported()
    {
        var source = Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/files/{name}", (string name, IWebHostEnvironment env) => Results.File(Path.Combine(env.ContentRootPath, "files", name)))
                        .RequireAuthorization();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_FileResult_built_from_a_service_stream_is_not_reported()
    {
        var source = Controller("""
                private readonly IDocumentStore _store = null!;

                public IActionResult Export(int id)
                {
                    var stream = _store.Open(id);
                    return new FileStreamResult(stream, "application/zip");
                }

                public IActionResult Download(int id) => File(_store.Open(id), "application/zip", "export.zip");
            """);
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_path_from_data_without_a_static_asset_name_is_not_reported()
    {
        var source = Controller("""
                private readonly IDocumentStore _store = null!;

                public IActionResult Avatar(int id) => PhysicalFile(Path.Combine(_env.WebRootPath, _store.StoredName(id) + ".png"), "image/png");
            """);
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task File_reads_outside_request_handlers_are_not_reported()
    {
        var source = Controller("""
                [NonAction]
                public IActionResult Helper() => PhysicalFile(Path.Combine(_env.WebRootPath, "site.css"), "text/css");
            """) + """

            public sealed class Exporter : ControllerBase
            {
                private static IActionResult Build(IWebHostEnvironment env) => new PhysicalFileResult(Path.Combine(env.WebRootPath, "site.css"), "text/css");
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Writing_constant_text_or_a_route_value_path_outside_static_folders_is_not_reported()
    {
        var source = Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/hello", (HttpContext context) => context.Response.WriteAsync("hello"));
                    app.MapGet("/files/{name}", (string name) => Results.File(Path.Combine("data", name)));
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Look_alike_File_methods_of_user_types_are_not_reported()
    {
        var source = Usings + """
            public sealed class Results2
            {
                public static IResult File(string path) => Results.Ok(path);
            }

            public sealed class FakeController : ControllerBase
            {
                public IResult Get() => Results2.File("wwwroot/site.css");

                public new IActionResult File(string path, string type) => Ok();
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_local_assigned_twice_is_not_guessed()
    {
        var source = Controller("""
                private readonly IDocumentStore _store = null!;

                public IActionResult Either(int id, bool current)
                {
                    var path = Path.Combine(_env.WebRootPath, "report.pdf");
                    if (!current)
                    {
                        path = _store.StoredName(id);
                    }

                    return PhysicalFile(path, "application/pdf");
                }
            """);
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Incomplete_code_does_not_throw()
    {
        var source = Controller("""
                public IActionResult Broken() => PhysicalFile(Path.Combine(_env.WebRootPath, {|CS1525:)|}, "text/css");

                public IActionResult Missing() => File(System.IO.File.ReadAllBytes({|CS0103:unknown|}), "text/css");

                public IActionResult Recursive() => PhysicalFile(Loop("a"), "text/css");

                private string Loop(string value) => Loop(value);
            """);
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_project_without_AspNetCore_gets_no_analysis()
    {
        var test = new AnalyzerTest<StaticFileServedByHandlerAnalyzer>(withAspNetCore: false)
        {
            TestCode = """
                using System.IO;

                public sealed class FilesController
                {
                    public byte[] Get() => File.ReadAllBytes("wwwroot/site.css");
                }
                """,
        };
        await test.RunAsync();
    }
}
