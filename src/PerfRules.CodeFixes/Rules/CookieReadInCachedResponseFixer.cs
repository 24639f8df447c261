using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using PerfRules.Caching;

namespace PerfRules.Rules;

/// <summary>
/// PERF002 fixes: "Vary the cache by this cookie" (the Cookie header joins the cache key of the attribute that shares the
/// response) and "Do not store this response" (<c>NoStore = true</c>). FixAll edits each attribute and each action once.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CookieReadInCachedResponseFixer)), Shared]
public sealed class CookieReadInCachedResponseFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CookieReadInCachedResponse);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(
        static async (context, document, diagnostics) => context.CodeActionEquivalenceKey switch
        {
            CacheAttributeEdits.VaryByCookieKey => await CacheAttributeEdits.VaryAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false),
            CacheAttributeEdits.NoStoreCookieReadKey => await CacheAttributeEdits.StopStoringAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false),
            _ => null,
        });

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (CacheAttributeEdits.CanVary(root, diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Vary the cache by this cookie",
                        cancellationToken => CacheAttributeEdits.VaryAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                        CacheAttributeEdits.VaryByCookieKey),
                    diagnostic);
            }

            if (CacheAttributeEdits.CanStopStoring(root, diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Do not store this response",
                        cancellationToken => CacheAttributeEdits.StopStoringAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                        CacheAttributeEdits.NoStoreCookieReadKey),
                    diagnostic);
            }
        }
    }
}
