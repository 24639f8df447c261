using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfRules.Benchmarks;

/// <summary>A group of analyzers measured together (PerfRules, the ASP.NET Core SDK analyzers, Meziantou.Analyzer).</summary>
internal sealed record AnalyzerSet(string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers, IReadOnlyList<string> LoadProblems);

internal static class AnalyzerSets
{
    /// <summary>Every concrete analyzer of PerfRules.Analyzers, found by reflection (rules added later are measured too).</summary>
    public static AnalyzerSet PerfRules()
        => new("PerfRules", AnalyzersIn(typeof(PerfRules.Rules.StaticFilesOrderAnalyzer).Assembly), Array.Empty<string>());

    /// <summary>One instance of every concrete analyzer type of an assembly, ordered by type name.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AnalyzersIn(Assembly assembly)
        => assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>The analyzers the ASP.NET Core targeting pack gives every web project.</summary>
    public static AnalyzerSet AspNetCoreSdk(ReferenceSet references)
    {
        var folder = Path.Combine(references.AspNetCorePack, "analyzers", "dotnet", "cs");
        var files = new[] { "Microsoft.AspNetCore.App.Analyzers.dll", "Microsoft.AspNetCore.Components.Analyzers.dll" }
            .Select(f => Path.Combine(folder, f));
        return Load("ASP.NET Core SDK analyzers", files);
    }

    public static AnalyzerSet Meziantou()
    {
        var package = typeof(AnalyzerSets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "MeziantouAnalyzerPackage")?.Value;
        if (string.IsNullOrEmpty(package) || !Directory.Exists(package))
        {
            return new AnalyzerSet("Meziantou.Analyzer", ImmutableArray<DiagnosticAnalyzer>.Empty, new[] { "package folder not found: " + package });
        }

        // The package has one folder per Roslyn version (analyzers/dotnet/roslynX.Y/cs): take the newest the loaded Roslyn can run.
        var roslyn = typeof(Compilation).Assembly.GetName().Version!;
        var folder = Directory.EnumerateDirectories(Path.Combine(package, "analyzers", "dotnet"), "roslyn*")
            .Select(d => (Directory: d, Version: Version.TryParse(Path.GetFileName(d)["roslyn".Length..], out var v) ? v : null))
            .Where(d => d.Version is not null && d.Version <= roslyn)
            .OrderBy(d => d.Version)
            .LastOrDefault().Directory;
        if (folder is null)
        {
            return new AnalyzerSet("Meziantou.Analyzer", ImmutableArray<DiagnosticAnalyzer>.Empty, new[] { $"no folder for Roslyn {roslyn} in {package}" });
        }

        var files = new[] { Path.Combine(folder, "cs", "Meziantou.Analyzer.dll") };
        return Load($"Meziantou.Analyzer 3.0.321 ({Path.GetFileName(folder)})", files);
    }

    private static AnalyzerSet Load(string name, IEnumerable<string> files)
    {
        var problems = new List<string>();
        var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        foreach (var file in files)
        {
            var reference = new AnalyzerFileReference(file, Loader.Instance);
            reference.AnalyzerLoadFailed += (_, e) => problems.Add($"{Path.GetFileName(file)}: {e.ErrorCode} {e.TypeName} {e.Message}");
            analyzers.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
        }

        return new AnalyzerSet(name, analyzers.ToImmutable(), problems);
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public static readonly Loader Instance = new();

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
