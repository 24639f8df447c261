using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Rules;

/// <summary>The fix edits the .cshtml additional document; see <see cref="AdditionalFileFixes"/> for how it is driven.</summary>
public sealed class PerUserDataInCacheTagFixerTests
{
    private const string ViewPath = "/app/Views/Shared/_Header.cshtml";

    private static async Task<string> FixAsync(string view)
    {
        using var fixes = new AdditionalFileFixes(new PerUserDataInCacheTagAnalyzer(), ViewPath, view);
        return await fixes.FixOnlyDiagnosticAsync(new PerUserDataInCacheTagFixer(), PerUserDataInCacheTagFixer.VaryKey);
    }

    [Fact]
    public async Task Adds_vary_by_user_to_the_cache_tag_in_the_view()
    {
        Assert.Equal("""
            <cache vary-by-user="true" expires-after="@TimeSpan.FromMinutes(10)">
                <p>Welcome back, @User.Identity?.Name</p>
            </cache>
            """, await FixAsync("""
            <cache expires-after="@TimeSpan.FromMinutes(10)">
                <p>Welcome back, @User.Identity?.Name</p>
            </cache>
            """));
    }

    [Fact]
    public async Task Extends_an_existing_vary_by_cookie_with_the_cookie_read()
    {
        Assert.Equal(
            """<cache vary-by-cookie="lang,theme"><p>@Context.Request.Cookies["theme"]</p></cache>""",
            await FixAsync("""<cache vary-by-cookie="lang"><p>@Context.Request.Cookies["theme"]</p></cache>"""));
    }

    [Fact]
    public async Task Fix_all_fixes_every_cache_tag_once_merging_cookies_and_leaves_no_diagnostic()
    {
        using var fixes = new AdditionalFileFixes(new PerUserDataInCacheTagAnalyzer(), ViewPath, """
            <cache><p>@Context.Request.Cookies["theme"] @Context.Request.Cookies["lang"]</p></cache>
            <distributed-cache name="n"><p>@User.Identity?.Name and @User.Identity?.AuthenticationType</p></distributed-cache>
            """);
        var diagnostics = await fixes.DiagnosticsAsync(fixes.View.Project);
        Assert.Equal(4, diagnostics.Length);
        var fixer = new PerUserDataInCacheTagFixer();
        Assert.Single(await AdditionalFileFixes.ActionsAsync(fixer, fixes.View, diagnostics[0]));
        var context = new FixAllContext(
            fixes.View.Project, fixer, FixAllScope.Project, PerUserDataInCacheTagFixer.VaryKey, [RuleIdentifiers.PerUserDataInSharedCacheTag],
            new DiagnosticProvider(diagnostics), CancellationToken.None);
        var action = await fixer.GetFixAllProvider()!.GetFixAsync(context);
        var solution = await AdditionalFileFixes.ApplyAsync(action!, fixes.View.Project.Solution);
        var view = solution.GetAdditionalDocument(fixes.View.Id)!;
        Assert.Equal("""
            <cache vary-by-cookie="theme,lang"><p>@Context.Request.Cookies["theme"] @Context.Request.Cookies["lang"]</p></cache>
            <distributed-cache vary-by-user="true" name="n"><p>@User.Identity?.Name and @User.Identity?.AuthenticationType</p></distributed-cache>
            """, (await view.GetTextAsync()).ToString());
        Assert.Empty(await fixes.DiagnosticsAsync(view.Project));
    }

    private sealed class DiagnosticProvider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
