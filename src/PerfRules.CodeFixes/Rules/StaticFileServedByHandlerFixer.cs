using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using PerfRules.Infrastructure;

namespace PerfRules.Rules;

/// <summary>
/// PERF001 fix "Stream the file": a file read into memory (<c>File.ReadAllBytes[Async]</c>, <c>File.OpenRead</c>,
/// <c>new FileStream</c>) and handed to <c>File(...)</c>, <c>Results.File/Bytes/Stream</c> or
/// <c>TypedResults.File/Bytes/Stream</c> becomes <c>PhysicalFile(path, contentType, enableRangeProcessing: true)</c>,
/// <c>Results.File(path, …)</c> or <c>TypedResults.PhysicalFile(path, …)</c>: the server streams the file from disk,
/// answers conditional and range requests, and sets Last-Modified. The analyzer marks the diagnostics where the
/// rewrite compiles (an absolute path, only content/content-type/download-name arguments, a result type that fits).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StaticFileServedByHandlerFixer)), Shared]
public sealed class StaticFileServedByHandlerFixer : CodeFixProvider
{
    internal const string StreamKey = "PERF001.StreamTheFile";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.StaticFileServedByHandler);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(StaticFileServedByHandlerAnalyzer.StreamProperty, out var kind) || kind is null)
            {
                continue;
            }

            var replacement = kind switch
            {
                "Controller" => "PhysicalFile",
                "Results" => "Results.File",
                _ => "TypedResults.PhysicalFile",
            };
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Stream the file with {replacement} instead of reading it into memory",
                    cancellationToken => StreamAsync(context.Document, diagnostic.Location.SourceSpan, kind, cancellationToken),
                    StreamKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> StreamAsync(Document document, TextSpan span, string kind, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !root.FullSpan.Contains(span))
        {
            return document;
        }

        InvocationExpressionSyntax? call = null;
        for (var node = root.FindNode(span, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (node is InvocationExpressionSyntax candidate && candidate.Span.End == span.End)
            {
                call = candidate;
                break;
            }
        }

        if (call is null || model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation
            || ReadPath(invocation, WellKnownTypes.GetOrCreate(model.Compilation)) is not { } path)
        {
            return document;
        }

        var arguments = new List<ArgumentSyntax> { SyntaxFactory.Argument(path.WithoutTrivia()) };
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter?.Name is "contentType" or "fileDownloadName"
                && argument.Syntax is ArgumentSyntax kept)
            {
                arguments.Add(kept);
            }
        }

        arguments.Add(SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression))
            .WithNameColon(SyntaxFactory.NameColon("enableRangeProcessing")));

        var name = kind switch
        {
            "Controller" => "PhysicalFile",
            "Results" => "File",
            _ => "PhysicalFile",
        };
        ExpressionSyntax expression = call.Expression switch
        {
            MemberAccessExpressionSyntax member => member.WithName(SyntaxFactory.IdentifierName(name).WithTriviaFrom(member.Name)),
            IdentifierNameSyntax identifier => SyntaxFactory.IdentifierName(name).WithTriviaFrom(identifier),
            _ => call.Expression,
        };
        if (expression == call.Expression)
        {
            return document;
        }

        var separators = new List<SyntaxToken>();
        for (var i = 1; i < arguments.Count; i++)
        {
            separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        }

        var argumentList = call.ArgumentList.WithArguments(SyntaxFactory.SeparatedList(arguments, separators));
        var replacement = call.WithExpression(expression).WithArgumentList(argumentList);
        return document.WithSyntaxRoot(root.ReplaceNode(call, replacement));
    }

    /// <summary>The path expression of the read written as the content argument: <c>File.ReadAllBytes(path)</c>, <c>await File.ReadAllBytesAsync(path)</c>, <c>File.OpenRead(path)</c>, <c>new FileStream(path, …)</c>.</summary>
    private static ExpressionSyntax? ReadPath(IInvocationOperation invocation, WellKnownTypes types)
    {
        IArgumentOperation? content = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                content = argument;
            }
        }

        var value = content?.Value;
        while (value is IConversionOperation or IParenthesizedOperation or IAwaitOperation)
        {
            value = value switch
            {
                IConversionOperation conversion => conversion.Operand,
                IParenthesizedOperation parenthesized => parenthesized.Operand,
                IAwaitOperation awaited => awaited.Operation,
                _ => value,
            };
        }

        var readArguments = value switch
        {
            IInvocationOperation read when types.IsType(read.TargetMethod.ContainingType, WellKnownType.System_IO_File) => read.Arguments,
            IObjectCreationOperation creation when types.IsType(creation.Type, WellKnownType.System_IO_FileStream) => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };
        foreach (var argument in readArguments)
        {
            if (argument.Parameter?.Ordinal == 0 && argument.Syntax is ArgumentSyntax { Expression: { } path })
            {
                return path;
            }
        }

        return null;
    }
}
