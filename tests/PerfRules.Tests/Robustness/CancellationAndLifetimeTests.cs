using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfRules.Tests.Robustness;

/// <summary>
/// Analysis honours an already-cancelled token (it stops with OperationCanceledException instead of running to the
/// end or failing otherwise), and no analyzer keeps a compilation alive after analysis.
/// </summary>
public sealed class CancellationAndLifetimeTests
{
    public static TheoryData<string> AnalyzerTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in RuleInventory.AnalyzerTypes)
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypes))]
    public async Task Analysis_with_an_already_cancelled_token_stops_with_OperationCanceledException(string analyzerType)
    {
        var project = RobustnessHarness.CreateProject(RobustnessCorpus.Get("samples/ProductCatalog/Program.cs").Text);
        var compilation = (await project.GetCompilationAsync())!;
        var failures = new ConcurrentQueue<string>();
        var withAnalyzers = RobustnessHarness.WithAnalyzers(compilation, ImmutableArray.Create(RuleInventory.CreateAnalyzer(analyzerType)), failures);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withAnalyzers.GetAnalyzerDiagnosticsAsync(cancelled.Token));
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Analysis_cancelled_while_running_stops_with_OperationCanceledException_and_no_analyzer_exception()
    {
        // Cancel from inside the analysis (the first time the compilation's first tree is asked for), so the token
        // flips while PerfRules' actions run or are about to run.
        var source = Mutations.HugeMethods(100);
        var project = RobustnessHarness.CreateProject(source);
        var compilation = (await project.GetCompilationAsync())!;
        var failures = new ConcurrentQueue<string>();
        using var cancellation = new CancellationTokenSource();
        var analyzers = RuleInventory.CreateAnalyzers().Add(new CancelOnFirstOperation(cancellation));
        var withAnalyzers = RobustnessHarness.WithAnalyzers(compilation, analyzers, failures);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellation.Token));
        Assert.True(cancellation.IsCancellationRequested);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_compilation_is_collected_after_analysis_with_all_analyzers()
    {
        var analyzers = RuleInventory.CreateAnalyzers();
        var reference = await AnalyzeAndForgetAsync(analyzers);

        for (var i = 0; i < 20 && reference.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Delay(10);
        }

        Assert.False(reference.IsAlive, "the compilation is still reachable after analysis");
        GC.KeepAlive(analyzers);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> AnalyzeAndForgetAsync(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var project = RobustnessHarness.CreateProject(RobustnessCorpus.Get("samples/ProductCatalog/Program.cs").Text);
        var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
        var failures = new ConcurrentQueue<string>();
        var diagnostics = await RobustnessHarness.WithAnalyzers(compilation, analyzers, failures).GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);

        // The analysis did run: the sample shows the implemented rules.
        Assert.NotEmpty(diagnostics);
        Assert.Empty(failures);
        return new WeakReference(compilation);
    }

    /// <summary>A test-only analyzer that cancels the analysis from its first operation callback.</summary>
#pragma warning disable RS1036, RS1041, RS2008 // a test helper, never shipped
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class CancelOnFirstOperation(CancellationTokenSource cancellation) : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = new("TEST001", "Unused", "Unused", "Test", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(_ => cancellation.Cancel(), OperationKind.Invocation);
        }
    }
#pragma warning restore RS1036, RS1041, RS2008
}
