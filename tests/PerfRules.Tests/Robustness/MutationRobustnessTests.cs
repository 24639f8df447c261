using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace PerfRules.Tests.Robustness;

/// <summary>
/// Every analyzer and every code fix, on every rule-test source and sample file mutated the ways code looks while
/// it is being typed: no exception escapes (no AD0001) and no fix leaves more compiler errors than it found.
/// </summary>
public sealed class MutationRobustnessTests
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

    public static TheoryData<string> FixerTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in RuleInventory.FixerTypes)
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void The_corpus_holds_the_rule_test_sources_and_the_sample_files()
    {
        Assert.Contains(RobustnessCorpus.Sources, s => s.Name.StartsWith("tests/PerfRules.Tests/Rules/", StringComparison.Ordinal));
        Assert.Contains(RobustnessCorpus.Sources, s => s.Name == "samples/ProductCatalog/Program.cs");
        Assert.DoesNotContain(RobustnessCorpus.Sources, s => s.Text.Contains("{|#0:", StringComparison.Ordinal) || s.Text.Contains("[|", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypes))]
    public async Task Every_analyzer_reports_on_some_unmutated_corpus_source(string analyzerType)
    {
        // Without this the mutation tests could pass on sources no analyzer ever looks at.
        var ids = RuleInventory.CreateAnalyzer(analyzerType).SupportedDiagnostics.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var source in RobustnessCorpus.Sources)
        {
            var (failures, diagnostics) = await RobustnessHarness.RunAsync(source.Text, runFixes: false);
            Assert.Empty(failures);
            if (diagnostics.Any(d => ids.Contains(d.Id)))
            {
                return;
            }
        }

        foreach (var view in RobustnessCorpus.Views)
        {
            var (failures, diagnostics) = await RobustnessHarness.RunAsync(PlaceholderSource, runFixes: false, [("/app/" + view.Name, view.Text)]);
            Assert.Empty(failures);
            if (diagnostics.Any(d => ids.Contains(d.Id)))
            {
                return;
            }
        }

        Assert.Fail($"no corpus source makes {analyzerType} report");
    }

    [Theory]
    [MemberData(nameof(FixerTypes))]
    public async Task Every_fixer_offers_an_action_on_some_unmutated_corpus_source(string fixerType)
    {
        var fixer = RuleInventory.CreateFixers().Single(f => f.GetType().FullName == fixerType);
        foreach (var source in RobustnessCorpus.Sources)
        {
            var project = RobustnessHarness.CreateProject(source.Text);
            var (_, _, diagnostics) = await RobustnessHarness.AnalyzeAsync(project);
            foreach (var diagnostic in diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id) && d.Location.IsInSource))
            {
                var document = project.GetDocument(diagnostic.Location.SourceTree)!;
                var actions = new List<CodeAction>();
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
                if (actions.Count > 0)
                {
                    return;
                }
            }
        }

        foreach (var view in RobustnessCorpus.Views)
        {
            var project = RobustnessHarness.CreateProject(PlaceholderSource, views: [("/app/" + view.Name, view.Text)]);
            var (_, _, diagnostics) = await RobustnessHarness.AnalyzeAsync(project);
            foreach (var diagnostic in diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id)))
            {
                var actions = new List<CodeAction>();
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(RobustnessHarness.DocumentOf(project, diagnostic)!, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
                if (actions.Count > 0)
                {
                    return;
                }
            }
        }

        Assert.Fail($"no corpus source gets an action from {fixerType}");
    }

    internal const string PlaceholderSource = "public sealed class Placeholder { }";

    [Fact]
    public void The_corpus_holds_the_razor_views()
        => Assert.Contains(RobustnessCorpus.Views, v => v.Name == "samples/ProductCatalog/Views/Home/Index.cshtml");

    [Fact]
    public async Task Analyzers_and_fixes_survive_mutated_razor_views()
    {
        var failures = new List<string>();
        foreach (var view in RobustnessCorpus.Views)
        {
            foreach (var mutant in Mutations.Of(view.Text, Seed(view.Name)).Take(12))
            {
                var (found, _) = await RobustnessHarness.RunAsync(PlaceholderSource, views: [("/app/" + view.Name, mutant.Text)]);
                failures.AddRange(found.Select(f => $"[{view.Name}, {mutant.Description}] {f}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Theory]
    [InlineData(600)]
    public async Task Analyzers_and_fixes_survive_huge_methods(int statements)
    {
        var (failures, diagnostics) = await RobustnessHarness.RunAsync(Mutations.HugeMethods(statements));

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.NotEmpty(diagnostics);
    }

    [Theory]
    [InlineData(150, 500)]
    public async Task Analyzers_and_fixes_survive_deep_nesting(int depth, int regexDepth)
    {
        var (failures, _) = await RobustnessHarness.RunAsync(Mutations.DeepNesting(depth, regexDepth));

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task Analyzers_and_fixes_survive_mutations_of_huge_and_deeply_nested_code()
    {
        var failures = new List<string>();
        var sources = new[] { ("huge", Mutations.HugeMethods(300)), ("nested", Mutations.DeepNesting(60, 60)) };
        foreach (var (name, text) in sources)
        {
            foreach (var mutant in Mutations.Of(text, Seed(name)).Take(6))
            {
                var (found, _) = await RobustnessHarness.RunAsync(mutant.Text);
                failures.AddRange(found.Select(f => $"[{name}, {mutant.Description}] {f}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    // A fixed seed per source: the same mutants on every run and machine.
    internal static int Seed(string name)
    {
        var hash = 17;
        foreach (var c in name)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
