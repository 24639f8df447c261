using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfRules.Benchmarks;
using static PerfRules.Benchmarks.Statistics;

// Usage: dotnet run -c Release --project benchmarks/AnalyzerCost [-- --repeat N] [--scales 1,4] [--controllers N] [--write DIR] [--sets PerfRules,ASP.NET,Meziantou]
//        ... -- --compare OTHER/PerfRules.Analyzers.dll [--analyzers PERF004,PERF005] [--repeat N] [--scales 4] [--processes K]
var repeat = 3;
var scales = new[] { 1, 4 };
string? writeTo = null;
string[]? onlySets = null;
var alone = false;
string? compareWith = null;
string[]? onlyAnalyzers = null;
var processes = 1;
string? resultFile = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--repeat":
            repeat = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--scales":
            scales = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            break;
        case "--controllers":
            WorkloadGenerator.ControllersPerScale = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--write":
            writeTo = args[++i];
            break;
        case "--alone":
            alone = true;
            break;
        case "--compare":
            compareWith = args[++i];
            break;
        case "--analyzers":
            onlyAnalyzers = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            break;
        case "--processes":
            processes = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--result-file": // written by each process of a --processes comparison, for the process that started it
            resultFile = args[++i];
            break;
        case "--sets":
            onlySets = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

var references = ReferenceSet.FromSdk();
if (compareWith is not null)
{
    // Paired A/B of two PerfRules builds on the largest generated app (see Comparison), in this process or in several.
    return processes > 1
        ? await Comparison.RunInProcessesAsync(args, processes)
        : await Comparison.RunAsync(compareWith, WorkloadGenerator.AspNetCoreApp(scales.Max()), references, repeat, onlyAnalyzers, resultFile);
}

var perfRules = AnalyzerSets.PerfRules();
var aspNetCore = AnalyzerSets.AspNetCoreSdk(references);
var meziantou = AnalyzerSets.Meziantou();
var baseline = new AnalyzerSet("baseline (no analyzer)", ImmutableArray.Create<DiagnosticAnalyzer>(new BaselineAnalyzer()), Array.Empty<string>());
var emptyCallback = new AnalyzerSet("one empty callback per invocation", ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyCallbackAnalyzer()), Array.Empty<string>());
var tenEmptyCallbacks = new AnalyzerSet("ten analyzers with one empty callback per invocation each", Enumerable.Range(0, 10).Select(_ => (DiagnosticAnalyzer)new EmptyCallbackAnalyzer()).ToImmutableArray(), Array.Empty<string>());
var calibrations = new[] { baseline, emptyCallback, tenEmptyCallbacks };
var sets = new[] { perfRules, aspNetCore, meziantou }
    .Where(s => onlySets is null || onlySets.Any(o => s.Name.StartsWith(o, StringComparison.OrdinalIgnoreCase)))
    .ToArray();

