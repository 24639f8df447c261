using PerfRules.Clients.Tests.Infrastructure;

namespace PerfRules.Clients.Tests;

/// <summary>
/// <c>dotnet format analyzers --diagnostics PERFxxx</c> applies a rule's fix to the consumer app, which then builds
/// with no errors and without the warning it fixed. One test per fix of the sample table.
/// </summary>
[Collection(ClientsCollection.Name)]
public sealed class DotnetFormatTests
{
    private readonly PackageFeed _feed;

    public DotnetFormatTests(PackageFeed feed) => _feed = feed;

    [Theory]
    [MemberData(nameof(TestData.FixKeys), MemberType = typeof(TestData))]
    public void Dotnet_format_applies_the_fix_and_the_app_builds_without_the_fixed_warning(string key)
    {
        var fix = TestData.Fix(key);
        var rule = TestData.Rule(fix.RuleId);
        var (app, projectBefore) = Format(fix, rule);

        foreach (var (file, fragments) in fix.Expected)
        {
            var text = app.Read(file).ReplaceLineEndings("\n");
            Assert.All(fragments, fragment => Assert.Contains(fragment, text, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(app.Directory, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            Assert.All(fix.NotExpected, fragment => Assert.DoesNotContain(fragment, text, StringComparison.Ordinal));
        }

        // No fix adds a document (dotnet format's MSBuildWorkspace would write it into the SDK-style project file as a
        // duplicate <Compile> item, NETSDK1022): the project file is untouched.
        Assert.Equal(projectBefore, File.ReadAllText(app.ProjectPath));

        var build = app.Build();

        Assert.True(build.Succeeded, build.ToString());
        Assert.Empty(build.Errors);
        var sample = fix.AsRuleSample();
        Assert.DoesNotContain(build.Perf, d => d.Id == fix.RuleId && d.File == fix.File);
        Assert.Equal(sample.File, fix.File);
    }

    /// <summary>
    /// dotnet format keeps only diagnostics whose location is in a C# source tree of the project
    /// (<c>Location.IsInSource</c>), so a diagnostic in a Razor view (an AdditionalFile) is never handed to a fixer:
    /// PERF010's view fix runs in editors, not in dotnet format. If dotnet format learns to fix additional files,
    /// this test fails and docs/clients.md must say so.
    /// </summary>
    [Fact]
    public void Dotnet_format_does_not_apply_fixes_to_Razor_views()
    {
        var sample = RuleSamples.RuleSample("PERF010");
        var app = ConsumerApp.Create(_feed, "format-PERF010", [new(sample.File, sample.Source)]);
        app.Restore().EnsureSuccess();

        app.Run("format", "analyzers", app.ProjectPath, "--diagnostics", "PERF010", "--severity", "warn", "--no-restore")
            .EnsureSuccess();

        Assert.Equal(sample.Source, app.Read(sample.File));
        var build = app.Build();
        Assert.Contains(build.Perf, d => d.Id == "PERF010" && d.File == sample.File && d.Line == sample.ExpectedLine);
    }

    private (ConsumerApp App, string ProjectBefore) Format(FixSample fix, ReleasedRule rule)
    {
        var app = ConsumerApp.Create(_feed, "format-" + fix.EquivalenceKey, [new(fix.File, fix.Source)]);
        app.Restore().EnsureSuccess();
        var projectBefore = File.ReadAllText(app.ProjectPath);

        app.Run("format", "analyzers", app.ProjectPath, "--diagnostics", fix.RuleId, "--severity", rule.FormatSeverity, "--no-restore")
            .EnsureSuccess();

        Assert.NotEqual(fix.Source, app.Read(fix.File));
        return (app, projectBefore);
    }

}
