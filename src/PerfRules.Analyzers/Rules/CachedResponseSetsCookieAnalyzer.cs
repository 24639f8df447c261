using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfRules.Caching;
using PerfRules.Infrastructure;

namespace PerfRules.Rules;

/// <summary>
/// PERF006: a request handler whose response is shared-cached sets a cookie (<c>Response.Cookies.Append/Delete</c>, the
/// <c>Set-Cookie</c> header, a session write, TempData, sign-in or sign-out). ASP.NET Core's output cache and response
/// caching middleware refuse to store a response carrying <c>Set-Cookie</c>, so the cache never hits.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CachedResponseSetsCookieAnalyzer : DiagnosticAnalyzer
{
    private const string Title = "Cached response sets cookies or uses session/TempData, so it is never stored";
    private const string MessageFormat = "{0} in a response cached by {1}: a response that sets a cookie is never stored, so this cache never hits; move the cookie write to an endpoint that is not cached, or do not cache this response";
    private const string Description = "ASP.NET Core's output cache (default policy) and response caching middleware do not store responses that carry a Set-Cookie header. Appending or deleting a cookie, writing the session (which sets the session cookie), using TempData (kept in a cookie by default) or signing in or out in a cached handler makes every request miss the cache: the handler runs every time and the cache only costs memory and lookups.";

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.CachedResponseIsNeverStored,
        Title,
        MessageFormat,
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CachedResponseIsNeverStored));

    /// <summary>The same rule for writes found through helper methods or caches known only once the whole project is seen.</summary>
    internal static readonly DiagnosticDescriptor ProjectRule = new(
        RuleIdentifiers.CachedResponseIsNeverStored,
        Title,
        MessageFormat,
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CachedResponseIsNeverStored),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, ProjectRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
            CachedHandlerAnalysis.Register(start, static uses => uses.FindWrite, ignoreVaryingCaches: false, readViews: true, Rule, ProjectRule));
    }
}
