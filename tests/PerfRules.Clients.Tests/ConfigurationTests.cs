using PerfRules.Clients.Tests.Infrastructure;

namespace PerfRules.Clients.Tests;

/// <summary>Severities from .editorconfig and the PerfRulesMode presets shipped in the package's buildTransitive folder.</summary>
[Collection(ClientsCollection.Name)]
public sealed class ConfigurationTests
{
    private readonly PackageFeed _feed;

    public ConfigurationTests(PackageFeed feed) => _feed = feed;

    [Fact]
    public void Editorconfig_severities_raise_rules_to_errors_and_turn_rules_off_even_under_the_strict_preset()
    {
        // Every other rule becomes an error, the rest are turned off; the strict preset must not override either.
        var rules = Repository.ImplementedRules;
        var raised = rules.Where((_, i) => i % 2 == 0).Select(r => r.Id).ToList();
        var silenced = rules.Where((_, i) => i % 2 == 1).Select(r => r.Id).ToList();
        var app = ConsumerApp.Create(_feed, "editorconfig", RuleSamples.AllFiles(), perfRulesMode: "strict");
        // Rules reported in C# files are configured in .editorconfig; rules reported in .cshtml views (additional files,
        // which have no editorconfig section of their own) in a global config, as docs/rules/PERF009.md says.
        bool InViews(string id) => RuleSamples.RuleSample(id).File.EndsWith(".cshtml", StringComparison.Ordinal);
        string Lines(Func<string, bool> where)
            => string.Concat(raised.Where(where).Select(id => $"dotnet_diagnostic.{id}.severity = error\n"))
               + string.Concat(silenced.Where(where).Select(id => $"dotnet_diagnostic.{id}.severity = none\n"));
        app.Write(".editorconfig", "root = true\n\n[*.cs]\n" + Lines(id => !InViews(id)));
        app.Write(".globalconfig", "is_global = true\n" + Lines(InViews));

        var build = app.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Equal(raised.Order(), build.Perf.Where(d => d.Severity == "error").Select(d => d.Id).Order());
        Assert.All(build.Perf, d => Assert.Equal("error", d.Severity));
    }

    [Fact]
    public void PERF004_options_in_editorconfig_exclude_a_blocking_call_and_add_a_blocking_method_in_a_real_build()
    {
        const string controller = """
            namespace App.Samples;

            public sealed class LegacyGateway
            {
                public string Fetch(string key) => key;
            }

            public sealed class CheckoutController : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                private readonly LegacyGateway _gateway = new();

                [Microsoft.AspNetCore.Mvc.HttpGet("/checkout")]
                public string Get()
                {
                    System.Threading.Thread.Sleep(100);
                    return _gateway.Fetch("basket");
                }
            }

            """;
        var app = ConsumerApp.Create(_feed, "perf004-options", [new("Samples/CheckoutController.cs", controller)]);
        var before = app.Build();
        app.Write(".editorconfig", """
            root = true

            [*.cs]
            perfrules.PERF004.excluded_symbols = M:System.Threading.Thread.Sleep(System.Int32)
            perfrules.PERF004.additional_blocking_symbols = M:App.Samples.LegacyGateway.Fetch(System.String)

            """);
        var after = app.Build();

        int LineOf(string text) => Array.FindIndex(controller.Split('\n'), l => l.Contains(text, StringComparison.Ordinal)) + 1;
        Assert.Equal([LineOf("Thread.Sleep")], before.Perf.Where(d => d.Id == "PERF004").Select(d => d.Line));
        Assert.Equal([LineOf("Fetch(\"basket\")")], after.Perf.Where(d => d.Id == "PERF004").Select(d => d.Line));
        Assert.Contains("Fetch", after.Perf.Single(d => d.Id == "PERF004").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_preset_reports_every_rule_as_a_warning()
    {
        var app = ConsumerApp.Create(_feed, "strict", RuleSamples.AllFiles(), perfRulesMode: "strict");

        var build = app.Build();

        Assert.True(build.Succeeded, build.ToString());
        Assert.Equal(Repository.ImplementedRules.Select(r => r.Id), build.Perf.Select(d => d.Id).Order());
        Assert.All(build.Perf, d => Assert.Equal("warning", d.Severity));
    }

    [Fact]
    public void None_preset_reports_no_rule()
    {
        var app = ConsumerApp.Create(_feed, "none", RuleSamples.AllFiles(), perfRulesMode: "none");

        var build = app.Build();

        Assert.True(build.Succeeded, build.ToString());
        Assert.Empty(build.Perf);
    }

    [Fact]
    public void Recommended_preset_is_the_default_and_reports_what_a_build_without_a_mode_reports()
    {
        var app = ConsumerApp.Create(_feed, "recommended", RuleSamples.AllFiles(), perfRulesMode: "recommended");

        var build = app.Build();
        var (_, unset) = SharedBuilds.Default(_feed);

        Assert.True(build.Succeeded, build.ToString());
        Assert.NotEmpty(build.Perf);
        // The compiler prints diagnostics in no fixed order across builds: compare them as sets.
        Assert.Equal(
            unset.Perf.Select(d => (d with { Message = string.Empty }).ToString()).Order(StringComparer.Ordinal),
            build.Perf.Select(d => (d with { Message = string.Empty }).ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Unknown_preset_fails_the_build_with_a_message_naming_the_presets()
    {
        var app = ConsumerApp.Create(_feed, "unknown-mode", RuleSamples.AllFiles(), perfRulesMode: "paranoid");

        var build = app.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("PerfRulesMode 'paranoid' is not a PerfRules preset: use recommended, strict or none.", build.Result.Output, StringComparison.Ordinal);
    }
}
