using System.Text.RegularExpressions;

namespace PerfRules.Clients.Tests.Infrastructure;

/// <summary>The repository the tests run from, and the rules it declares implemented.</summary>
internal static partial class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// The implemented rules, read from the release-tracking files (a row "PERFxxx | Category | Severity | …"):
    /// a rule a developer adds there is covered by every test that iterates this list.
    /// </summary>
    public static IReadOnlyList<ReleasedRule> ImplementedRules { get; } = ReadReleasedRules();

    private static IReadOnlyList<ReleasedRule> ReadReleasedRules()
    {
        var rules = new SortedDictionary<string, ReleasedRule>(StringComparer.Ordinal);
        foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            var path = PathOf("src", "PerfRules.Analyzers", file);
            foreach (var line in File.ReadAllLines(path))
            {
                var match = ReleaseRow().Match(line);
                if (match.Success)
                {
                    rules[match.Groups["id"].Value] = new ReleasedRule(match.Groups["id"].Value, match.Groups["severity"].Value);
                }
            }
        }

        return rules.Values.ToList();
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PerfRules.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PerfRules.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^(?<id>PERF\d{3})\s*\|\s*\w+\s*\|\s*(?<severity>Warning|Info|Error|Hidden|Disabled)\s*\|")]
    private static partial Regex ReleaseRow();
}

/// <summary>A rule of the release-tracking files with its default severity (Warning, Info, …).</summary>
public sealed record ReleasedRule(string Id, string DefaultSeverity)
{
    /// <summary>The word the compiler prints for the default severity ("warning", "info", "error").</summary>
    public string BuildSeverity => DefaultSeverity.ToLowerInvariant();

    /// <summary>The value of <c>dotnet format --severity</c> that includes this rule.</summary>
    public string FormatSeverity => DefaultSeverity == "Info" ? "info" : "warn";

    public override string ToString() => Id;
}