Console.WriteLine($"# Analyzer cost ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
Console.WriteLine();
Console.WriteLine($"Machine: {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, Roslyn {typeof(Compilation).Assembly.GetName().Version}; {repeat} runs per measure, medians; sequential analysis (concurrentAnalysis: false).");
Console.WriteLine($"References: {references.NetCorePack}, {references.AspNetCorePack}. Generated app at 1×: {WorkloadGenerator.ControllersPerScale} controllers.");
Console.WriteLine($"Command: dotnet run -c Release --project benchmarks/AnalyzerCost -- {string.Join(' ', args)}");
foreach (var set in sets)
{
    Console.WriteLine($"- {set.Name}: {set.Analyzers.Length} analyzers" + (set.LoadProblems.Count > 0 ? $"; {set.LoadProblems.Count} load problems: {string.Join("; ", set.LoadProblems.Take(3))}" : string.Empty));
}

var workloads = new List<Workload>();
foreach (var scale in scales)
{
    workloads.Add(WorkloadGenerator.AspNetCoreApp(scale));
}

workloads.Add(SampleApp());
foreach (var scale in scales)
{
    workloads.Add(WorkloadGenerator.PlainLibrary(scale));
}
if (writeTo is not null)
{
    foreach (var workload in workloads)
    {
        WorkloadGenerator.Write(workload, Path.Combine(writeTo, string.Concat(workload.Name.Split(Path.GetInvalidFileNameChars().Append(' ').ToArray()))));
    }
}

// Warm-up (not reported): runs the compiler and every analyzer set on the sample and on the smallest generated app, so
// that what is measured is steady-state code (tiered JIT done), as in the IDE and the compiler server, which are
// long-running processes. A tiny warm-up left most of the first workload's time in unoptimised code and JIT.
foreach (var warmUp in new[] { SampleApp(), WorkloadGenerator.AspNetCoreApp(scales.Min()) })
{
    var warmUpTrees = Measurement.Parse(warmUp);
    for (var round = 0; round < 2; round++)
    {
        Measurement.Compile(Measurement.CreateCompilation(warmUp, warmUpTrees, references));
        foreach (var set in sets.Concat(calibrations).Where(s => !s.Analyzers.IsEmpty))
        {
            await Measurement.AnalyzeAsync(Measurement.CreateCompilation(warmUp, warmUpTrees, references), set.Analyzers, warmUp);
        }
    }
}

var perfRulesTimesByWorkload = new Dictionary<string, IReadOnlyDictionary<string, double>>();
var compileMsByWorkload = new Dictionary<string, double>();
foreach (var workload in workloads)
{
    var trees = Measurement.Parse(workload);
    var compile = new List<RunResult>();
    var runs = sets.Concat(calibrations).ToDictionary(s => s.Name, _ => new List<RunResult>());
    var cold = new List<RunResult>();
    for (var r = 0; r < repeat; r++)
    {
        foreach (var set in sets.Concat(calibrations))
        {
            if (!set.Analyzers.IsEmpty && (workload.AspNetCore || set == perfRules || calibrations.Contains(set)))
            {
                // As in a build, the compiler and the analyzers share one compilation: the compiler's pass loads the referenced
                // assemblies' metadata, the analyzers then run on it (CompilationWithAnalyzers clones it with the same
                // referenced-assembly symbols; the source is bound again by the analysis driver). A fresh compilation per set
                // keeps one set's lookups from warming the next.
                var compilation = Measurement.CreateCompilation(workload, trees, references);
                compile.Add(Measurement.Compile(compilation));
                runs[set.Name].Add(await Measurement.AnalyzeAsync(compilation, set.Analyzers, workload));
            }
        }

        if (sets.Contains(perfRules))
        {
            // The pessimistic case: a compilation nothing has touched, so the analyzers also pay for loading metadata.
            cold.Add(await Measurement.AnalyzeAsync(Measurement.CreateCompilation(workload, trees, references), perfRules.Analyzers, workload));
        }
    }

    // --alone: each PerfRules analyzer by itself, its whole run's wall time next to the calibration analyzer's (binding and
    // dispatch only): what one rule adds to a build beyond its callbacks (driver work its kinds of actions ask for, GC).
    var aloneWalls = new Dictionary<string, List<double>>(StringComparer.Ordinal);
    if (alone && workload.AspNetCore)
    {
        for (var r = 0; r < repeat; r++)
        {
            foreach (var analyzer in perfRules.Analyzers)
            {
                var compilation = Measurement.CreateCompilation(workload, trees, references);
                Measurement.Compile(compilation);
                var run = await Measurement.AnalyzeAsync(compilation, ImmutableArray.Create(analyzer), workload);
                (aloneWalls.TryGetValue(analyzer.GetType().Name, out var list) ? list : aloneWalls[analyzer.GetType().Name] = new List<double>()).Add(run.Wall.TotalMilliseconds);
            }
        }
    }

    var compileMs = Median(compile.Select(c => c.Wall.TotalMilliseconds));
    compileMsByWorkload[workload.Name] = compileMs;
    var baselineBytes = Median(runs[baseline.Name].Select(c => (double)c.AllocatedBytes));
    var lines = workload.Files.Sum(f => f.Text.Count(c => c == '\n') + 1);
    Console.WriteLine();
    var views = workload.AdditionalFiles.Count == 0 ? string.Empty : $", {workload.AdditionalFiles.Count} views ({workload.AdditionalFiles.Sum(f => f.Text.Count(c => c == '\n') + 1):N0} lines)";
    Console.WriteLine($"## {workload.Name}: {workload.Files.Count} files, {lines:N0} lines{views}, {compile[0].Diagnostics} compiler errors");
    Console.WriteLine();
    Console.WriteLine("| Measure | Time (ms) | Ratio to compile | Allocated (MB) | Diagnostics | Analyzer exceptions / notes |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| Compiler diagnostics (GetDiagnostics) | {compileMs:F0} | 100% | {Mb(Median(compile.Select(c => (double)c.AllocatedBytes)))} | {compile[0].Diagnostics} errors | process CPU {Median(compile.Select(c => c.ProcessCpu.TotalMilliseconds)):F0} ms |");
    Console.WriteLine($"| Analysis driver with an analyzer that registers nothing (wall) | {Median(runs[baseline.Name].Select(c => c.Wall.TotalMilliseconds)):F0} | | {Mb(baselineBytes)} | | |");
    var floor = Median(runs[emptyCallback.Name].Select(r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds)));
    Console.WriteLine($"| Calibration: an analyzer with one empty callback per invocation (dispatch and telemetry only) | {floor:F1} | {Percent(floor, compileMs)} | {Mb(Median(runs[emptyCallback.Name].Select(r => (double)r.AllocatedBytes)) - baselineBytes)} (net of driver) | | whole run (binding included) {Median(runs[emptyCallback.Name].Select(r => r.Wall.TotalMilliseconds)):F0} ms wall |");
    var tenFloor = Median(runs[tenEmptyCallbacks.Name].Select(r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds)));
    Console.WriteLine($"| Calibration: ten such analyzers | {tenFloor:F1} | {Percent(tenFloor, compileMs)} | {Mb(Median(runs[tenEmptyCallbacks.Name].Select(r => (double)r.AllocatedBytes)) - baselineBytes)} (net of driver) | | whole run (binding included) {Median(runs[tenEmptyCallbacks.Name].Select(r => r.Wall.TotalMilliseconds)):F0} ms wall |");
    foreach (var set in sets)
    {
        var setRuns = runs[set.Name];
        if (setRuns.Count == 0)
        {
            Console.WriteLine($"| {set.Name} | not run | | | | |");
            continue;
        }

        var totals = setRuns.Select(r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds)).ToList();
        var total = Median(totals);
        // Each run's total and the GC pauses of that run (every thread of the process stops for a GC; a pause that falls in a
        // callback is counted in that analyzer's time, whoever's allocations set it off): the spread behind the median.
        var perRun = string.Join(", ", setRuns.Select((r, i) => $"{totals[i]:F0} ({r.GcPause.TotalMilliseconds:F0})"));
        Console.WriteLine($"| **{set.Name}, all {set.Analyzers.Length} together** | {total:F1} | {Percent(total, compileMs)} | {Mb(Median(setRuns.Select(r => (double)r.AllocatedBytes)) - baselineBytes)} (net of driver) | {setRuns[0].Diagnostics} | {setRuns.Max(r => r.AnalyzerExceptions)}; whole run (binding included) {Median(setRuns.Select(r => r.Wall.TotalMilliseconds)):F0} ms wall, {Median(setRuns.Select(r => r.ProcessCpu.TotalMilliseconds)):F0} ms CPU; per run: total (GC pauses in the run) {perRun} ms |");
        if (set == perfRules)
        {
            var coldTotal = Median(cold.Select(r => r.AnalyzerTimes.Values.Sum(t => t.TotalMilliseconds)));
            Console.WriteLine($"| PerfRules, all together, on a fresh compilation (nothing loaded yet: metadata loading charged to the analyzers) | {coldTotal:F1} | {Percent(coldTotal, compileMs)} | | | |");
            var perAnalyzer = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var name in setRuns[0].AnalyzerTimes.Keys.Order(StringComparer.Ordinal))
            {
                var ms = Median(setRuns.Select(r => r.AnalyzerTimes[name].TotalMilliseconds));
                perAnalyzer[name] = ms;
                var aloneNote = aloneWalls.TryGetValue(name, out var walls) ? $"; alone: whole run {Median(walls):F0} ms wall" : string.Empty;
                Console.WriteLine($"| PerfRules: {name} | {ms:F1} | {Percent(ms, compileMs)} | | | actions registered beyond compilation start: {setRuns[0].RegisteredActions[name]}{aloneNote} |");
            }

            perfRulesTimesByWorkload[workload.Name] = perAnalyzer;
        }
    }
}

