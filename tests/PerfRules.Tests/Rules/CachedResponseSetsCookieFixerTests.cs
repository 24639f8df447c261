using PerfRules.Caching;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using DiagnosticOptions = Microsoft.CodeAnalysis.Testing.DiagnosticOptions;
using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;

namespace PerfRules.Tests.Rules;

public sealed class CachedResponseSetsCookieFixerTests
{
    private const string Usings = """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.OutputCaching;

        """;

    [Fact]
    public async Task Do_not_store_this_response_sets_NoStore_on_the_handlers_attribute()
    {
        var test = new CodeFixTest<CachedResponseSetsCookieAnalyzer, CachedResponseSetsCookieFixer>
        {
            TestCode = Usings + """
                public class HomeController : Controller
                {
                    [OutputCache(Duration = 60)]
                    public IActionResult Index() { {|#0:Response.Cookies.Append("seen", "1")|}; return Ok(); }
                }
                """,
            FixedCode = Usings + """
                public class HomeController : Controller
                {
                    [OutputCache(Duration = 60, NoStore = true)]
                    public IActionResult Index() { Response.Cookies.Append("seen", "1"); return Ok(); }
                }
                """,
            CodeActionEquivalenceKey = CacheAttributeEdits.NoStoreCookieWriteKey,
        };
        test.ExpectedDiagnostics.Add(Expect(0, "'Response.Cookies.Append(\"seen\", \"1\")' sets a cookie", "[OutputCache(Duration = 60)] on 'Index'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task FixAll_over_a_controller_adds_one_opting_out_attribute_per_action_however_many_writes_it_has()
    {
        const string Source = "[OutputCache] on 'HomeController'";
        var test = new CodeFixTest<CachedResponseSetsCookieAnalyzer, CachedResponseSetsCookieFixer>
        {
            TestCode = Usings + """
                [OutputCache]
                public class HomeController : Controller
                {
                    public IActionResult A()
                    {
                        {|#0:Response.Cookies.Append("a", "1")|};
                        {|#1:Response.Cookies.Delete("b")|};
                        return Ok();
                    }

                    public IActionResult B() { {|#2:TempData["m"]|} = "x"; return Ok(); }
                }
                """,
            FixedCode = FixedController,
            BatchFixedCode = FixedController,
            CodeActionEquivalenceKey = CacheAttributeEdits.NoStoreCookieWriteKey,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.Add(Expect(0, "'Response.Cookies.Append(\"a\", \"1\")' sets a cookie", Source));
        test.ExpectedDiagnostics.Add(Expect(1, "'Response.Cookies.Delete(\"b\")' sets a cookie", Source));
        test.ExpectedDiagnostics.Add(Expect(2, "'TempData[\"m\"]' uses TempData, kept in a cookie by default", Source));
        await test.RunAsync();
    }

    private const string FixedController = Usings + """
                [OutputCache]
                public class HomeController : Controller
                {
                    [OutputCache(NoStore = true)]
                    public IActionResult A()
                    {
                        Response.Cookies.Append("a", "1");
                        Response.Cookies.Delete("b");
                        return Ok();
                    }

                    [OutputCache(NoStore = true)]
                    public IActionResult B() { TempData["m"] = "x"; return Ok(); }
                }
                """;

    private static DiagnosticResult Expect(int location, string use, string source)
        => new DiagnosticResult(CachedResponseSetsCookieAnalyzer.Rule).WithLocation(location).WithArguments(use, source)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
