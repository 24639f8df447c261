using System.Text.Json;
using PerfRules.Clients.Tests.Infrastructure;

namespace PerfRules.Clients.Tests;

/// <summary>The SARIF 2.1 log the compiler writes through the ErrorLog property (what code-scanning services read).</summary>
[Collection(ClientsCollection.Name)]
public sealed class SarifTests
{
    private readonly PackageFeed _feed;

    public SarifTests(PackageFeed feed) => _feed = feed;

    [Theory]
    [MemberData(nameof(TestData.ImplementedRuleIds), MemberType = typeof(TestData))]
    public void Sarif_log_holds_one_result_for_the_rule_at_the_sample_line(string id)
    {
        var sample = RuleSamples.RuleSample(id);
        var run = ReadRun();

        var results = run.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("ruleId").GetString() == id).ToList();
        var result = Assert.Single(results);
        Assert.Equal(ExpectedLevel(TestData.Rule(id)), result.GetProperty("level").GetString());
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.EndsWith("/" + sample.File, location.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Equal(sample.ExpectedLine, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("message").GetProperty("text").GetString()));
    }

    [Theory]
    [MemberData(nameof(TestData.ImplementedRuleIds), MemberType = typeof(TestData))]
    public void Sarif_log_describes_the_rule_with_its_title_category_default_level_and_help_uri(string id)
    {
        var run = ReadRun();
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Contains("C# Compiler", driver.GetProperty("name").GetString(), StringComparison.Ordinal);

        var rule = Assert.Single(driver.GetProperty("rules").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal($"https://github.com/perfrules/perfrules/blob/main/docs/rules/{id}.md", rule.GetProperty("helpUri").GetString());
        Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
        Assert.Equal("Performance", rule.GetProperty("properties").GetProperty("category").GetString());
        Assert.Equal(ExpectedLevel(TestData.Rule(id)), DefaultLevel(rule));
    }

    private static string ExpectedLevel(ReleasedRule rule) => rule.DefaultSeverity switch
    {
        "Error" => "error",
        "Warning" => "warning",
        _ => "note",
    };

    /// <summary>The rule's default level: SARIF's default is "warning", and the compiler omits it then.</summary>
    private static string? DefaultLevel(JsonElement rule)
        => rule.TryGetProperty("defaultConfiguration", out var configuration) && configuration.TryGetProperty("level", out var level)
            ? level.GetString()
            : "warning";

    private JsonElement ReadRun()
    {
        var (app, build) = SharedBuilds.Default(_feed);
        Assert.True(build.Succeeded, build.ToString());
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.Directory, SharedBuilds.SarifFile)));
        Assert.Equal("2.1.0", document.RootElement.GetProperty("version").GetString());
        return Assert.Single(document.RootElement.GetProperty("runs").EnumerateArray()).Clone();
    }
}
