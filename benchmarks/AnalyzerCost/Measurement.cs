using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Microsoft.CodeAnalysis.Text;

namespace PerfRules.Benchmarks;

/// <summary>One measured run: wall time, bytes allocated, and per-analyzer execution time and registered actions.</summary>
internal sealed record RunResult(
    TimeSpan Wall,
    TimeSpan ProcessCpu,
    long AllocatedBytes,
    IReadOnlyDictionary<string, TimeSpan> AnalyzerTimes,
    IReadOnlyDictionary<string, int> RegisteredActions,
    int Diagnostics,
    int AnalyzerExceptions,
    TimeSpan GcPause = default);

internal static class Measurement
{
    public static CSharpCompilation CreateCompilation(Workload workload, ImmutableArray<SyntaxTree> trees, ReferenceSet references)
        => CSharpCompilation.Create(
            "Workload",
            trees,
            workload.AspNetCore ? references.AspNetCore : references.NetCore,
            new CSharpCompilationOptions(
                workload.Executable ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                concurrentBuild: false));

    public static ImmutableArray<SyntaxTree> Parse(Workload workload)
    {
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.CSharp12);
        return workload.Files.Select(f => CSharpSyntaxTree.ParseText(f.Text, options, f.Path)).ToImmutableArray();
    }

    /// <summary>The compiler's own diagnostics (binding and flow analysis of every method body; no emit).</summary>
    public static RunResult Compile(Compilation compilation)
    {
        Settle();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var diagnostics = compilation.GetDiagnostics();
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new RunResult(
            watch.Elapsed,
            cpu,
            allocated,
            ImmutableDictionary<string, TimeSpan>.Empty,
            ImmutableDictionary<string, int>.Empty,
            diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error),
            0);
    }

    /// <summary>Analysis of a fresh compilation by one analyzer set, sequential, with execution-time telemetry.</summary>
    public static async Task<RunResult> AnalyzeAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, Workload workload)
    {
        var exceptions = 0;
        // The views as a build hands them over (the Razor SDK passes .cshtml files as AdditionalFiles): new file objects for
        // every run, read when an analyzer first asks for the text, so no run finds a view read or scanned by the one before.
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(workload.AdditionalFiles.Select(f => (AdditionalText)new ViewFile(f.Path, f.Text)).ToImmutableArray()),
            onAnalyzerException: (_, _, _) => Interlocked.Increment(ref exceptions),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        Settle();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var pauseBefore = GC.GetTotalPauseDuration();
        var watch = Stopwatch.StartNew();
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
        watch.Stop();
        var gcPause = GC.GetTotalPauseDuration() - pauseBefore;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var actions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false);
            var name = analyzer.GetType().Name;
            times[name] = times.GetValueOrDefault(name) + telemetry.ExecutionTime;
            actions[name] = actions.GetValueOrDefault(name) + ActionsBeyondCompilationStart(telemetry);
        }

        return new RunResult(watch.Elapsed, cpu, allocated, times, actions, diagnostics.Length, exceptions, gcPause);
    }

    // Everything an analyzer registered except its compilation-start action: 0 means it does nothing on this compilation.
    private static int ActionsBeyondCompilationStart(AnalyzerTelemetryInfo t)
        => t.CompilationActionsCount + t.CompilationEndActionsCount + t.SemanticModelActionsCount + t.SyntaxTreeActionsCount
            + t.AdditionalFileActionsCount + t.SymbolActionsCount + t.SymbolStartActionsCount + t.SymbolEndActionsCount
            + t.SyntaxNodeActionsCount + t.CodeBlockStartActionsCount + t.CodeBlockEndActionsCount + t.CodeBlockActionsCount
            + t.OperationActionsCount + t.OperationBlockStartActionsCount + t.OperationBlockEndActionsCount + t.OperationBlockActionsCount;

    /// <summary>An additional file whose text is made on first request, as the compiler reads one from disk.</summary>
    private sealed class ViewFile(string path, string content) : AdditionalText
    {
        private SourceText? _text;

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default)
            => _text ??= SourceText.From(content, System.Text.Encoding.UTF8);
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
