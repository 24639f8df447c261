using System.Text.RegularExpressions;
using PerfRules.Clients.Tests.Infrastructure;

namespace PerfRules.Clients.Tests;

/// <summary>
/// <c>dotnet format analyzers --diagnostics PERFxxx</c> applies a rule's fix to the consumer app, which then builds
/// with no errors and without the warning it fixed. One test per fix of the sample table.
/// </summary>
[Collection(ClientsCollection.Name)]
public sealed partial class DotnetFormatTests
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

        // dotnet format's MSBuildWorkspace writes every document a fix adds into the project file as a <Compile> item,
        // which an SDK-style project already includes by its default glob, so the next build fails with NETSDK1022
        // (see the skipped test below and docs/clients.md). Undo exactly those items, as a user has to, and build.
        var added = AddedCompileItems(projectBefore, File.ReadAllText(app.ProjectPath));
        Assert.All(added, item => Assert.True(File.Exists(Path.Combine(app.Directory, item)), item + " was added to the project but not written"));
        File.WriteAllText(app.ProjectPath, projectBefore);

        var build = app.Build();

        Assert.True(build.Succeeded, build.ToString());
        Assert.Empty(build.Errors);
        var sample = fix.AsRuleSample();
        Assert.DoesNotContain(build.Perf, d => d.Id == fix.RuleId && d.File == fix.File);
        Assert.Equal(sample.File, fix.File);
    }

    [Fact(Skip = "Known defect: MSBuildWorkspace (dotnet format) adds <Compile Include=\"SlugRouteConstraint.cs\" /> for the file the PERF005 extract fix creates; the SDK then fails with NETSDK1022 (duplicate Compile items). Reported in docs/clients.md.")]
    public void Dotnet_format_leaves_the_sdk_style_project_file_unchanged_when_a_fix_adds_a_file()
    {
        var fix = TestData.Fix("PERF005.ExtractNamedConstraint");
        var (app, projectBefore) = Format(fix, TestData.Rule(fix.RuleId));

        Assert.Equal(projectBefore, File.ReadAllText(app.ProjectPath));
        Assert.True(app.Build().Succeeded);
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

    private static List<string> AddedCompileItems(string before, string after)
    {
        var known = CompileItem().Matches(before).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        return CompileItem().Matches(after).Select(m => m.Groups[1].Value).Where(i => !known.Contains(i)).ToList();
    }

    [GeneratedRegex("<Compile Include=\"([^\"]+)\"")]
    private static partial Regex CompileItem();
}
