using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfRules.Rules;

/// <summary>
/// PERF008 fix "Move UseStaticFiles before …": moves the <c>UseStaticFiles(…)</c> statement, with its comments, to just
/// before the first expensive-middleware statement. Offered only when both are statements of the same block (or both
/// top-level statements); across branches or methods the right place is a judgement call left to the developer.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StaticFilesOrderFixer)), Shared]
public sealed class StaticFilesOrderFixer : CodeFixProvider
{
    internal const string MoveBeforeKey = "PERF008.MoveBeforeExpensiveMiddleware";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.StaticFilesAfterExpensiveMiddleware);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // Reports through helper methods come from the compilation-end pass (non-local): no fix, the developer decides.
            // A syntax-only check so the light bulb appears only where the move is possible; the edit happens in the callback.
            if (IsCompilationEnd(diagnostic) || FindMove(root, diagnostic) is null)
            {
                continue;
            }

            var before = diagnostic.Properties.TryGetValue(StaticFilesOrderAnalyzer.BeforeProperty, out var name) && name is { Length: > 0 }
                ? name
                : "the expensive middleware";
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Move UseStaticFiles before {before}",
                    cancellationToken => MoveAsync(context.Document, diagnostic, cancellationToken),
                    MoveBeforeKey),
                diagnostic);
        }
    }

    private static async Task<Document> MoveAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || FindMove(root, diagnostic) is not { } move)
        {
            return document;
        }

        SyntaxNode? newRoot = null;
        if (move.Moved.Parent is BlockSyntax block)
        {
            var statements = block.Statements.Remove(move.Moved).Insert(move.TargetIndex, move.Moved);
            newRoot = root.ReplaceNode(block, block.WithStatements(statements));
        }
        else if (move.Moved.Parent is GlobalStatementSyntax { Parent: CompilationUnitSyntax unit } movedGlobal
            && move.Target.Parent is GlobalStatementSyntax)
        {
            var members = unit.Members.Remove(movedGlobal).Insert(move.TargetIndex, movedGlobal);
            newRoot = root.ReplaceNode(unit, unit.WithMembers(members));
        }

        return newRoot is null ? document : document.WithSyntaxRoot(newRoot);
    }

    /// <summary>The statement to move, the statement to move it before, and that statement's index in the shared list; null when the fix does not apply.</summary>
    private static Move? FindMove(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count == 0 || diagnostic.Location.SourceTree != root.SyntaxTree
            || diagnostic.AdditionalLocations[0].SourceTree != root.SyntaxTree)
        {
            return null;
        }

        var staticSpan = diagnostic.Location.SourceSpan;
        var targetSpan = diagnostic.AdditionalLocations[0].SourceSpan;
        if (!root.FullSpan.Contains(staticSpan) || !root.FullSpan.Contains(targetSpan))
        {
            return null;
        }

        // The UseStaticFiles call on the builder variable must be the whole statement, so that moving it moves nothing else.
        if (root.FindNode(staticSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax staticCall
            || staticCall.Expression is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax }
            || staticCall.Parent is not ExpressionStatementSyntax moved || moved.Expression != staticCall)
        {
            return null;
        }

        // The statement that holds the expensive call (chains such as app.UseAuthentication().UseAuthorization() included).
        var target = ContainingStatement(root.FindNode(targetSpan, getInnermostNodeForTie: true));
        if (target is not ExpressionStatementSyntax || target == moved)
        {
            return null;
        }

        if (moved.Parent is BlockSyntax block && target.Parent == block)
        {
            var targetIndex = block.Statements.IndexOf(target);
            return targetIndex >= 0 && targetIndex < block.Statements.IndexOf(moved) ? new Move(moved, target, targetIndex) : null;
        }

        if (moved.Parent is GlobalStatementSyntax { Parent: CompilationUnitSyntax unit } movedGlobal
            && target.Parent is GlobalStatementSyntax { Parent: CompilationUnitSyntax targetUnit } targetGlobal
            && unit == targetUnit)
        {
            var targetIndex = unit.Members.IndexOf(targetGlobal);
            return targetIndex >= 0 && targetIndex < unit.Members.IndexOf(movedGlobal) ? new Move(moved, target, targetIndex) : null;
        }

        return null;
    }

    private static bool IsCompilationEnd(Diagnostic diagnostic)
    {
        foreach (var tag in diagnostic.Descriptor.CustomTags)
        {
            if (tag == WellKnownDiagnosticTags.CompilationEnd)
            {
                return true;
            }
        }

        return false;
    }

    private static StatementSyntax? ContainingStatement(SyntaxNode? node)
    {
        for (; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case StatementSyntax statement:
                    return statement;
                case AnonymousFunctionExpressionSyntax or MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private sealed record Move(ExpressionStatementSyntax Moved, StatementSyntax Target, int TargetIndex);
}
