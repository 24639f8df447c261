using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfRules.Infrastructure;
using PerfRules.Razor;

namespace PerfRules.Rules;

/// <summary>
/// PERF009: a partial view or view component rendered once per item of a loop in a <c>.cshtml</c> file, with no
/// <c>&lt;cache&gt;</c>/<c>&lt;distributed-cache&gt;</c> around it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PartialRenderedPerItemAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.PartialRenderedPerItemWithoutCache,
        title: "Partial rendered per item without fragment caching",
        messageFormat: "'{0}' renders once per item of the loop and nothing caches it: consider wrapping it in <cache vary-by=\"@item.Id\"> so each item's HTML is rendered once",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Rendering a partial view or view component runs its view (and often its data access) for every item of a list on every request. The cache tag helper stores each item's fragment, keyed by the item, so the work is done once per item and expiry, not once per request.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PartialRenderedPerItemWithoutCache));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
        {
            // Views with tag helpers: the cache tag helper must exist for the advice to be actionable.
            if (WellKnownTypes.GetOrCreate(start.Compilation).Get(WellKnownType.Microsoft_AspNetCore_Mvc_TagHelpers_CacheTagHelper) is null)
            {
                return;
            }

            start.RegisterAdditionalFileAction(static file =>
            {
                if (RazorFiles.Read(file.AdditionalFile, file.CancellationToken) is not { } view)
                {
                    return;
                }

                foreach (var partial in view.Document.Partials)
                {
                    if (view.Document.IsInLoop(partial.Span) && !view.Document.CachesAround(partial.Span).GetEnumerator().MoveNext())
                    {
                        file.ReportDiagnostic(Diagnostic.Create(Rule, RazorFiles.LocationOf(file.AdditionalFile, view.Text, partial.Span), partial.Display));
                    }
                }
            });
        });
    }
}
