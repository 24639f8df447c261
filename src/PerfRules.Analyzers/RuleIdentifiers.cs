namespace PerfRules;

/// <summary>
/// The public contract of the package: rule ids (editorconfig keys, SARIF, docs file names) and
/// the help link of each rule. Every id of the catalogue is reserved here, implemented or not.
/// </summary>
internal static class RuleIdentifiers
{
    public const string StaticFileServedByHandler = "PERF001";
    public const string CookieReadInCachedResponse = "PERF002";
    public const string TemplateRenderedWithoutOutputCache = "PERF003";
    public const string SynchronousWorkInRequestHandler = "PERF004";
    public const string RegexRouteConstraint = "PERF005";
    public const string CachedResponseIsNeverStored = "PERF006";
    public const string FireAndForgetInRequestHandler = "PERF007";
    public const string StaticFilesAfterExpensiveMiddleware = "PERF008";
    public const string PartialRenderedPerItemWithoutCache = "PERF009";
    public const string PerUserDataInSharedCacheTag = "PERF010";

    /// <summary>Category of every PerfRules diagnostic.</summary>
    public const string PerformanceCategory = "Performance";

    /// <summary>Where the rule pages live: <c>docs/rules/PERFxxx.md</c> in the repository.</summary>
    public const string DocumentationRoot = "https://github.com/perfrules/perfrules/blob/main/docs/rules/";

    public static string GetHelpUri(string id) => DocumentationRoot + id + ".md";
}
