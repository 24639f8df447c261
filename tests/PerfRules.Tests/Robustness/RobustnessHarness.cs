using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Robustness;

/// <summary>
/// Runs every analyzer and every code fix on a source the way an IDE does, and collects what went wrong:
/// exceptions thrown by analyzers (reported through onAnalyzerException and as AD0001), exceptions escaping a
/// fixer's RegisterCodeFixesAsync or a code action, and fixes whose result has more compiler errors than the input.
/// </summary>
internal static class RobustnessHarness
{
    /// <summary>The implicit usings of an ASP.NET Core web project, as their own file.</summary>
    public const string WebGlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    // Bounds per mutant: enough to exercise every fixer, small enough to keep the suite fast.
    private const int MaxDiagnosticsFixedPerRule = 1;

    private static readonly PropertyInfo? NestedActionsProperty =
        typeof(CodeAction).GetProperty("NestedActions", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

    public static Project CreateProject(string source, bool withAspNetCore = true, IReadOnlyList<(string Path, string Text)>? views = null)
    {
        var workspace = new AdhocWorkspace();
        var tree = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.CSharp12));
        var hasTopLevelStatements = tree.GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().Any();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                "Mutant",
                "Mutant",
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(hasTopLevelStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.CSharp12),
                metadataReferences: withAspNetCore ? TestReferences.AspNetCore : TestReferences.NetCore))
            .AddDocument(DocumentId.CreateNewId(projectId), "Source.cs", source)
            .AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.cs", withAspNetCore ? WebGlobalUsings : "global using System;");
        foreach (var (path, text) in views ?? [])
        {
            // Razor views reach analyzers as AdditionalFiles, as the Razor SDK passes them.
            solution = solution.AddAdditionalDocument(DocumentInfo.Create(
                DocumentId.CreateNewId(projectId), Path.GetFileName(path), filePath: path,
                loader: TextLoader.From(TextAndVersion.Create(Microsoft.CodeAnalysis.Text.SourceText.From(text), VersionStamp.Default))));
        }

        return solution.GetProject(projectId)!;
    }

    public static CompilationWithAnalyzers WithAnalyzers(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, ConcurrentQueue<string> failures, bool logExecutionTime = false, ImmutableArray<AdditionalText> additionalFiles = default)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(additionalFiles.IsDefault ? ImmutableArray<AdditionalText>.Empty : additionalFiles),
            onAnalyzerException: (exception, analyzer, _) => failures.Enqueue($"{analyzer.GetType().Name} threw {exception.GetType().Name}: {exception.Message}\n{exception.StackTrace}"),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: logExecutionTime,
            reportSuppressedDiagnostics: false);
        return compilation.WithAnalyzers(analyzers, options);
    }

    /// <summary>Analyzes and fixes one source; returns the failures (empty when all went well) and the diagnostics seen.</summary>
    public static async Task<(IReadOnlyList<string> Failures, ImmutableArray<Diagnostic> Diagnostics)> RunAsync(string source, bool runFixes = true, IReadOnlyList<(string Path, string Text)>? views = null)
    {
        var project = CreateProject(source, views: views);
        var (failures, compilation, diagnostics) = await AnalyzeAsync(project).ConfigureAwait(false);
        if (runFixes)
        {
            await FixAllAsync(project, compilation, diagnostics, failures).ConfigureAwait(false);
        }

        return (failures.ToArray(), diagnostics);
    }

    /// <summary>Runs every analyzer on the project's compilation, collecting analyzer exceptions and AD0001 diagnostics.</summary>
    public static async Task<(ConcurrentQueue<string> Failures, Compilation Compilation, ImmutableArray<Diagnostic> Diagnostics)> AnalyzeAsync(Project project)
    {
        var failures = new ConcurrentQueue<string>();
        var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
        var additionalFiles = project.AdditionalDocuments.Select(d => (AdditionalText)new DocumentText(d)).ToImmutableArray();
        var diagnostics = await WithAnalyzers(compilation, RuleInventory.CreateAnalyzers(), failures, additionalFiles: additionalFiles).GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var ad0001 in diagnostics.Where(d => d.Id == "AD0001"))
        {
            failures.Enqueue("AD0001: " + ad0001.GetMessage());
        }

        return (failures, compilation, diagnostics);
    }

    private static async Task FixAllAsync(Project project, Compilation compilation, ImmutableArray<Diagnostic> diagnostics, ConcurrentQueue<string> failures)
    {
        int? errorsBefore = null;
        foreach (var fixer in RuleInventory.CreateFixers())
        {
            var fixable = diagnostics
                .Where(d => fixer.FixableDiagnosticIds.Contains(d.Id) && (d.Location.IsInSource || d.Location.Kind == LocationKind.ExternalFile))
                .GroupBy(d => d.Id)
                .SelectMany(g => g.Take(MaxDiagnosticsFixedPerRule));
            foreach (var diagnostic in fixable)
            {
                var document = DocumentOf(project, diagnostic);
                if (document is null)
                {
                    continue;
                }

                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                try
                {
                    await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    failures.Enqueue($"{fixer.GetType().Name}.RegisterCodeFixesAsync threw {exception.GetType().Name} on {diagnostic}: {exception.Message}\n{exception.StackTrace}");
                    continue;
                }

                foreach (var action in Flatten(actions))
                {
                    Solution changed;
                    try
                    {
                        changed = await ApplyAsync(action, project.Solution).ConfigureAwait(false);
                    }
                    catch (Exception exception)
                    {
                        failures.Enqueue($"{fixer.GetType().Name} action '{action.Title}' threw {exception.GetType().Name} on {diagnostic}: {exception.Message}\n{exception.StackTrace}");
                        continue;
                    }

                    errorsBefore ??= CountErrors(compilation);
                    var fixedCompilation = (await changed.GetProject(project.Id)!.GetCompilationAsync().ConfigureAwait(false))!;
                    var errorsAfter = CountErrors(fixedCompilation);
                    if (errorsAfter > errorsBefore)
                    {
                        var newErrors = Errors(fixedCompilation).Select(d => d.ToString()).Except(Errors(compilation).Select(d => d.ToString()));
                        failures.Enqueue($"{fixer.GetType().Name} action '{action.Title}' on {diagnostic} raised compiler errors from {errorsBefore} to {errorsAfter}:\n  {string.Join("\n  ", newErrors.Take(5))}");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Every fixer's FixAll provider, for every equivalence key its fixer offers on the source, at each supported
    /// document and project scope: no exception, and no more compiler errors than the input had.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RunFixAllAsync(string source, IReadOnlyList<(string Path, string Text)>? views = null)
    {
        var project = CreateProject(source, views: views);
        var (failures, compilation, diagnostics) = await AnalyzeAsync(project).ConfigureAwait(false);
        var errorsBefore = CountErrors(compilation);
        var provider = new KnownDiagnostics(project, diagnostics);
        var sourceDocument = project.Documents.First(d => d.Name == "Source.cs");
        foreach (var fixer in RuleInventory.CreateFixers())
        {
            var fixAll = fixer.GetFixAllProvider();
            var fixable = diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id) && (d.Location.IsInSource || d.Location.Kind == LocationKind.ExternalFile)).ToList();
            if (fixAll is null || fixable.Count == 0)
            {
                continue;
            }

            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var diagnostic in fixable)
            {
                var actions = new List<CodeAction>();
                if (DocumentOf(project, diagnostic) is not { } document)
                {
                    continue;
                }

                try
                {
                    await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None)).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    failures.Enqueue($"{fixer.GetType().Name}.RegisterCodeFixesAsync threw {exception.GetType().Name}: {exception.Message}");
                    continue;
                }

                foreach (var action in Flatten(actions))
                {
                    if (action.EquivalenceKey is { } key)
                    {
                        keys.Add(key);
                    }
                }
            }

            var inSource = fixable.FirstOrDefault(d => d.Location.IsInSource);
            var scopeDocument = inSource is not null ? project.GetDocument(inSource.Location.SourceTree) ?? sourceDocument : sourceDocument;
            foreach (var key in keys)
            {
                foreach (var scope in fixAll.GetSupportedFixAllScopes().Where(s => s is FixAllScope.Document or FixAllScope.Project))
                {
                    if (scope == FixAllScope.Document && inSource is null)
                    {
                        continue; // diagnostics only in views: a document scope over C# has nothing to fix
                    }

                    var context = new FixAllContext(scopeDocument, fixer, scope, key, fixer.FixableDiagnosticIds, provider, CancellationToken.None);
                    try
                    {
                        if (await fixAll.GetFixAsync(context).ConfigureAwait(false) is not { } action)
                        {
                            continue;
                        }

                        var changed = await ApplyAsync(action, project.Solution).ConfigureAwait(false);
                        var fixedCompilation = (await changed.GetProject(project.Id)!.GetCompilationAsync().ConfigureAwait(false))!;
                        var errorsAfter = CountErrors(fixedCompilation);
                        if (errorsAfter > errorsBefore)
                        {
                            var newErrors = Errors(fixedCompilation).Select(d => d.ToString()).Except(Errors(compilation).Select(d => d.ToString()));
                            failures.Enqueue($"{fixer.GetType().Name} FixAll '{key}' ({scope}) raised compiler errors from {errorsBefore} to {errorsAfter}:\n  {string.Join("\n  ", newErrors.Take(5))}");
                        }
                    }
                    catch (Exception exception)
                    {
                        failures.Enqueue($"{fixer.GetType().Name} FixAll '{key}' ({scope}) threw {exception.GetType().Name}: {exception.Message}\n{exception.StackTrace}");
                    }
                }
            }
        }

        return failures.ToArray();
    }

    /// <summary>The diagnostics of one analysis, served to FixAll providers as the IDE's diagnostic service would.</summary>
    private sealed class KnownDiagnostics(Project project, ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project target, CancellationToken cancellationToken)
            => Task.FromResult(target.Id == project.Id ? (IEnumerable<Diagnostic>)diagnostics : []);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult(diagnostics.Where(d => d.Location.IsInSource && project.GetDocument(d.Location.SourceTree)?.Id == document.Id));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project target, CancellationToken cancellationToken)
            => Task.FromResult(target.Id == project.Id ? diagnostics.Where(d => !d.Location.IsInSource) : []);
    }

    private static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        var result = solution;
        foreach (var operation in await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (operation is ApplyChangesOperation apply)
            {
                result = apply.ChangedSolution;
            }
            else
            {
                using var scratch = new AdhocWorkspace();
                operation.Apply(scratch, CancellationToken.None);
            }
        }

        return result;
    }

    private static IEnumerable<CodeAction> Flatten(IEnumerable<CodeAction> actions)
    {
        foreach (var action in actions)
        {
            var nested = NestedActionsProperty?.GetValue(action) is ImmutableArray<CodeAction> { IsDefaultOrEmpty: false } children ? children : ImmutableArray<CodeAction>.Empty;
            if (nested.IsEmpty)
            {
                yield return action;
            }
            else
            {
                foreach (var child in Flatten(nested))
                {
                    yield return child;
                }
            }
        }
    }

    private static int CountErrors(Compilation compilation)
        => Errors(compilation).Count();

    // The regex source generator (which completes [GeneratedRegex] partial methods) does not run in the test process:
    // its CS8795 "partial method must have an implementation" is not an error of the fix, as in the fixer tests.
    private static IEnumerable<Diagnostic> Errors(Compilation compilation)
        => compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !IsCompletedByRegexGenerator(d));

    private static bool IsCompletedByRegexGenerator(Diagnostic diagnostic)
        => diagnostic.Id == "CS8795"
            && diagnostic.Location.SourceTree?.GetRoot().FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method
            && method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "GeneratedRegex" or "GeneratedRegexAttribute" or "System.Text.RegularExpressions.GeneratedRegex");

    /// <summary>The C# document or the additional document (a view) a diagnostic is in.</summary>
    public static TextDocument? DocumentOf(Project project, Diagnostic diagnostic)
        => diagnostic.Location.IsInSource
            ? project.GetDocument(diagnostic.Location.SourceTree)
            : project.AdditionalDocuments.FirstOrDefault(d => d.FilePath == diagnostic.Location.GetLineSpan().Path);

    private sealed class DocumentText(TextDocument document) : AdditionalText
    {
        public override string Path => document.FilePath ?? document.Name;

        public override Microsoft.CodeAnalysis.Text.SourceText? GetText(CancellationToken cancellationToken = default) => document.GetTextAsync(cancellationToken).Result;
    }
}
