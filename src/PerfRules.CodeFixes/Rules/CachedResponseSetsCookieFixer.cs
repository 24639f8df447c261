using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using PerfRules.Caching;

namespace PerfRules.Rules;

/// <summary>
/// PERF006 fix "Do not store this response" (<c>NoStore = true</c>): states that the response is not cached. Moving the
/// cookie write out of the cached response is not mechanical; the rule's page describes it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CachedResponseSetsCookieFixer)), Shared]
public sealed class CachedResponseSetsCookieFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CachedResponseIsNeverStored);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(
        static async (context, document, diagnostics) => context.CodeActionEquivalenceKey == CacheAttributeEdits.NoStoreCookieWriteKey
            ? await CacheAttributeEdits.StopStoringAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false)
            : null);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (CacheAttributeEdits.CanStopStoring(root, diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Do not store this response",
                        cancellationToken => CacheAttributeEdits.StopStoringAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                        CacheAttributeEdits.NoStoreCookieWriteKey),
                    diagnostic);
            }
        }
    }
}
