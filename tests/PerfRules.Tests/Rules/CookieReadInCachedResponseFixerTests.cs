using Microsoft.CodeAnalysis;
using PerfRules.Caching;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using DiagnosticOptions = Microsoft.CodeAnalysis.Testing.DiagnosticOptions;
using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;

namespace PerfRules.Tests.Rules;

public sealed class CookieReadInCachedResponseFixerTests
{
    private const string Usings = """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.OutputCaching;

        """;

    [Theory]
    [InlineData("[OutputCache(Duration = 60)]", "[OutputCache(Duration = 60, VaryByHeaderNames = new[] { \"Cookie\" })]")]
    [InlineData("[OutputCache]", "[OutputCache(VaryByHeaderNames = new[] { \"Cookie\" })]")]
    [InlineData("[OutputCache(VaryByHeaderNames = new[] { \"Accept\" })]", "[OutputCache(VaryByHeaderNames = new[] { \"Accept\", \"Cookie\" })]")]
    [InlineData("[OutputCache(VaryByHeaderNames = new string[] { \"Accept\" })]", "[OutputCache(VaryByHeaderNames = new string[] { \"Accept\", \"Cookie\" })]")]
    [InlineData("[ResponseCache(Duration = 60)]", "[ResponseCache(Duration = 60, VaryByHeader = \"Cookie\")]")]
    [InlineData("[ResponseCache(Duration = 60, VaryByHeader = \"Accept\")]", "[ResponseCache(Duration = 60, VaryByHeader = \"Accept, Cookie\")]")]
    public async Task Vary_the_cache_by_this_cookie_adds_the_Cookie_header_to_the_handlers_attribute(string before, string after)
    {
        await RunAsync(
            Usings + "public class HomeController : Controller { " + before + " public IActionResult Index() => Content({|#0:Request.Cookies[\"c\"]|} ?? \"\"); }",
            Usings + "public class HomeController : Controller { " + after + " public IActionResult Index() => Content(Request.Cookies[\"c\"] ?? \"\"); }",
            CacheAttributeEdits.VaryByCookieKey,
            Expect(0, "c", before + " on 'Index'"));
    }

    [Theory]
    [InlineData("[OutputCache(Duration = 60)]", "[OutputCache(Duration = 60, NoStore = true)]")]
    [InlineData("[ResponseCache(Duration = 60, NoStore = false)]", "[ResponseCache(Duration = 60, NoStore = true)]")]
    public async Task Do_not_store_this_response_sets_NoStore_on_the_handlers_attribute(string before, string after)
    {
        await RunAsync(
            Usings + "public class HomeController : Controller { " + before + " public IActionResult Index() => Content({|#0:Request.Cookies[\"c\"]|} ?? \"\"); }",
            Usings + "public class HomeController : Controller { " + after + " public IActionResult Index() => Content(Request.Cookies[\"c\"] ?? \"\"); }",
            CacheAttributeEdits.NoStoreCookieReadKey,
            Expect(0, "c", before + " on 'Index'"));
    }

    [Fact]
    public async Task FixAll_vary_over_a_controller_edits_the_shared_controller_attribute_once()
    {
        var source = Usings + """
            [OutputCache(Duration = 60)]
            public class HomeController : Controller
            {
                public IActionResult A() => Content({|#0:Request.Cookies["a"]|} + {|#1:Request.Cookies["b"]|});
                public IActionResult B() => Content({|#2:Request.Cookies["c"]|} ?? "");
                public IActionResult C() => Content({|#3:Request.Cookies["d"]|} ?? "");
            }
            """;
        var fixedSource = Usings + """
            [OutputCache(Duration = 60, VaryByHeaderNames = new[] { "Cookie" })]
            public class HomeController : Controller
            {
                public IActionResult A() => Content(Request.Cookies["a"] + Request.Cookies["b"]);
                public IActionResult B() => Content(Request.Cookies["c"] ?? "");
                public IActionResult C() => Content(Request.Cookies["d"] ?? "");
            }
            """;

        const string Source = "[OutputCache(Duration = 60)] on 'HomeController'";
        await RunFixAllAsync(source, fixedSource, CacheAttributeEdits.VaryByCookieKey, Expect(0, "a", Source), Expect(1, "b", Source), Expect(2, "c", Source), Expect(3, "d", Source));
    }

