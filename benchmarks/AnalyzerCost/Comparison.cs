using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using static PerfRules.Benchmarks.Statistics;

namespace PerfRules.Benchmarks;

/// <summary>
/// <c>--compare PATH</c>: this build of PerfRules against another build of PerfRules.Analyzers.dll (for example one built
/// from an earlier commit in a git worktree), in one process, on one workload, the two run alternately (A B, B A, A B, …)
/// so that the machine's load drifts over both alike. On a shared machine two separate benchmark runs differ by more than
/// most single changes; paired runs in one process do not, but a process has a bias of its own: two runs of one build
/// against a copy of itself differed by 4 to 6 ms at 4x (8% of the total), one build faster in 7 and 9 pairs of 10, one
/// way in one process and the other way in the next. <c>--processes K</c> runs the comparison in K processes and reports
/// the median of their differences, and in how many processes B was faster.
/// </summary>
internal static class Comparison
{
    public static async Task<int> RunAsync(string otherAssemblyPath, Workload workload, ReferenceSet references, int pairs, string[]? onlyAnalyzers, string? resultFile = null)
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
                await Measurement.AnalyzeAsync(compilation, set, workload);
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
                runs.Add(await Measurement.AnalyzeAsync(compilation, set, workload));
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

        Row(TotalName, r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds), $"{runsA[0].Diagnostics} / {runsB[0].Diagnostics}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (ratio of the callbacks to the compile) | {100 * Median(runsA.Select(r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds)).ToList()) / compileMs:F1}% | {100 * Median(runsB.Select(r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds)).ToList()) / compileMs:F1}% | | | |"));
        Row("whole run (wall, binding included)", r => r.Wall.TotalMilliseconds, string.Empty);
        var sameDiagnostics = runsA.Zip(runsB).All(p => p.First.Diagnostics == p.Second.Diagnostics);
        if (resultFile is not null)
        {
            var medians = names.Append(TotalName).ToDictionary(
                name => name,
                name => new[] { Median(runsA.Select(r => Measure(r, name)).ToList()), Median(runsB.Select(r => Measure(r, name)).ToList()) });
            File.WriteAllText(resultFile, JsonSerializer.Serialize(new ProcessResult(compileMs, runsA[0].Diagnostics, runsB[0].Diagnostics, sameDiagnostics, medians)));
        }

        return sameDiagnostics ? 0 : 1;

        static double Measure(RunResult run, string name)
            => name == TotalName
                ? run.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds)
                : run.AnalyzerTimes.TryGetValue(name, out var t) ? t.TotalMilliseconds : 0;

        void Row(string name, Func<RunResult, double> measure, string diagnostics)
        {
            var a = runsA.Select(measure).ToList();
            var b = runsB.Select(measure).ToList();
            var fewer = a.Zip(b).Count(p => p.Second < p.First);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(a):F1} | {Median(b):F1} | {Median(b) - Median(a):+0.0;-0.0;0.0} | {fewer} of {a.Count} | {diagnostics} |"));
        }
    }

    private const string TotalName = "**all selected, callbacks**";

    /// <summary>What one process of a <c>--processes</c> comparison found: per analyzer (and the total) the medians of A and B.</summary>
    private sealed record ProcessResult(double CompileMs, int DiagnosticsA, int DiagnosticsB, bool SameDiagnostics, Dictionary<string, double[]> Medians);

    /// <summary>
    /// The same comparison in <paramref name="processes"/> processes, one after the other (each prints its own table), then
    /// per analyzer the median over the processes of A's and B's medians and of their differences.
    /// </summary>
    public static async Task<int> RunInProcessesAsync(string[] args, int processes)
    {
        var forwarded = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--processes" or "--result-file")
            {
                i++; // and its value
                continue;
            }

            forwarded.Add(args[i]);
        }

        // Started as `dotnet AnalyzerCost.dll` or through the app host (`dotnet run`).
        var host = Environment.ProcessPath!;
        var prefix = Path.GetFileNameWithoutExtension(host) == "dotnet" ? new[] { typeof(Comparison).Assembly.Location } : Array.Empty<string>();
        var results = new List<ProcessResult>();
        for (var process = 0; process < processes; process++)
        {
            var file = Path.Combine(Path.GetTempPath(), $"perfrules-compare-{Environment.ProcessId}-{process}.json");
            var start = new System.Diagnostics.ProcessStartInfo(host) { UseShellExecute = false };
            foreach (var argument in prefix.Concat(forwarded).Concat(new[] { "--result-file", file }))
            {
                start.ArgumentList.Add(argument);
            }

            Console.WriteLine($"# Process {process + 1} of {processes}");
            Console.WriteLine();
            using (var child = System.Diagnostics.Process.Start(start)!)
            {
                await child.WaitForExitAsync();
                if (!File.Exists(file))
                {
                    Console.Error.WriteLine($"--processes: process {process + 1} exited with {child.ExitCode} and wrote no result");
                    return 2;
                }
            }

            results.Add(JsonSerializer.Deserialize<ProcessResult>(File.ReadAllText(file))!);
            File.Delete(file);
            Console.WriteLine();
        }

        Console.WriteLine($"## Over {processes} processes: medians of the processes' medians");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Compile (median of the processes' medians): {Median(results.Select(r => r.CompileMs)):F0} ms."));
        Console.WriteLine();
        Console.WriteLine("| Analyzer | A (ms) | B (ms) | B − A, median of the processes' (ms) | per process (ms) | Processes where B < A |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var name in results.SelectMany(r => r.Medians.Keys).Distinct().Order(StringComparer.Ordinal).OrderBy(n => n == TotalName))
        {
            var pairs = results.Select(r => r.Medians.TryGetValue(name, out var m) ? m : new[] { 0d, 0d }).ToList();
            var differences = pairs.Select(p => p[1] - p[0]).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(pairs.Select(p => p[0])):F1} | {Median(pairs.Select(p => p[1])):F1} | {Median(differences):+0.0;-0.0;0.0} | {string.Join(", ", differences.Select(d => d.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)))} | {differences.Count(d => d < 0)} of {processes} |"));
        }

        return results.All(r => r.SameDiagnostics) ? 0 : 1;
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
