using PerfRules.Clients.Tests.Infrastructure;

namespace PerfRules.Clients.Tests;

/// <summary><c>dotnet build</c> of a consumer app that references the packed PerfRules package.</summary>
[Collection(ClientsCollection.Name)]
public sealed class BuildTests
{
    private readonly PackageFeed _feed;

    public BuildTests(PackageFeed feed) => _feed = feed;

    [Theory]
    [MemberData(nameof(TestData.ImplementedRuleIds), MemberType = typeof(TestData))]
    public void Every_rule_of_the_release_files_has_a_consumer_sample(string id)
        => Assert.Contains(RuleSamples.All, s => s.RuleId == id);

    [Theory]
    [MemberData(nameof(TestData.ImplementedRuleIds), MemberType = typeof(TestData))]
    public void Build_reports_the_rule_with_its_id_default_severity_file_and_line(string id)
    {
        var rule = TestData.Rule(id);
        var sample = RuleSamples.RuleSample(id);
        var (_, build) = SharedBuilds.Default(_feed);

        Assert.True(build.Succeeded, build.ToString());
        if (rule.DefaultSeverity == "Info")
        {
            return; // MSBuild does not print info diagnostics; the SARIF tests check them.
        }

        var reported = Assert.Single(build.Perf, d => d.Id == id);
        Assert.Equal(rule.BuildSeverity, reported.Severity);
        Assert.Equal(sample.File, reported.File);
        Assert.Equal(sample.ExpectedLine, reported.Line);
        Assert.Contains("https://github.com/perfrules/perfrules/blob/main/docs/rules/" + id + ".md", reported.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_reports_nothing_but_the_samples_diagnostics()
    {
        var (_, build) = SharedBuilds.Default(_feed);

        Assert.Equal(
            RuleSamples.All.Where(s => TestData.Rule(s.RuleId).DefaultSeverity != "Info").Select(s => $"{s.RuleId} {s.File}:{s.ExpectedLine}").Order(),
            build.Perf.Select(d => $"{d.Id} {d.File}:{d.Line}").Order());
    }

    [Fact]
    public void Warnaserror_turns_every_rule_into_an_error_and_fails_the_build()
    {
        var app = ConsumerApp.Create(_feed, "warnaserror", RuleSamples.AllFiles());

        var build = app.Build("-warnaserror");

        Assert.False(build.Succeeded, build.ToString());
        foreach (var rule in Repository.ImplementedRules.Where(r => r.DefaultSeverity == "Warning"))
        {
            var sample = RuleSamples.RuleSample(rule.Id);
            Assert.Contains(build.Perf, d => d.Id == rule.Id && d.Severity == "error" && d.File == sample.File && d.Line == sample.ExpectedLine);
        }

        Assert.DoesNotContain(build.Perf, d => d.Severity == "warning");
    }
}
