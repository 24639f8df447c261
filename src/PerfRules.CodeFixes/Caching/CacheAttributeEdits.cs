using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using PerfRules.Caching;
using PerfRules.Infrastructure;
using PerfRules.Notions;

namespace PerfRules.Caching;

/// <summary>
/// The edits behind the PERF002/PERF006 fixes, applied to every diagnostic of one document at once so that FixAll edits a
/// shared (controller-level) attribute once and never adds an argument twice.
/// </summary>
internal static class CacheAttributeEdits
{
    /// <summary>Equivalence key of "Vary the cache by this cookie" (PERF002).</summary>
    public const string VaryByCookieKey = "PERF002.VaryCacheByCookie";

    /// <summary>Equivalence key of "Do not store this response" for PERF002.</summary>
    public const string NoStoreCookieReadKey = "PERF002.DoNotStoreResponse";

    /// <summary>Equivalence key of "Do not store this response" for PERF006.</summary>
    public const string NoStoreCookieWriteKey = "PERF006.DoNotStoreResponse";

    private const string CookieHeader = "Cookie";

    /// <summary>Cheap, syntax-only: can "Vary the cache by this cookie" edit the cache attribute of this diagnostic?</summary>
    public static bool CanVary(SyntaxNode root, Diagnostic diagnostic)
        => FindCacheAttribute(root, diagnostic) is { } found && VaryArgument(found.Attribute, found.Kind) is not null;

    /// <summary>Cheap, syntax-only: can "Do not store this response" be applied for this diagnostic?</summary>
    public static bool CanStopStoring(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!TryGetKinds(diagnostic, out var cacheKind, out var handlerKind))
        {
            return false;
        }

        if (IsOnHandler(diagnostic))
        {
            return FindCacheAttribute(root, diagnostic) is not null;
        }

