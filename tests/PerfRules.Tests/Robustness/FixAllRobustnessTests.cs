namespace PerfRules.Tests.Robustness;

/// <summary>
/// Every FixAll provider on every corpus source and its first mutants: FixAll combines many fixes in one solution, which
/// single fixes do not exercise (shared edits such as one registration for many sites, overlapping spans).
/// </summary>
public sealed class FixAllRobustnessTests
{
    private const int MutantsPerSource = 3;

    public static TheoryData<string> Sources()
    {
        var data = new TheoryData<string>();
        foreach (var source in RobustnessCorpus.Sources)
        {
            data.Add(source.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Fix_all_providers_survive_the_source_and_its_first_mutants(string sourceName)
    {
        var source = RobustnessCorpus.Get(sourceName);
        var failures = new List<string>();
        failures.AddRange((await RobustnessHarness.RunFixAllAsync(source.Text)).Select(f => "[unmutated] " + f));
        foreach (var mutant in Mutations.Of(source.Text, MutationRobustnessTests.Seed(sourceName)).Take(MutantsPerSource))
        {
            var found = await RobustnessHarness.RunFixAllAsync(mutant.Text);
            failures.AddRange(found.Select(f => $"[{mutant.Description}] {f}\n--- input ---\n{mutant.Text}\n---"));
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task Fix_all_providers_survive_the_razor_views()
    {
        var failures = new List<string>();
        foreach (var view in RobustnessCorpus.Views)
        {
            failures.AddRange(await RobustnessHarness.RunFixAllAsync(MutationRobustnessTests.PlaceholderSource, [("/app/" + view.Name, view.Text)]));
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