// Growth: a rule linear in code size costs about (scale ratio)× more on the larger workload.
if (scales.Length >= 2 && perfRulesTimesByWorkload.Count > 0)
{
    var small = WorkloadGenerator.AspNetCoreApp(scales.Min()).Name;
    var large = WorkloadGenerator.AspNetCoreApp(scales.Max()).Name;
    var expected = (double)scales.Max() / scales.Min();
    Console.WriteLine();
    Console.WriteLine($"## Growth {scales.Min()}× → {scales.Max()}× (linear = {expected:F0}×)");
    Console.WriteLine();
    Console.WriteLine("| PerfRules analyzer | Time small (ms) | Time large (ms) | Growth |");
    Console.WriteLine("|---|---:|---:|---:|");
    // The compile's own growth, measured in the same run: the machine's load can change between the two sizes, and a
    // rule growing like the compiler is linear in the code whatever the load did.
    var compileSmall = compileMsByWorkload[small];
    var compileLarge = compileMsByWorkload[large];
    Console.WriteLine($"| (reference: the compile itself) | {compileSmall:F0} | {compileLarge:F0} | {(compileLarge / compileSmall).ToString("F1", CultureInfo.InvariantCulture)}× |");
    foreach (var (name, ms) in perfRulesTimesByWorkload[small])
    {
        var largeMs = perfRulesTimesByWorkload[large][name];
        Console.WriteLine($"| {name} | {ms:F1} | {largeMs:F1} | {(ms > 0 ? (largeMs / ms).ToString("F1", CultureInfo.InvariantCulture) + "×" : "n/a")} |");
    }
}

