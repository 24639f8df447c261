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
