using PerfRules.Razor;

namespace PerfRules.Tests.Razor;

public sealed class AntiforgeryViewsTests
{
    [Theory]
    [InlineData("<form method=\"post\"></form>", "a post form (the form tag helper adds an antiforgery token)")]
    [InlineData("<FORM class=\"x\" METHOD='Post' asp-action=\"Send\">", "a post form (the form tag helper adds an antiforgery token)")]
    [InlineData("<form method=post>", "a post form (the form tag helper adds an antiforgery token)")]
    [InlineData("<form asp-action=\"Send\">", "a post form (the form tag helper adds an antiforgery token)")]
    [InlineData("<form asp-page-handler=\"Send\" method=\"post\">", "a post form (the form tag helper adds an antiforgery token)")]
    [InlineData("<form action=\"\" method=\"post\">", "a post form (the form tag helper adds an antiforgery token)")]
    [InlineData("<form action=\"https://pay.example/\" method=\"post\" asp-antiforgery=\"true\">", "a form with asp-antiforgery=\"true\"")]
    [InlineData("<form asp-antiforgery=\"true\" method=\"get\">", "a form with asp-antiforgery=\"true\"")]
    [InlineData("@Html.AntiForgeryToken()", "Html.AntiForgeryToken()")]
    [InlineData("@using (Html.BeginForm(\"Save\", \"Home\")) { }", "Html.BeginForm()")]
    [InlineData("@using (Html.BeginRouteForm(\"save\")) { }", "Html.BeginRouteForm()")]
    public void Token_generators_are_found(string view, string expected)
        => Assert.Equal(expected, AntiforgeryViews.FindGenerator(view, tagHelpersImported: true));

    [Theory]
    [InlineData("<form method=\"get\"></form>")]
    [InlineData("<form action=\"/search\"></form>")]
    [InlineData("<form method=\"post\" asp-antiforgery=\"false\"></form>")]
    [InlineData("<form data-method=\"post\"></form>")]
    [InlineData("<form method=\"post\" action=\"/contact/send\"></form>")]
    [InlineData("<form asp-action=\"Search\" method=\"get\"></form>")]
    [InlineData("<form action=\"\"></form>")]
    [InlineData("@* <form method=\"post\"></form> *@")]
    [InlineData("<!-- @Html.AntiForgeryToken() -->")]
    [InlineData("@using (Html.BeginForm(\"Search\", \"Home\", FormMethod.Get)) { }")]
    [InlineData("<p>method=\"post\"</p><formula>")]
    [InlineData("")]
    public void Views_without_a_token_are_not_matched(string view)
        => Assert.Null(AntiforgeryViews.FindGenerator(view, tagHelpersImported: true));

    [Fact]
    public void Without_MVC_tag_helpers_a_post_form_is_plain_HTML_but_the_HTML_helpers_still_generate_tokens()
    {
        Assert.Null(AntiforgeryViews.FindGenerator("<form method=\"post\"></form>", tagHelpersImported: false));
        Assert.Null(AntiforgeryViews.FindGenerator("<form asp-antiforgery=\"true\"></form>", tagHelpersImported: false));
        Assert.Equal("Html.AntiForgeryToken()", AntiforgeryViews.FindGenerator("@Html.AntiForgeryToken()", tagHelpersImported: false));
    }

    [Fact]
    public void Unclosed_comments_and_huge_attribute_lists_do_not_throw()
    {
        // An unclosed Razor comment runs to the end of the file, as Razor reads it.
        Assert.Null(AntiforgeryViews.FindGenerator("@* <form method=\"post\">", tagHelpersImported: true));
        var huge = "<form " + new string('a', 200_000) + " method=\"post\">";
        Assert.Equal("a post form (the form tag helper adds an antiforgery token)", AntiforgeryViews.FindGenerator(huge, tagHelpersImported: true));
    }
}
