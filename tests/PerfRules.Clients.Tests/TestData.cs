using PerfRules.Clients.Tests.Infrastructure;

namespace PerfRules.Clients.Tests;

/// <summary>Theory data read from the release-tracking files and the sample table.</summary>
public static class TestData
{
    public static TheoryData<string> ImplementedRuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in Repository.ImplementedRules)
        {
            data.Add(rule.Id);
        }

        return data;
    }

    public static TheoryData<string> FixKeys()
    {
        var data = new TheoryData<string>();
        foreach (var fix in RuleSamples.Fixes)
        {
            data.Add(fix.EquivalenceKey);
        }

        return data;
    }

    public static ReleasedRule Rule(string id) => Repository.ImplementedRules.FirstOrDefault(r => r.Id == id)
        ?? throw new ArgumentException(id + " is not in the release-tracking files", nameof(id));

    public static FixSample Fix(string key) => RuleSamples.Fixes.FirstOrDefault(f => f.EquivalenceKey == key)
        ?? throw new ArgumentException("no fix sample " + key, nameof(key));
}

/// <summary>Builds shared by several test classes, each run once per test run.</summary>
internal static class SharedBuilds
{
    public const string SarifFile = "build.sarif";

    /// <summary>The app with every rule sample, built with no configuration, writing a SARIF 2.1 log.</summary>
    public static (ConsumerApp App, BuildOutput Build) Default(PackageFeed feed) => feed.Shared("default-build", () =>
    {
        var app = ConsumerApp.Create(feed, "default", RuleSamples.AllFiles());
        var build = app.Build($"-p:ErrorLog={Path.Combine(app.Directory, SarifFile)}%2Cversion=2.1");
        return (app, build);
    });
}
