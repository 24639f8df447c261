using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace PerfRules.Tests.Infrastructure;

/// <summary>
/// Drives analyzers and fixers on an additional document (a .cshtml view) through the workspace APIs an IDE uses.
/// Microsoft.CodeAnalysis.Testing 1.1.4 does not hand diagnostics of additional files to code fixes.
/// </summary>
internal sealed class AdditionalFileFixes : IDisposable
{
    private readonly AdhocWorkspace _workspace = new();
    private readonly DiagnosticAnalyzer _analyzer;

    public AdditionalFileFixes(DiagnosticAnalyzer analyzer, string path, string text)
    {
        _analyzer = analyzer;
        var project = _workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "App", "App", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            metadataReferences: TestReferences.AspNetCore));
        var info = DocumentInfo.Create(DocumentId.CreateNewId(project.Id), Path.GetFileName(path), filePath: path,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Default)));
        Assert.True(_workspace.TryApplyChanges(_workspace.CurrentSolution.AddAdditionalDocument(info)));
        View = _workspace.CurrentSolution.GetAdditionalDocument(info.Id)!;
    }

    public TextDocument View { get; }

    public async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var options = new AnalyzerOptions(project.AdditionalDocuments.Select(d => (AdditionalText)new DocumentText(d)).ToImmutableArray());
        return await compilation.WithAnalyzers([_analyzer], options).GetAnalyzerDiagnosticsAsync();
    }

    public static async Task<List<CodeAction>> ActionsAsync(CodeFixProvider fixer, TextDocument document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions;
    }

    public static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
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

    /// <summary>Applies the single fix of the only diagnostic; returns the fixed view text, asserting no diagnostic is left.</summary>
    public async Task<string> FixOnlyDiagnosticAsync(CodeFixProvider fixer, string equivalenceKey)
    {
        var diagnostic = Assert.Single(await DiagnosticsAsync(View.Project));
        var action = Assert.Single(await ActionsAsync(fixer, View, diagnostic));
        Assert.Equal(equivalenceKey, action.EquivalenceKey);
        var solution = await ApplyAsync(action, View.Project.Solution);
        var fixedView = solution.GetAdditionalDocument(View.Id)!;
        Assert.Empty(await DiagnosticsAsync(fixedView.Project));
        return (await fixedView.GetTextAsync()).ToString();
    }

    public void Dispose() => _workspace.Dispose();

    private sealed class DocumentText(TextDocument document) : AdditionalText
    {
        public override string Path => document.FilePath!;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => document.GetTextAsync(cancellationToken).Result;
    }
}
