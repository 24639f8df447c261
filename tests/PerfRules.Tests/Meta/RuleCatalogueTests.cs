using System.Composition;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfRules.Tests.Meta;

/// <summary>The package's promises about its rules: ids, links, pages, README, release tracking, fixers.</summary>
public sealed class RuleCatalogueTests
{
    private static readonly Assembly AnalyzerAssembly = typeof(RuleIdentifiers).Assembly;
    private static readonly Assembly CodeFixAssembly = typeof(PerfRules.Rules.RegexRouteConstraintFixer).Assembly;

    public static TheoryData<string> AnalyzerTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in Analyzers())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    public static TheoryData<string> FixerTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in Fixers())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void All_ten_catalogue_ids_are_reserved()
    {
        var ids = typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && ((string)f.GetRawConstantValue()!).StartsWith("PERF", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order()
            .ToArray();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"PERF{i:000}"), ids);
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypes))]
    public void Every_descriptor_links_to_its_existing_doc_page(string analyzerType)
    {
        foreach (var descriptor in Descriptors(analyzerType))
        {
            Assert.Equal(RuleIdentifiers.GetHelpUri(descriptor.Id), descriptor.HelpLinkUri);
            Assert.EndsWith($"docs/rules/{descriptor.Id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
            var page = RepositoryLayout.PathOf("docs", "rules", descriptor.Id + ".md");
            Assert.True(File.Exists(page), $"{descriptor.Id} has no page at {page}");
            Assert.Contains($"# {descriptor.Id}", File.ReadAllText(page), StringComparison.Ordinal);
            Assert.Equal(RuleIdentifiers.PerformanceCategory, descriptor.Category);
        }
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypes))]
    public void Every_rule_is_in_the_readme_table_and_release_tracking(string analyzerType)
    {
        var readme = File.ReadAllText(RepositoryLayout.PathOf("README.md"));
        var tracking = File.ReadAllText(RepositoryLayout.PathOf("src", "PerfRules.Analyzers", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(RepositoryLayout.PathOf("src", "PerfRules.Analyzers", "AnalyzerReleases.Shipped.md"));
        foreach (var descriptor in Descriptors(analyzerType))
        {
            Assert.Matches(new Regex($@"^\|\s*\[?{descriptor.Id}\b", RegexOptions.Multiline), readme);
            Assert.Matches(new Regex($@"^{descriptor.Id}\s*\|\s*{descriptor.Category}\s*\|\s*{descriptor.DefaultSeverity}\s*\|", RegexOptions.Multiline), tracking);
        }
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypes))]
    public void Every_analyzer_is_a_csharp_analyzer_with_a_public_parameterless_constructor(string analyzerType)
    {
        var type = AnalyzerAssembly.GetType(analyzerType)!;
        var attribute = type.GetCustomAttribute<DiagnosticAnalyzerAttribute>();
        Assert.NotNull(attribute);
        Assert.Contains(LanguageNames.CSharp, attribute!.Languages);
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
    }

    [Theory]
    [MemberData(nameof(FixerTypes))]
    public void Every_fixer_is_exported_shared_and_has_a_fix_all_provider(string fixerType)
    {
        var type = CodeFixAssembly.GetType(fixerType)!;
        var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
        Assert.NotNull(export);
        Assert.Contains(LanguageNames.CSharp, export!.Languages);
        Assert.False(string.IsNullOrEmpty(export.Name));
        Assert.NotNull(type.GetCustomAttribute<SharedAttribute>());
        var fixer = (CodeFixProvider)Activator.CreateInstance(type)!;
        Assert.NotNull(fixer.GetFixAllProvider());
        Assert.NotEmpty(fixer.FixableDiagnosticIds);
        var knownIds = Analyzers().SelectMany(a => Descriptors(a.FullName!)).Select(d => d.Id).ToHashSet();
        Assert.All(fixer.FixableDiagnosticIds, id => Assert.Contains(id, knownIds));
    }

    [Fact]
    public void Every_id_in_release_tracking_has_an_analyzer()
    {
        var tracking = File.ReadAllText(RepositoryLayout.PathOf("src", "PerfRules.Analyzers", "AnalyzerReleases.Unshipped.md"));
        var tracked = Regex.Matches(tracking, @"^(PERF\d{3})\s*\|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        var implemented = Analyzers().SelectMany(a => Descriptors(a.FullName!)).Select(d => d.Id).ToHashSet();
        Assert.Equal(implemented.Order(), tracked.Order());
    }

    private static IEnumerable<Type> Analyzers()
        => AnalyzerAssembly.GetTypes().Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)).OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static IEnumerable<Type> Fixers()
        => CodeFixAssembly.GetTypes().Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t)).OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static IEnumerable<DiagnosticDescriptor> Descriptors(string analyzerType)
        => ((DiagnosticAnalyzer)Activator.CreateInstance(AnalyzerAssembly.GetType(analyzerType)!)!).SupportedDiagnostics;
}
