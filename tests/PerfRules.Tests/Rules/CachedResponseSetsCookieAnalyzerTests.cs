using Microsoft.CodeAnalysis;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using DiagnosticOptions = Microsoft.CodeAnalysis.Testing.DiagnosticOptions;
using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.CachedResponseSetsCookieAnalyzer>;

namespace PerfRules.Tests.Rules;

public sealed class CachedResponseSetsCookieAnalyzerTests
{
    private const string Usings = """
        using System.Security.Claims;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.RazorPages;
        using Microsoft.AspNetCore.OutputCaching;

        """;

    [Fact]
    public async Task Appending_and_deleting_a_cookie_in_an_output_cached_action_is_reported_with_the_attribute_as_source()
    {
        var source = Usings + """
            public class HomeController : Controller
            {
                [{|#1:OutputCache|}]
                public IActionResult Index()
                {
                    {|#0:Response.Cookies.Append("seen", "1")|};
                    {|#2:HttpContext.Response.Cookies.Delete("old")|};
                    return View();
                }
            }
            """;

        await VerifyCS.AnalyzerAsync(source,
            new DiagnosticResult(CachedResponseSetsCookieAnalyzer.Rule).WithLocation(0).WithLocation(1)
                .WithArguments("'Response.Cookies.Append(\"seen\", \"1\")' sets a cookie", "[OutputCache] on 'Index'"),
            Direct(2, "'HttpContext.Response.Cookies.Delete(\"old\")' sets a cookie", "[OutputCache] on 'Index'"));
    }

    [Fact]
    public async Task The_Set_Cookie_header_session_writes_TempData_and_sign_in_are_reported()
    {
        var source = Usings + """
            [ResponseCache(Duration = 60)]
            public class HomeController : Controller
            {
                public IActionResult A() { {|#0:Response.Headers["Set-Cookie"]|} = "a=b"; return Ok(); }
                public IActionResult B() { {|#1:Response.Headers.Append("set-cookie", "a=b")|}; return Ok(); }
                public IActionResult C() { {|#2:Response.Headers.SetCookie|} = "a=b"; return Ok(); }
                public IActionResult D() { {|#3:HttpContext.Session.SetString("k", "v")|}; return Ok(); }
                public IActionResult E() { {|#4:TempData["message"]|} = "saved"; return Ok(); }
                public async Task<IActionResult> F() { await {|#5:HttpContext.SignInAsync(new ClaimsPrincipal())|}; return Ok(); }
                public IActionResult G() => {|#6:SignOut()|};
            }
            """;

        const string Source = "[ResponseCache(Duration = 60)] on 'HomeController'";
        await VerifyCS.AnalyzerAsync(source,
            Direct(0, "the Set-Cookie header is written ('Response.Headers[\"Set-Cookie\"]')", Source),
            Direct(1, "the Set-Cookie header is written ('Response.Headers.Append(\"set-cookie\", \"a=b\")')", Source),
            Direct(2, "the Set-Cookie header is written ('Response.Headers.SetCookie')", Source),
            Direct(3, "'HttpContext.Session.SetString(\"k\", \"v\")' writes the session, which sets the session cookie", Source),
            Direct(4, "'TempData[\"message\"]' uses TempData, kept in a cookie by default", Source),
            Direct(5, "'HttpContext.SignInAsync(new ClaimsPrincipal())' sets the authentication cookie", Source),
            Direct(6, "'SignOut()' sets the authentication cookie", Source));
    }

    [Fact]
    public async Task TempData_of_a_generic_class_deriving_from_TempDataDictionary_is_reported_and_a_look_alike_dictionary_is_not()
    {
        var source = Usings + """
            using System.Collections.Generic;
            using Microsoft.AspNetCore.Mvc.ViewFeatures;

            public sealed class Flash<T> : TempDataDictionary
            {
                public Flash(HttpContext context, ITempDataProvider provider) : base(context, provider) { }
            }

            public sealed class Notes<T> : Dictionary<string, T> { }

            [OutputCache]
            public class HomeController : Controller
            {
                public Flash<int> Messages { get; set; } = null!;
                public Notes<int> Drafts { get; set; } = new();
                public IActionResult A() { {|#0:Messages["saved"]|} = 1; return Ok(); }
                public IActionResult B() { Drafts["saved"] = 1; return Ok(); }
            }
            """;

        await VerifyCS.AnalyzerAsync(source,
            Direct(0, "'Messages[\"saved\"]' uses TempData, kept in a cookie by default", "[OutputCache] on 'HomeController'"));
    }