return 0;

static Workload SampleApp()
{
    // The repository holding the program, else the one the command runs in.
    var root = FindRepository(AppContext.BaseDirectory) ?? FindRepository(Environment.CurrentDirectory)
        ?? throw new InvalidOperationException("PerfRules.sln not found above the program or the current directory");

    var folder = Path.Combine(root, "samples", "ProductCatalog");
    var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(f => (Path.GetRelativePath(folder, f), File.ReadAllText(f)))
        .Prepend(("GlobalUsings.cs", WorkloadGenerator.WebGlobalUsings))
        .ToList();
    var views = Directory.EnumerateFiles(folder, "*.cshtml", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(f => (Path.Combine(folder, Path.GetRelativePath(folder, f)), File.ReadAllText(f)))
        .ToList();
    return new Workload("sample app (samples/ProductCatalog)", files, AspNetCore: true, Executable: true) { AdditionalFiles = views };
}

static string? FindRepository(string start)
{
    for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "PerfRules.sln")))
        {
            return directory.FullName;
        }
    }

    return null;
}

static string Percent(double part, double whole)
    => whole <= 0 ? "n/a" : (100 * part / whole).ToString(part / whole < 0.01 ? "F2" : "F1", CultureInfo.InvariantCulture) + "%";

static string Mb(double bytes) => (bytes / (1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture);
