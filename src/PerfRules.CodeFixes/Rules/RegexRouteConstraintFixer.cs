using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace PerfRules.Rules;

/// <summary>
/// PERF005 fix "Use built-in constraint": replaces an inline <c>regex(…)</c> with the built-in constraint
/// that accepts the same values for the bound parameter's type (decided by the analyzer).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RegexRouteConstraintFixer)), Shared]
public sealed class RegexRouteConstraintFixer : CodeFixProvider
{
    internal const string UseBuiltInKey = "PERF005.UseBuiltInConstraint";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RegexRouteConstraint);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(RegexRouteConstraintAnalyzer.BuiltInProperty, out var builtIn) && builtIn is { Length: > 0 }
                && diagnostic.Properties.TryGetValue(RegexRouteConstraintAnalyzer.ExactProperty, out var exact) && exact == "true")
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Use built-in constraint '{builtIn}'",
                        cancellationToken => UseBuiltInAsync(context.Document, diagnostic, builtIn, cancellationToken),
                        UseBuiltInKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> UseBuiltInAsync(Document document, Diagnostic diagnostic, string builtIn, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var span = diagnostic.Location.SourceSpan;
        var token = root?.FindToken(span.Start);

        // The span lies inside one string literal (the analyzer said so); the built-in constraint text needs no escaping.
        if (token is not { } literal || !literal.Span.Contains(span)
            || !(literal.IsKind(SyntaxKind.StringLiteralToken) || literal.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || literal.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)))
        {
            return document;
        }

        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(new TextChange(span, builtIn)));
    }
}