    [Fact]
    public async Task Cookie_writes_are_reported_even_when_the_cache_varies_by_cookie()
    {
        var source = Usings + """
            public class HomeController : Controller
            {
                [OutputCache(VaryByHeaderNames = new[] { "Cookie" })]
                public IActionResult Index() { {|#0:Response.Cookies.Append("a", "b")|}; return Ok(); }
            }
            """;

        await VerifyCS.AnalyzerAsync(source, Direct(0, "'Response.Cookies.Append(\"a\", \"b\")' sets a cookie", "[OutputCache(VaryByHeaderNames = new[] { \"Cookie\" })] on 'Index'"));
    }

    [Fact]
    public async Task Look_alikes_and_uncached_or_private_handlers_are_not_reported()
    {
        var source = Usings + """
            public sealed class Jar { public void Append(string k, string v) { } }

            public class HomeController : Controller
            {
                [OutputCache] public IActionResult A(Jar jar) { jar.Append("a", "b"); return Ok(); }
                [OutputCache] public IActionResult B() => Content(Response.Headers["Set-Cookie"].ToString() + Request.Cookies.Count);
                [OutputCache] public IActionResult C() { Response.Headers["X-Cookie"] = "1"; return Ok(); }
                [OutputCache(NoStore = true)] public IActionResult D() { Response.Cookies.Append("a", "b"); return Ok(); }
                [ResponseCache(Duration = 60, Location = ResponseCacheLocation.Client)] public IActionResult E() { Response.Cookies.Append("a", "b"); return Ok(); }
                public IActionResult F() { Response.Cookies.Append("a", "b"); return Ok(); }
                [OutputCache, HttpPost] public IActionResult G() { Response.Cookies.Append("a", "b"); return Ok(); }
            }
            """;

        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_cookie_write_in_a_method_mapped_as_a_method_group_is_reported_when_its_endpoint_is_cached()
    {
        var source = Usings + """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            public static class VisitEndpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/visit", Visit).CacheOutput();
                    app.MapGet("/uncached", Uncached);
                }

                private static string Visit(HttpResponse response)
                {
                    {|#0:response.Cookies.Append("seen", "1")|};
                    return "hello";
                }

                private static string Uncached(HttpResponse response)
                {
                    response.Cookies.Append("seen", "1");
                    return "hello";
                }
            }
            """;

        await VerifyCS.AnalyzerAsync(source, Direct(0, "'response.Cookies.Append(\"seen\", \"1\")' sets a cookie", "'.CacheOutput()' on the endpoint"));
    }

    [Fact]
    public async Task A_cookie_write_in_a_helper_of_a_generic_base_controller_is_reported_at_the_call()
    {
        var source = Usings + """
            public abstract class EntityController<TEntity> : Controller
            {
                protected void Remember(TEntity entity) => Response.Cookies.Append("seen", entity!.ToString()!);
                protected string Describe(TEntity entity) => entity!.ToString()!;
            }

            [OutputCache]
            public class ProductsController : EntityController<int>
            {
                public IActionResult Index() { {|#0:Remember(1)|}; return View(); }
                public IActionResult Details() => Content(Describe(2));
            }
            """;

        await VerifyCS.AnalyzerAsync(source, Project(0, "'Response.Cookies.Append(\"seen\", entity!.ToString()!)' sets a cookie (through 'Remember()')", "[OutputCache] on 'ProductsController'"));
    }

    [Fact]
    public async Task A_cookie_write_in_a_helper_is_reported_at_the_call()
    {
        var source = Usings + """
            [OutputCache]
            public class HomeController : Controller
            {
                public IActionResult Index() { {|#0:Remember()|}; return View(); }
                private void Remember() => Response.Cookies.Append("seen", "1");
            }
            """;

        await VerifyCS.AnalyzerAsync(source, Project(0, "'Response.Cookies.Append(\"seen\", \"1\")' sets a cookie (through 'Remember()')", "[OutputCache] on 'HomeController'"));
    }

    [Fact]
    public async Task A_cookie_write_in_a_helper_called_on_this_is_reported_and_on_another_controller_is_not()
    {
        var source = Usings + """
            [OutputCache]
            public class HomeController : Controller
            {
                public IActionResult Index() { {|#0:this.Remember()|}; return View(); }
                public IActionResult Other() { new HomeController().Remember(); return View(); }
                private void Remember() => Response.Cookies.Append("seen", "1");
            }
            """;

        await VerifyCS.AnalyzerAsync(source, Project(0, "'Response.Cookies.Append(\"seen\", \"1\")' sets a cookie (through 'Remember()')", "[OutputCache] on 'HomeController'"));
    }

    [Fact]
    public async Task A_cookie_write_through_a_helper_of_a_GET_page_handler_is_reported_and_through_a_helper_that_is_not_a_handler_is_not()
    {
        var source = Usings + """
            [OutputCache]
            public class IndexModel : PageModel
            {
                public void OnGet() => {|#0:Remember()|};
                public void OnPost() => Remember();
                internal void NotAHandler() => Remember();
                private void Remember() => Response.Cookies.Append("seen", "1");
            }
            """;

        await VerifyCS.AnalyzerAsync(source, Project(0, "'Response.Cookies.Append(\"seen\", \"1\")' sets a cookie (through 'Remember()')", "[OutputCache] on 'IndexModel'"));
    }

    [Fact]
    public async Task A_page_model_using_TempData_under_a_base_output_cache_policy_is_reported()
    {
        var test = new AnalyzerTest<CachedResponseSetsCookieAnalyzer>
        {
            TestCode = """
                using Microsoft.AspNetCore.Builder;
                using Microsoft.AspNetCore.Mvc.RazorPages;
                using Microsoft.Extensions.DependencyInjection;

                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddOutputCache(o => o.AddBasePolicy(b => b.Cache()));
                var app = builder.Build();
                app.UseOutputCache();
                app.MapRazorPages();
                app.Run();

                public class IndexModel : PageModel
                {
                    public string? Message { get; private set; }
                    public void OnGet() => Message = {|#0:TempData["message"]|} as string;
                }
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Project(0, "'TempData[\"message\"]' uses TempData, kept in a cookie by default", "the output-cache base policy (AddBasePolicy)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_base_output_cache_policy_configured_in_a_field_initializer_is_seen()
    {
        var test = new AnalyzerTest<CachedResponseSetsCookieAnalyzer>
        {
            TestCode = """
                using System;
                using Microsoft.AspNetCore.Builder;
                using Microsoft.AspNetCore.Mvc.RazorPages;
                using Microsoft.AspNetCore.OutputCaching;
                using Microsoft.Extensions.DependencyInjection;

                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddOutputCache(CachePolicies.Configure);
                var app = builder.Build();
                app.UseOutputCache();
                app.MapRazorPages();
                app.Run();

                public static class CachePolicies
                {
                    public static readonly Action<OutputCacheOptions> Configure = o => o.AddBasePolicy(b => b.Cache());
                }

                public class IndexModel : PageModel
                {
                    public string? Message { get; private set; }
                    public void OnGet() => Message = {|#0:TempData["message"]|} as string;
                }
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Project(0, "'TempData[\"message\"]' uses TempData, kept in a cookie by default", "the output-cache base policy (AddBasePolicy)"));
        await test.RunAsync();
    }

    // ---- antiforgery tokens generated by the rendered view ----

    private const string ViewImports = "@using App\n@addTagHelper *, Microsoft.AspNetCore.Mvc.TagHelpers\n";

    private static async Task ViewsAsync(string source, (string Path, string Text)[] views, params DiagnosticResult[] expected)
    {
        var test = ViewsTest(source, views);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private static AnalyzerTest<CachedResponseSetsCookieAnalyzer> ViewsTest(string source, (string Path, string Text)[] views)
    {
        var test = new AnalyzerTest<CachedResponseSetsCookieAnalyzer> { TestCode = source };
        foreach (var view in views)
        {
            test.TestState.AdditionalFiles.Add(view);
        }

        return test;
    }

    [Fact]
    public async Task A_cached_action_whose_view_has_a_post_form_is_reported_at_the_render()
    {
        var source = Usings + """
            [OutputCache(Duration = 60)]
            public class HomeController : Controller
            {
                public IActionResult Contact() => {|#0:View()|};
                public IActionResult About() => {|#1:View("Contact")|};
                public IActionResult Search() => View();
                public async Task<IActionResult> IndexAsync() { await Task.Yield(); return {|#2:View()|}; }
                [ActionName("Subscribe")]
                public IActionResult Newsletter() => {|#3:View()|};
            }
            """;
        await ViewsAsync(source,
            [
                ("/0/Views/_ViewImports.cshtml", ViewImports),
                ("/0/Views/Home/Contact.cshtml", "<h1>Contact</h1>\n<form method=\"post\" asp-action=\"Send\">\n  <input name=\"message\" />\n</form>\n"),
                ("/0/Views/Home/Search.cshtml", "<form method=\"get\"><input name=\"q\" /></form>\n"),
                ("/0/Views/Shared/Index.cshtml", "@using (Html.BeginForm()) { <input name=\"q\" /> }\n"),
                ("/0/Views/Home/Subscribe.cshtml", "@Html.AntiForgeryToken()\n"),
            ],
            Direct(0, "'View()' renders 'Views/Home/Contact.cshtml' with a post form (the form tag helper adds an antiforgery token), which sets the antiforgery cookie", "[OutputCache(Duration = 60)] on 'HomeController'"),
            Direct(1, "'View(\"Contact\")' renders 'Views/Home/Contact.cshtml' with a post form (the form tag helper adds an antiforgery token), which sets the antiforgery cookie", "[OutputCache(Duration = 60)] on 'HomeController'"),
            Direct(2, "'View()' renders 'Views/Shared/Index.cshtml' with Html.BeginForm(), which sets the antiforgery cookie", "[OutputCache(Duration = 60)] on 'HomeController'"),
            Direct(3, "'View()' renders 'Views/Home/Subscribe.cshtml' with Html.AntiForgeryToken(), which sets the antiforgery cookie", "[OutputCache(Duration = 60)] on 'HomeController'"));
    }

    [Fact]
    public async Task A_view_rendered_in_a_local_function_or_a_lambda_is_the_actions_view()
    {
        // View() without a name renders the action's view: the method declaration around the call, not the local function
        // or lambda it is written in.
        var source = Usings + """
            [OutputCache(Duration = 60)]
            public class HomeController : Controller
            {
                public IActionResult Contact()
                {
                    IActionResult Render() => {|#0:View()|};
                    return Render();
                }

                public IActionResult About()
                {
                    System.Func<IActionResult> render = () => {|#1:View()|};
                    return render();
                }
            }
            """;
        await ViewsAsync(source,
            [
                ("/0/Views/_ViewImports.cshtml", ViewImports),
                ("/0/Views/Home/Contact.cshtml", "<form method=\"post\"></form>\n"),
                ("/0/Views/Home/About.cshtml", "@Html.AntiForgeryToken()\n"),
                ("/0/Views/Home/Render.cshtml", "<p>not the action's view</p>\n"),
            ],
            Direct(0, "'View()' renders 'Views/Home/Contact.cshtml' with a post form (the form tag helper adds an antiforgery token), which sets the antiforgery cookie", "[OutputCache(Duration = 60)] on 'HomeController'"),
            Direct(1, "'View()' renders 'Views/Home/About.cshtml' with Html.AntiForgeryToken(), which sets the antiforgery cookie", "[OutputCache(Duration = 60)] on 'HomeController'"));
    }

    [Fact]
    public async Task Renders_of_actions_cached_only_by_MapControllers_CacheOutput_are_reported_when_their_view_sets_the_cookie()
    {
        // Whether these actions are cached is known only once Program.cs is seen: the views are read then.
        var test = ViewsTest(
            """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddOutputCache();
            var app = builder.Build();
            app.UseOutputCache();
            app.MapControllers().CacheOutput();
            app.Run();

            public class HomeController : Controller
            {
                public IActionResult Contact() => {|#0:View()|};
                public IActionResult Search() => View();
            }
            """,
            [
                ("/0/Views/_ViewImports.cshtml", ViewImports),
                ("/0/Views/Home/Contact.cshtml", "<form method=\"post\"><button>Send</button></form>\n"),
                ("/0/Views/Home/Search.cshtml", "<form method=\"get\"><input name=\"q\" /></form>\n"),
            ]);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Project(0, "'View()' renders 'Views/Home/Contact.cshtml' with a post form (the form tag helper adds an antiforgery token), which sets the antiforgery cookie", "'.CacheOutput()' on MapControllers()"));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_render_in_a_helper_is_reported_when_its_view_sets_the_cookie_and_passed_over_when_it_does_not()
    {
        // Form() renders a view with a token; Find() renders one without and then sets a cookie, which is what is reported.
        var source = Usings + """
            [OutputCache(Duration = 60)]
            public class HomeController : Controller
            {
                public IActionResult Contact() => {|#0:Form()|};
                public IActionResult Search() => {|#1:Find()|};

                private IActionResult Form() => View("Contact");

                private IActionResult Find()
                {
                    var view = View("Search");
                    Response.Cookies.Append("last", "search");
                    return view;
                }
            }
            """;
        await ViewsAsync(source,
            [
                ("/0/Views/_ViewImports.cshtml", ViewImports),
                ("/0/Views/Home/Contact.cshtml", "<form method=\"post\"><button>Send</button></form>\n"),
                ("/0/Views/Home/Search.cshtml", "<form method=\"get\"><input name=\"q\" /></form>\n"),
            ],
            Project(0, "'View(\"Contact\")' renders 'Views/Home/Contact.cshtml' with a post form (the form tag helper adds an antiforgery token), which sets the antiforgery cookie (through 'Form()')", "[OutputCache(Duration = 60)] on 'HomeController'"),
            Project(1, "'Response.Cookies.Append(\"last\", \"search\")' sets a cookie (through 'Find()')", "[OutputCache(Duration = 60)] on 'HomeController'"));
    }

    [Fact]
    public async Task A_cached_page_whose_cshtml_has_a_post_form_is_reported_at_Page()
    {
        var test = new AnalyzerTest<CachedResponseSetsCookieAnalyzer>();
        test.TestState.Sources.Add(("/0/Pages/Contact.cshtml.cs", Usings + """
            [OutputCache(Duration = 60)]
            public class ContactModel : PageModel
            {
                public IActionResult OnGet() => {|#0:Page()|};
            }
            """));
        test.TestState.AdditionalFiles.Add(("/0/Pages/_ViewImports.cshtml", ViewImports));
        test.TestState.AdditionalFiles.Add(("/0/Pages/Contact.cshtml", "@page\n@model ContactModel\n<form method=\"POST\"><button>Send</button></form>\n"));
        test.ExpectedDiagnostics.Add(Direct(0, "'Page()' renders 'Pages/Contact.cshtml' with a post form (the form tag helper adds an antiforgery token), which sets the antiforgery cookie", "[OutputCache(Duration = 60)] on 'ContactModel'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Views_without_a_token_are_not_reported()
    {
        var source = Usings + """
            [OutputCache(Duration = 60)]
            public class HomeController : Controller
            {
                public IActionResult Get() => View();
                public IActionResult Opted() => View();
                public IActionResult Commented() => View();
                public IActionResult Dynamic(string name) => View(name);
                public IActionResult Missing() => View();
                public IActionResult Search() => View();
            }

            public class PlainController : Controller
            {
                public IActionResult Get() => View();
            }
            """;
        await ViewsAsync(source,
            [
                ("/0/Views/_ViewImports.cshtml", ViewImports),
                ("/0/Views/Home/Get.cshtml", "<form method=\"get\" action=\"/search\"></form>\n<form action=\"/x\"></form>\n<form method=\"post\" action=\"https://pay.example/\"></form>\n"),
                ("/0/Views/Home/Opted.cshtml", "<form method=\"post\" asp-antiforgery=\"false\"></form>\n"),
                ("/0/Views/Home/Commented.cshtml", "@* <form method=\"post\"></form> *@\n<!-- @Html.AntiForgeryToken() -->\n"),
                ("/0/Views/Home/Search.cshtml", "@using (Html.BeginForm(\"Search\", \"Home\", FormMethod.Get)) { }\n"),
                ("/0/Views/Plain/Get.cshtml", "<form method=\"post\"></form>\n"),
            ]);
    }

    [Fact]
    public async Task A_post_form_without_MVC_tag_helpers_is_plain_HTML_and_is_not_reported()
    {
        var source = Usings + """
            [OutputCache(Duration = 60)]
            public class HomeController : Controller
            {
                public IActionResult Contact() => View();
            }
            """;
        await ViewsAsync(source, [("/0/Views/Home/Contact.cshtml", "<form method=\"post\"></form>\n")]);
    }

    private static DiagnosticResult Direct(int location, string use, string source)
        => new DiagnosticResult(CachedResponseSetsCookieAnalyzer.Rule).WithLocation(location).WithArguments(use, source).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static DiagnosticResult Project(int location, string use, string source)
        => new DiagnosticResult(CachedResponseSetsCookieAnalyzer.ProjectRule).WithLocation(location).WithArguments(use, source).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
