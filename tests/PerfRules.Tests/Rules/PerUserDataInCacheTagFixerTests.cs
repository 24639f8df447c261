using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Rules;

/// <summary>
/// The fix edits the .cshtml additional document. Microsoft.CodeAnalysis.Testing 1.1.4 does not hand
/// diagnostics of additional files to code fixes, so these tests drive the CodeFixProvider API the way an IDE
/// does: a workspace with the view as an additional document, the analyzer's diagnostics, a CodeFixContext on
/// the TextDocument, and the fix-all context of the BatchFixer.
/// </summary>
public sealed class PerUserDataInCacheTagFixerTests
{
    private const string ViewPath = "/app/Views/Shared/_Header.cshtml";

    [Fact]
    public async Task Adds_vary_by_user_to_the_cache_tag_in_the_view()
    {
        var fixedView = await FixOneAsync("""
            <cache expires-after="@TimeSpan.FromMinutes(10)">
                <p>Welcome back, @User.Identity?.Name</p>
            </cache>
            """);
        Assert.Equal("""
            <cache vary-by-user="true" expires-after="@TimeSpan.FromMinutes(10)">
                <p>Welcome back, @User.Identity?.Name</p>
            </cache>
            """, fixedView);
    }

    [Fact]
    public async Task Extends_an_existing_vary_by_cookie_with_the_cookie_read()
    {
        var fixedView = await FixOneAsync("""<cache vary-by-cookie="lang"><p>@Context.Request.Cookies["theme"]</p></cache>""");
        Assert.Equal("""<cache vary-by-cookie="lang,theme"><p>@Context.Request.Cookies["theme"]</p></cache>""", fixedView);
    }

    [Fact]
    public async Task Fix_all_fixes_every_cache_tag_once_and_the_fixed_view_has_no_diagnostic_left()
    {
        var (workspace, document) = CreateWorkspace("""
            <cache><p>@Context.Request.Cookies["theme"]</p></cache>
            <distributed-cache name="n"><p>@User.Identity?.Name and @User.Identity?.AuthenticationType</p></distributed-cache>
            """);
        using var _ = workspace;
        var diagnostics = await DiagnosticsAsync(document.Project);
        Assert.Equal(3, diagnostics.Length);
        var fixer = new PerUserDataInCacheTagFixer();
        var actions = await ActionsAsync(fixer, document, diagnostics[0]);
        var fixAll = fixer.GetFixAllProvider()!;
        var context = new FixAllContext(
            document.Project, fixer, FixAllScope.Project, PerUserDataInCacheTagFixer.VaryKey, [RuleIdentifiers.PerUserDataInSharedCacheTag],
            new DiagnosticProvider(diagnostics), CancellationToken.None);
        var action = await fixAll.GetFixAsync(context);
        Assert.NotNull(action);
        var solution = await ApplyAsync(action!, document.Project.Solution);
        var view = solution.GetAdditionalDocument(document.Id)!;
        Assert.Equal("""
            <cache vary-by-cookie="theme"><p>@Context.Request.Cookies["theme"]</p></cache>
            <distributed-cache vary-by-user="true" name="n"><p>@User.Identity?.Name and @User.Identity?.AuthenticationType</p></distributed-cache>
            """, (await view.GetTextAsync()).ToString());
        Assert.Empty(await DiagnosticsAsync(view.Project));
        Assert.Single(actions);
    }

    private static async Task<string> FixOneAsync(string view)
    {
        var (workspace, document) = CreateWorkspace(view);
        using var _ = workspace;
        var diagnostic = Assert.Single(await DiagnosticsAsync(document.Project));
        var action = Assert.Single(await ActionsAsync(new PerUserDataInCacheTagFixer(), document, diagnostic));
        Assert.Equal(PerUserDataInCacheTagFixer.VaryKey, action.EquivalenceKey);
        var solution = await ApplyAsync(action, document.Project.Solution);
        var fixedDocument = solution.GetAdditionalDocument(document.Id)!;
        Assert.Empty(await DiagnosticsAsync(fixedDocument.Project));
        return (await fixedDocument.GetTextAsync()).ToString();
    }

    private static (AdhocWorkspace Workspace, TextDocument View) CreateWorkspace(string view)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "App", "App", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            metadataReferences: TestReferences.AspNetCore));
        var additional = DocumentInfo.Create(DocumentId.CreateNewId(project.Id), "_Header.cshtml", filePath: ViewPath,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(view), VersionStamp.Default)));
        var solution = workspace.CurrentSolution.AddAdditionalDocument(additional);
        Assert.True(workspace.TryApplyChanges(solution));
        return (workspace, workspace.CurrentSolution.GetAdditionalDocument(additional.Id)!);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var options = new AnalyzerOptions(project.AdditionalDocuments.Select(d => (AdditionalText)new ViewText(d)).ToImmutableArray());
        return await compilation.WithAnalyzers([new PerUserDataInCacheTagAnalyzer()], options).GetAnalyzerDiagnosticsAsync();
    }

    private static async Task<List<CodeAction>> ActionsAsync(CodeFixProvider fixer, TextDocument document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await fixer.RegisterCodeFixesAsync(context);
        return actions;
    }

    private static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
        {
            if (operation is ApplyChangesOperation apply)
            {
                solution = apply.ChangedSolution;
            }
        }

        return solution;
    }

    private sealed class ViewText(TextDocument document) : AdditionalText
    {
        public override string Path => document.FilePath!;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => document.GetTextAsync(cancellationToken).Result;
    }

    private sealed class DiagnosticProvider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
