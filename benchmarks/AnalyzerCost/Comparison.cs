using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using static PerfRules.Benchmarks.Statistics;

namespace PerfRules.Benchmarks;

/// <summary>
/// <c>--compare PATH</c>: this build of PerfRules against another build of PerfRules.Analyzers.dll (for example one built
/// from an earlier commit in a git worktree), in one process, on one workload, the two run alternately (A B, B A, A B, …)
/// so that the machine's load drifts over both alike. On a shared machine two separate benchmark runs differ by more than
/// most single changes; paired runs in one process do not.
/// </summary>
internal static class Comparison
{
    public static async Task<int> RunAsync(string otherAssemblyPath, Workload workload, ReferenceSet references, int pairs, string[]? onlyAnalyzers)
    {
        if (!File.Exists(otherAssemblyPath))
        {
            Console.Error.WriteLine($"--compare: {otherAssemblyPath} not found");
            return 2;
        }

        var current = Select(AnalyzerSets.PerfRules().Analyzers, onlyAnalyzers);
        var other = Select(LoadIsolated(Path.GetFullPath(otherAssemblyPath)), onlyAnalyzers);
        if (current.IsEmpty || other.IsEmpty)
        {
            Console.Error.WriteLine("--compare: no analyzer selected in one of the two builds");
            return 2;
        }

        // Warm-up, not measured: each build analyzes about 8,000 files (four rounds of the 4× app) before the pairs, so that
        // both run tiered-up code; two rounds of the 1× app left PERF005 at three times its steady-state cost.
        var trees = Measurement.Parse(workload);
        var warmUpRounds = Math.Clamp(8000 / Math.Max(1, workload.Files.Count), 2, 16);
        for (var round = 0; round < warmUpRounds; round++)
        {
            foreach (var set in new[] { current, other })
            {
                var compilation = Measurement.CreateCompilation(workload, trees, references);
                Measurement.Compile(compilation);
                await Measurement.AnalyzeAsync(compilation, set);
            }
        }

        var runsA = new List<RunResult>();
        var runsB = new List<RunResult>();
        var compiles = new List<double>();
        for (var pair = 0; pair < pairs; pair++)
        {
            // Alternate which goes first, so that neither always follows the other's garbage.
            var order = pair % 2 == 0 ? new[] { (current, runsA), (other, runsB) } : new[] { (other, runsB), (current, runsA) };
            foreach (var (set, runs) in order)
            {
                var compilation = Measurement.CreateCompilation(workload, trees, references);
                compiles.Add(Measurement.Compile(compilation).Wall.TotalMilliseconds);
                runs.Add(await Measurement.AnalyzeAsync(compilation, set));
            }
        }

        Console.WriteLine($"## Paired comparison on {workload.Name}: {pairs} runs each, alternated");
        Console.WriteLine();
        Console.WriteLine($"A: this build ({typeof(PerfRules.Rules.StaticFilesOrderAnalyzer).Assembly.Location}); B: {otherAssemblyPath}");
        Console.WriteLine();
        var compileMs = Median(compiles);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Compile (the compiler's diagnostics, median of all {compiles.Count} runs): {compileMs:F0} ms."));
        Console.WriteLine();
        Console.WriteLine("| Analyzer | A median (ms) | B median (ms) | B − A (ms) | Runs where B < A (paired) | Diagnostics A / B |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var names = runsA[0].AnalyzerTimes.Keys.Union(runsB[0].AnalyzerTimes.Keys).Order(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            Row(name, r => r.AnalyzerTimes.TryGetValue(name, out var t) ? t.TotalMilliseconds : 0, string.Empty);
        }

        Row("**all selected, callbacks**", r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds), $"{runsA[0].Diagnostics} / {runsB[0].Diagnostics}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (ratio of the callbacks to the compile) | {100 * Median(runsA.Select(r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds)).ToList()) / compileMs:F1}% | {100 * Median(runsB.Select(r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds)).ToList()) / compileMs:F1}% | | | |"));
        Row("whole run (wall, binding included)", r => r.Wall.TotalMilliseconds, string.Empty);
        return runsA.Zip(runsB).All(p => p.First.Diagnostics == p.Second.Diagnostics) ? 0 : 1;

        void Row(string name, Func<RunResult, double> measure, string diagnostics)
        {
            var a = runsA.Select(measure).ToList();
            var b = runsB.Select(measure).ToList();
            var fewer = a.Zip(b).Count(p => p.Second < p.First);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(a):F1} | {Median(b):F1} | {Median(b) - Median(a):+0.0;-0.0;0.0} | {fewer} of {a.Count} | {diagnostics} |"));
        }
    }

    private static ImmutableArray<DiagnosticAnalyzer> Select(ImmutableArray<DiagnosticAnalyzer> analyzers, string[]? only)
        => only is null
            ? analyzers
            : analyzers.Where(a => only.Any(o => a.GetType().Name.StartsWith(o, StringComparison.OrdinalIgnoreCase)
                || a.SupportedDiagnostics.Any(d => d.Id.Equals(o, StringComparison.OrdinalIgnoreCase)))).ToImmutableArray();

    // The other build has the same assembly name as this one: it gets a load context of its own, which shares Roslyn
    // (and everything but PerfRules) with the default context so that its analyzers are analyzers to this process's Roslyn.
    private static ImmutableArray<DiagnosticAnalyzer> LoadIsolated(string path)
        => AnalyzerSets.AnalyzersIn(new OtherBuildContext(path).LoadFromAssemblyPath(path));

    private sealed class OtherBuildContext(string path) : AssemblyLoadContext("PerfRules (compared build)")
    {
        private readonly string _folder = Path.GetDirectoryName(path)!;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is { } name && name.StartsWith("PerfRules.", StringComparison.Ordinal))
            {
                var candidate = Path.Combine(_folder, name + ".dll");
                return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
            }

            return null;
        }
    }
}
