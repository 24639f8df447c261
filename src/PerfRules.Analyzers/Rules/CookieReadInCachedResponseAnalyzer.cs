using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfRules.Caching;
using PerfRules.Infrastructure;

namespace PerfRules.Rules;

/// <summary>
/// PERF002: a request handler whose response is shared-cached reads the request's cookies (<c>Request.Cookies</c> in any
/// form, the <c>Cookie</c> header, the session), so the first user's personalised response is replayed to everyone, unless
/// the cache varies by the <c>Cookie</c> header or by a value computed from the cookies.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CookieReadInCachedResponseAnalyzer : DiagnosticAnalyzer
{
    private const string Title = "Request cookie read in a response that is cached";
    private const string MessageFormat = "{0} in a response shared by {1}: the response rendered for the first user is replayed to every user; vary the cache by the cookie, do not store this response, or personalise the page in the browser";
    private const string Description = "Output caching and public response caching store one response per cache key and serve it to every user. A handler that reads a cookie (directly, through the Cookie header, through the session or through a helper of its controller) personalises a response that will be replayed to others: one user's name, culture or cart shows up for the next visitors. Vary the cache by the Cookie header, stop storing this response, or render a shared page and personalise it in the browser.";

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.CookieReadInCachedResponse,
        Title,
        MessageFormat,
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CookieReadInCachedResponse));

    /// <summary>The same rule for reads found through helper methods or caches known only once the whole project is seen.</summary>
    internal static readonly DiagnosticDescriptor ProjectRule = new(
        RuleIdentifiers.CookieReadInCachedResponse,
        Title,
        MessageFormat,
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CookieReadInCachedResponse),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, ProjectRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
            CachedHandlerAnalysis.Register(start, static uses => uses.FindRead, ignoreVaryingCaches: true, readViews: false, Rule, ProjectRule));
    }
}