    [Fact]
    public async Task FixAll_do_not_store_over_a_controller_gives_each_action_one_opting_out_attribute_and_keeps_the_others_cached()
    {
        var source = Usings + """
            [ResponseCache(Duration = 60)]
            public class HomeController : Controller
            {
                public IActionResult A() => Content({|#0:Request.Cookies["a"]|} + {|#1:Request.Cookies["b"]|});
                public IActionResult B() => Content({|#2:Request.Cookies["c"]|} ?? "");
                public IActionResult Shared() => Content("same for everyone");
            }
            """;
        var fixedSource = Usings + """
            [ResponseCache(Duration = 60)]
            public class HomeController : Controller
            {
                [ResponseCache(NoStore = true)]
                public IActionResult A() => Content(Request.Cookies["a"] + Request.Cookies["b"]);
                [ResponseCache(NoStore = true)]
                public IActionResult B() => Content(Request.Cookies["c"] ?? "");
                public IActionResult Shared() => Content("same for everyone");
            }
            """;

        const string Source = "[ResponseCache(Duration = 60)] on 'HomeController'";
        await RunFixAllAsync(source, fixedSource, CacheAttributeEdits.NoStoreCookieReadKey, Expect(0, "a", Source), Expect(1, "b", Source), Expect(2, "c", Source));
    }

    [Fact]
    public async Task Do_not_store_on_an_action_of_an_output_cached_controller_adds_the_attribute_and_its_import()
    {
        var source = """
            using Microsoft.AspNetCore.Mvc;

            [Microsoft.AspNetCore.OutputCaching.OutputCache]
            public class HomeController : Controller
            {
                public IActionResult Index() => Content({|#0:Request.Cookies["c"]|} ?? "");
            }
            """;
        var fixedSource = """
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.OutputCaching;

            [Microsoft.AspNetCore.OutputCaching.OutputCache]
            public class HomeController : Controller
            {
                [OutputCache(NoStore = true)]
                public IActionResult Index() => Content(Request.Cookies["c"] ?? "");
            }
            """;

        await RunAsync(source, fixedSource, CacheAttributeEdits.NoStoreCookieReadKey, Expect(0, "c", "[Microsoft.AspNetCore.OutputCaching.OutputCache] on 'HomeController'"));
    }

    [Fact]
    public async Task Vary_is_not_offered_when_the_existing_VaryByHeader_is_a_named_constant_it_cannot_extend()
    {
        var source = Usings + """
            public class HomeController : Controller
            {
                public const string Vary = "Accept";
                [ResponseCache(Duration = 60, VaryByHeader = Vary)]
                public IActionResult Index() => Content({|#0:Request.Cookies["c"]|} ?? "");
            }
            """;
        var test = new CodeFixTest<CookieReadInCachedResponseAnalyzer, CookieReadInCachedResponseFixer>
        {
            TestCode = source,
            FixedCode = source,
            CodeActionEquivalenceKey = CacheAttributeEdits.VaryByCookieKey,
        };
        test.ExpectedDiagnostics.Add(Expect(0, "c", "[ResponseCache(Duration = 60, VaryByHeader = Vary)] on 'Index'"));
        test.FixedState.ExpectedDiagnostics.Add(Expect(0, "c", "[ResponseCache(Duration = 60, VaryByHeader = Vary)] on 'Index'"));
        await test.RunAsync();
    }

    private static DiagnosticResult Expect(int location, string cookie, string source)
        => new DiagnosticResult(CookieReadInCachedResponseAnalyzer.Rule).WithLocation(location)
            .WithArguments("'Request.Cookies[\"" + cookie + "\"]' is read", source)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static async Task RunAsync(string source, string fixedSource, string key, params DiagnosticResult[] expected)
    {
        var test = new CodeFixTest<CookieReadInCachedResponseAnalyzer, CookieReadInCachedResponseFixer>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = key,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private static async Task RunFixAllAsync(string source, string fixedSource, string key, params DiagnosticResult[] expected)
    {
        var test = new CodeFixTest<CookieReadInCachedResponseAnalyzer, CookieReadInCachedResponseFixer>
        {
            TestCode = source,
            FixedCode = fixedSource,
            BatchFixedCode = fixedSource,
            CodeActionEquivalenceKey = key,
            NumberOfFixAllIterations = 1, // one FixAll pass fixes the whole controller, each attribute and action once
        };
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
