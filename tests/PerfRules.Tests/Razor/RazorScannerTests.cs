using Microsoft.CodeAnalysis.Text;
using PerfRules.Razor;

namespace PerfRules.Tests.Razor;

public sealed class RazorScannerTests
{
    private static string Text(RazorDocument document, string source, TextSpan span) => source.Substring(span.Start, span.Length);

    private static bool IsCode(RazorDocument document, string source, string fragment)
    {
        var start = source.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(start >= 0, fragment);
        return document.Code.Any(span => span.Contains(new TextSpan(start, fragment.Length)));
    }

    [Fact]
    public void A_partial_tag_in_a_foreach_body_is_in_a_loop_and_not_cached()
    {
        const string source = """
            @model IEnumerable<Product>
            <ul>
            @foreach (var product in Model)
            {
                <li><partial name="_Product" model="product" /></li>
            }
            </ul>
            """;
        var document = RazorScanner.Scan(source);
        Assert.True(document.IsComplete);
        var partial = Assert.Single(document.Partials);
        Assert.Equal("<partial>", partial.Display);
        Assert.True(document.IsInLoop(partial.Span));
        Assert.Empty(document.CachesAround(partial.Span));
        Assert.Equal("foreach", Text(document, source, Assert.Single(document.Loops).Keyword));
    }

    [Fact]
    public void Html_helpers_and_view_components_in_code_blocks_and_expressions_are_partials()
    {
        const string source = """
            @{
                foreach (var item in Model.Items)
                {
                    await Html.RenderPartialAsync("_Item", item);
                }
            }
            @for (var i = 0; i < 3; i++)
            {
                @await Component.InvokeAsync("Card", new { i })
                <vc:product-card index="i"></vc:product-card>
            }
            @await Html.PartialAsync("_Footer")
            """;
        var document = RazorScanner.Scan(source);
        Assert.True(document.IsComplete);
        Assert.Equal(["Html.RenderPartialAsync", "Component.InvokeAsync", "<vc:product-card>", "Html.PartialAsync"], document.Partials.OrderBy(p => p.Span.Start).Select(p => p.Display));
        Assert.Equal([true, true, true, false], document.Partials.OrderBy(p => p.Span.Start).Select(p => document.IsInLoop(p.Span)));
        Assert.Equal(2, document.Loops.Length);
    }

    [Fact]
    public void A_cache_tag_around_the_loop_or_the_partial_encloses_it_and_its_attributes_are_read()
    {
        const string source = """
            <cache vary-by-user="true" expires-after="@TimeSpan.FromMinutes(5)">
            @foreach (var p in Model) { <partial name="_P" model="p" /> }
            </cache>
            """;
        var document = RazorScanner.Scan(source);
        var partial = Assert.Single(document.Partials);
        var cache = Assert.Single(document.CachesAround(partial.Span));
        Assert.Equal("true", cache.Attributes["vary-by-user"]);
        Assert.True(cache.Attributes.ContainsKey("expires-after"));
    }

    [Fact]
    public void Comments_strings_emails_and_escaped_at_signs_hold_no_code_or_partials()
    {
        const string source = """
            @* @foreach (var p in Model) { <partial name="_P" /> } *@
            <!-- <partial name="_Old" /> -->
            <p>Write to sales@example.com or @@User.Name</p>
            @{ var brace = "}"; var other = '{'; }
            <p>@brace</p>
            """;
        var document = RazorScanner.Scan(source);
        Assert.True(document.IsComplete);
        Assert.Empty(document.Partials);
        Assert.Empty(document.Loops);
        Assert.False(IsCode(document, source, "example.com"));
        Assert.False(IsCode(document, source, "User.Name"));
        Assert.True(IsCode(document, source, "brace</p>".Substring(0, 5)));
    }

    [Fact]
    public void Implicit_explicit_and_control_flow_code_is_code_and_markup_text_is_not()
    {
        const string source = """
            <cache>
              <p>Hello @User.Identity?.Name, you have @(Context.Session.GetInt32("n")) items</p>
              @if (Context.Request.Cookies.ContainsKey("x")) { <text>User. is just text here</text> }
            </cache>
            """;
        var document = RazorScanner.Scan(source);
        Assert.True(document.IsComplete);
        Assert.True(IsCode(document, source, "User.Identity?.Name"));
        Assert.True(IsCode(document, source, "Context.Session.GetInt32"));
        Assert.True(IsCode(document, source, "Context.Request.Cookies.ContainsKey"));
        Assert.False(IsCode(document, source, "User. is just text"));
        Assert.Single(document.Caches);
    }

    [Fact]
    public void Else_branches_sections_and_text_lines_are_followed()
    {
        const string source = """
            @if (Model.Any())
            {
                @:Items: @Model.Count()
            }
            else
            {
                <p>none</p>
            }
            @section Scripts {
                <script>var x = { a: 1 };</script>
                @foreach (var s in Model) { <partial name="_S" /> }
            }
            """;
        var document = RazorScanner.Scan(source);
        Assert.True(document.IsComplete);
        Assert.True(IsCode(document, source, "Model.Count()"));
        var partial = Assert.Single(document.Partials);
        Assert.True(document.IsInLoop(partial.Span));
    }

    [Theory]
    [InlineData("@foreach (var p in Model) { <div>")]
    [InlineData("@{ var x = 1;")]
    [InlineData("<cache><p>@User.Identity.Name</p>")]
    [InlineData("@* never closed")]
    [InlineData("@(Model.Count")]
    public void Malformed_files_are_reported_incomplete_without_throwing(string source)
    {
        Assert.False(RazorScanner.Scan(source).IsComplete);
    }

    [Fact]
    public void Huge_and_deeply_nested_files_and_binary_noise_do_not_throw()
    {
        var nested = string.Concat(Enumerable.Repeat("@if (true) { ", 500)) + string.Concat(Enumerable.Repeat("}", 500));
        _ = RazorScanner.Scan(nested);
        var huge = string.Concat(Enumerable.Repeat("<li>@item.Name <partial name=\"_P\" /></li>\n", 20_000));
        Assert.Equal(20_000, RazorScanner.Scan(huge).Partials.Length);
        var random = new Random(5);
        var noise = new string(Enumerable.Range(0, 5000).Select(_ => (char)random.Next(0, 0xD7FF)).ToArray());
        _ = RazorScanner.Scan(noise);
        foreach (var cut in Enumerable.Range(0, 40))
        {
            const string source = "@foreach (var p in Model) { <cache vary-by=\"@p.Id\"><partial name=\"_P\" model=\"p\" /></cache> } @{ var s = \"x\"; }";
            _ = RazorScanner.Scan(source.Substring(0, source.Length * cut / 40));
        }
    }
}