        // The cache comes from the controller's attribute: the action gets its own attribute that opts out (the nearest attribute
        // wins). Caches from conventions get no fix: whether an attribute overrides them is the middleware's business.
        return handlerKind == RequestHandlerKind.MvcAction
               && cacheKind is SharedCacheKind.OutputCacheAttribute or SharedCacheKind.ResponseCacheAttribute
               && FindMethod(root, diagnostic) is not null;
    }

    /// <summary>"Vary the cache by this cookie": each distinct cache attribute of the diagnostics gets the Cookie header once.</summary>
    public static async Task<Document> VaryAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<AttributeSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindCacheAttribute(root, diagnostic) is { } found && done.Add(found.Attribute)
                && VaryArgument(found.Attribute, found.Kind) is { } argument)
            {
                editor.ReplaceNode(found.Attribute, WithArgument(found.Attribute, argument).WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        return editor.GetChangedDocument();
    }

    /// <summary>
    /// "Do not store this response": <c>NoStore = true</c> on the handler's own cache attribute, or a new
    /// <c>[OutputCache(NoStore = true)]</c>/<c>[ResponseCache(NoStore = true)]</c> on the action when the cache comes from
    /// its controller or a convention. Each attribute and each action is edited once.
    /// </summary>
    public static async Task<Document> StopStoringAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var types = WellKnownTypes.GetOrCreate(model.Compilation);
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var attributes = new HashSet<AttributeSyntax>();
        var methods = new HashSet<(MethodDeclarationSyntax Method, SharedCacheKind Kind)>();
        foreach (var diagnostic in diagnostics)
        {
            if (!TryGetKinds(diagnostic, out var cacheKind, out _))
            {
                continue;
            }

            if (IsOnHandler(diagnostic))
            {
                if (FindCacheAttribute(root, diagnostic) is { } found && attributes.Add(found.Attribute))
                {
                    var noStore = NamedArgument("NoStore", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression));
                    editor.ReplaceNode(found.Attribute, WithArgument(found.Attribute, noStore).WithAdditionalAnnotations(Formatter.Annotation));
                }
            }
            else if (CanStopStoring(root, diagnostic) && FindMethod(root, diagnostic) is { } method)
            {
                methods.Add((method, cacheKind));
            }
        }

        foreach (var pair in methods)
        {
            var generator = editor.Generator;
            var typeName = pair.Kind == SharedCacheKind.ResponseCacheAttribute
                ? WellKnownType.Microsoft_AspNetCore_Mvc_ResponseCacheAttribute
                : WellKnownType.Microsoft_AspNetCore_OutputCaching_OutputCacheAttribute;
            if (types.Get(typeName) is not { } attributeType)
            {
                continue;
            }

            var attribute = generator.Attribute(
                    generator.TypeExpression(attributeType),
                    new[] { generator.AttributeArgument("NoStore", generator.TrueLiteralExpression()) })
                .WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation, Formatter.Annotation);
            editor.AddAttribute(pair.Method, attribute);
        }

        var changed = editor.GetChangedDocument();
        changed = await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool TryGetKinds(Diagnostic diagnostic, out SharedCacheKind cacheKind, out RequestHandlerKind handlerKind)
    {
        handlerKind = RequestHandlerKind.None;
        cacheKind = default;
        return diagnostic.Properties.TryGetValue(CachedHandlerAnalysis.CacheKindProperty, out var cache) && Enum.TryParse(cache, out cacheKind)
               && diagnostic.Properties.TryGetValue(CachedHandlerAnalysis.HandlerKindProperty, out var handler) && Enum.TryParse(handler, out handlerKind)
               && handlerKind is RequestHandlerKind.MvcAction or RequestHandlerKind.PageHandler;
    }

    private static bool IsOnHandler(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(CachedHandlerAnalysis.OnHandlerProperty, out var onHandler) && onHandler == "true";

    private static (AttributeSyntax Attribute, SharedCacheKind Kind)? FindCacheAttribute(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!TryGetKinds(diagnostic, out var kind, out _)
            || kind is not (SharedCacheKind.OutputCacheAttribute or SharedCacheKind.ResponseCacheAttribute)
            || diagnostic.AdditionalLocations.Count == 0 || diagnostic.AdditionalLocations[0].SourceTree != root.SyntaxTree
            || !root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan))
        {
            return null;
        }

        return root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>() is { } attribute
            ? (attribute, kind)
            : null;
    }

    private static MethodDeclarationSyntax? FindMethod(SyntaxNode root, Diagnostic diagnostic)
        => diagnostic.Location.SourceTree == root.SyntaxTree && root.FullSpan.Contains(diagnostic.Location.SourceSpan)
            ? root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<MethodDeclarationSyntax>()
            : null;

    /// <summary>The argument that makes the attribute vary by the Cookie header; null when the existing value cannot be extended.</summary>
    private static AttributeArgumentSyntax? VaryArgument(AttributeSyntax attribute, SharedCacheKind kind)
    {
        var name = kind == SharedCacheKind.OutputCacheAttribute ? "VaryByHeaderNames" : "VaryByHeader";
        var existing = FindNamed(attribute, name)?.Expression;
        if (kind == SharedCacheKind.OutputCacheAttribute)
        {
            var cookie = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(CookieHeader));
            switch (existing)
            {
                case null:
                    return NamedArgument(name, SyntaxFactory.ImplicitArrayCreationExpression(
                        SyntaxFactory.InitializerExpression(SyntaxKind.ArrayInitializerExpression, SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(cookie))));
                case ImplicitArrayCreationExpressionSyntax implicitArray:
                    return NamedArgument(name, implicitArray.WithInitializer(implicitArray.Initializer.AddExpressions(cookie)));
                case ArrayCreationExpressionSyntax { Initializer: { } initializer } array:
                    return NamedArgument(name, array.WithInitializer(initializer.AddExpressions(cookie)));
                default:
                    return null;
            }
        }

        switch (existing)
        {
            case null:
                return NamedArgument(name, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(CookieHeader)));
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                var text = literal.Token.ValueText;
                var value = text.Trim().Length == 0 ? CookieHeader : text + ", " + CookieHeader;
                return NamedArgument(name, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value)));
            default:
                return null;
        }
    }

    private static AttributeArgumentSyntax? FindNamed(AttributeSyntax attribute, string name)
        => attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    private static AttributeArgumentSyntax NamedArgument(string name, ExpressionSyntax value)
        => SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName(name)), null, value);

    /// <summary>The attribute with <paramref name="argument"/> replacing the argument of the same name, or appended.</summary>
    private static AttributeSyntax WithArgument(AttributeSyntax attribute, AttributeArgumentSyntax argument)
    {
        var name = argument.NameEquals!.Name.Identifier.ValueText;
        if (FindNamed(attribute, name) is { } existing)
        {
            return attribute.ReplaceNode(existing, argument.WithTriviaFrom(existing));
        }

        var list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        return attribute.WithArgumentList(list.AddArguments(argument));
    }
}
