using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfRules.Tests.Robustness;

/// <summary>
/// Every analyzer and every code fix the two shipped assemblies contain, found by reflection so that a rule
/// added later is covered by the robustness tests without editing them.
/// </summary>
internal static class RuleInventory
{
    public static Assembly AnalyzerAssembly { get; } = typeof(RuleIdentifiers).Assembly;

    public static Assembly CodeFixAssembly { get; } = typeof(PerfRules.Rules.StaticFilesOrderFixer).Assembly;

    public static ImmutableArray<Type> AnalyzerTypes { get; } = ConcreteSubtypes(AnalyzerAssembly, typeof(DiagnosticAnalyzer))
        .Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .ToImmutableArray();

    public static ImmutableArray<Type> FixerTypes { get; } = ConcreteSubtypes(CodeFixAssembly, typeof(CodeFixProvider))
        .Where(t => t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .ToImmutableArray();

    /// <summary>Fresh instances: analyzers must not depend on being shared.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers()
        => AnalyzerTypes.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> CreateFixers()
        => FixerTypes.Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToImmutableArray();

    public static DiagnosticAnalyzer CreateAnalyzer(string fullName)
        => (DiagnosticAnalyzer)Activator.CreateInstance(AnalyzerTypes.Single(t => t.FullName == fullName))!;

    private static IEnumerable<Type> ConcreteSubtypes(Assembly assembly, Type baseType)
        => assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && baseType.IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
}
