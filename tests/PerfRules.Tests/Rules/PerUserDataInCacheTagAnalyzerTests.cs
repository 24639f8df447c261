using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Rules;

public sealed class PerUserDataInCacheTagAnalyzerTests
{
    private const string View = "/0/Views/Shared/_Header.cshtml";

    private static async Task VerifyAsync(string cshtml, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<PerUserDataInCacheTagAnalyzer> { TestCode = "public sealed class Placeholder { }" };
        test.TestState.AdditionalFiles.Add((View, cshtml));
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private static DiagnosticResult Reported(int markup, string data, string tag, string suggestion)
        => new DiagnosticResult(PerUserDataInCacheTagAnalyzer.Rule).WithLocation(markup).WithArguments(data, tag, suggestion);

    [Fact]
    public async Task User_cookie_and_session_reads_in_a_cache_without_a_matching_key_are_reported()
    {
        await VerifyAsync("""
            <cache expires-after="@TimeSpan.FromMinutes(10)">
                <p>Welcome back, @{|#0:User|}.Identity?.Name</p>
                <p>Theme: @{|#1:Context.Request.Cookies|}["theme"]</p>
                <p>Cart: @({|#2:Context.Session|}.GetInt32("items"))</p>
            </cache>
            <distributed-cache name="greeting" vary-by-cookie="lang">
                @if ({|#3:Context.User|}.Identity!.IsAuthenticated) { <text>Hi</text> }
                @{|#4:Context.Request.Cookies|}["theme"]
            </distributed-cache>
            """,
            Reported(0, "User", "cache", "vary-by-user=\"true\""),
            Reported(1, "Context.Request.Cookies", "cache", "vary-by-cookie=\"theme\""),
            Reported(2, "Context.Session", "cache", "vary-by-cookie=\".AspNetCore.Session\""),
            Reported(3, "Context.User", "distributed-cache", "vary-by-user=\"true\""),
            Reported(4, "Context.Request.Cookies", "distributed-cache", "vary-by-cookie=\"lang,theme\""));
    }

    [Fact]
    public async Task Keys_that_vary_by_the_data_disabled_caches_and_reads_outside_caches_are_fine()
    {
        await VerifyAsync("""
            <p>Outside: @User.Identity?.Name</p>
            <cache vary-by-user="true"><p>@User.Identity?.Name</p></cache>
            <cache vary-by-cookie="theme, lang"><p>@Context.Request.Cookies["Theme"]</p></cache>
            <cache vary-by="@Context.Session.Id"><p>@Context.Session.GetString("x")</p></cache>
            <cache enabled="false"><p>@User.Identity?.Name</p></cache>
            <cache><p>User.Identity is plain text here, and @Model.User.Name is the model's</p></cache>
            @* <cache><p>@User.Identity.Name</p></cache> *@
            """);
    }

    [Fact]
    public async Task A_malformed_view_is_not_reported()
    {
        await VerifyAsync("<cache><p>@User.Identity.Name</p>");
    }
}
