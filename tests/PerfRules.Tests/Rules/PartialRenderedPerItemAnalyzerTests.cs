using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Rules;

public sealed class PartialRenderedPerItemAnalyzerTests
{
    private const string View = "/0/Views/Home/Index.cshtml";

    private static async Task VerifyAsync(string cshtml, bool withAspNetCore = true, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<PartialRenderedPerItemAnalyzer>(withAspNetCore) { TestCode = "public sealed class Placeholder { }" };
        test.TestState.AdditionalFiles.Add((View, cshtml));
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private static DiagnosticResult Reported(int markup, string display)
        => new DiagnosticResult(PartialRenderedPerItemAnalyzer.Rule).WithLocation(markup).WithArguments(display);

    [Fact]
    public async Task Partial_tag_helper_html_helper_and_view_component_in_loops_are_reported_at_their_line()
    {
        await VerifyAsync("""
            @model IEnumerable<Product>
            @foreach (var product in Model)
            {
                {|#0:<partial name="_Product" model="product" />|}
                @await {|#1:Html.PartialAsync|}("_Price", product)
            }
            @for (var i = 0; i < 3; i++)
            {
                {|#2:<vc:product-card index="i">|}</vc:product-card>
                @await {|#3:Component.InvokeAsync|}("Rating", i)
            }
            """,
            expected: [Reported(0, "<partial>"), Reported(1, "Html.PartialAsync"), Reported(2, "<vc:product-card>"), Reported(3, "Component.InvokeAsync")]);
    }

    [Fact]
    public async Task A_cache_tag_around_the_partial_or_the_loop_or_a_partial_outside_loops_is_fine()
    {
        await VerifyAsync("""
            @foreach (var product in Model)
            {
                <cache vary-by="@product.Id"><partial name="_Product" model="product" /></cache>
            }
            <distributed-cache name="list">
            @foreach (var product in Model) { <partial name="_Product" model="product" /> }
            </distributed-cache>
            <partial name="_Footer" />
            @* @foreach (var p in Model) { <partial name="_Old" /> } *@
            """);
    }

    [Fact]
    public async Task Malformed_views_other_files_and_apps_without_mvc_views_are_not_reported()
    {
        await VerifyAsync("@foreach (var p in Model) { <partial name=\"_P\" /> <div>");
        var test = new AnalyzerTest<PartialRenderedPerItemAnalyzer> { TestCode = "public sealed class Placeholder { }" };
        test.TestState.AdditionalFiles.Add(("/0/notes.txt", "@foreach (var p in Model) { <partial name=\"_P\" /> }"));
        await test.RunAsync();
        await VerifyAsync("@foreach (var p in Model) { <partial name=\"_P\" /> }", withAspNetCore: false);
    }
}
