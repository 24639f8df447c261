namespace PerfRules.Tests.Robustness;

/// <summary>
/// Every analyzer and code fix on each corpus source's mutants. The corpus is split in two test classes so that
/// xunit runs the halves in parallel on two cores.
/// </summary>
public abstract class CorpusMutationTests
{
    protected static TheoryData<string> CorpusSources(int half)
    {
        var data = new TheoryData<string>();
        for (var i = half; i < RobustnessCorpus.Sources.Length; i += 2)
        {
            data.Add(RobustnessCorpus.Sources[i].Name);
        }

        return data;
    }

    protected static async Task AssertAnalyzersAndFixesSurviveMutationsOf(string sourceName)
    {
        var source = RobustnessCorpus.Get(sourceName);
        var failures = new List<string>();
        foreach (var mutant in Mutations.Of(source.Text, MutationRobustnessTests.Seed(sourceName)))
        {
            var (found, _) = await RobustnessHarness.RunAsync(mutant.Text);
            failures.AddRange(found.Select(f => $"[{mutant.Description}] {f}\n--- input ---\n{mutant.Text}\n---"));
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}

public sealed class MutationsOfEvenCorpusSources : CorpusMutationTests
{
    public static TheoryData<string> Sources() => CorpusSources(0);

    [Theory]
    [MemberData(nameof(Sources))]
    public Task Analyzers_and_fixes_survive_every_mutation_of(string sourceName) => AssertAnalyzersAndFixesSurviveMutationsOf(sourceName);
}

public sealed class MutationsOfOddCorpusSources : CorpusMutationTests
{
    public static TheoryData<string> Sources() => CorpusSources(1);

    [Theory]
    [MemberData(nameof(Sources))]
    public Task Analyzers_and_fixes_survive_every_mutation_of(string sourceName) => AssertAnalyzersAndFixesSurviveMutationsOf(sourceName);
}
