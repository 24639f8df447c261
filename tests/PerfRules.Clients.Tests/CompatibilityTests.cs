using PerfRules.Clients.Tests.Infrastructure;

namespace PerfRules.Clients.Tests;

/// <summary>
/// The package in consumer apps of every supported target framework. net8.0 and net9.0 restore their targeting packs
/// from the public NuGet feed (package source mapping keeps PerfRules on the local feed); net10.0 uses the SDK's own.
/// </summary>
[Collection(ClientsCollection.Name)]
public sealed class CompatibilityTests
{
    private readonly PackageFeed _feed;

    public CompatibilityTests(PackageFeed feed) => _feed = feed;

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net9.0")]
    [InlineData("net10.0")]
    public void App_targeting_the_framework_builds_with_every_rule_reported(string targetFramework)
    {
        var build = targetFramework == "net10.0"
            ? SharedBuilds.Default(_feed).Build
            : ConsumerApp.Create(_feed, "tfm-" + targetFramework, RuleSamples.AllFiles(), targetFramework, publicFeed: true).Build();

        Assert.True(build.Succeeded, build.ToString());
        Assert.Empty(build.Errors);
        foreach (var rule in Repository.ImplementedRules.Where(r => r.DefaultSeverity is "Warning" or "Error"))
        {
            var sample = RuleSamples.RuleSample(rule.Id);
            Assert.Contains(build.Perf, d => d.Id == rule.Id && d.Severity == rule.BuildSeverity && d.File == sample.File && d.Line == sample.ExpectedLine);
        }
    }
}
