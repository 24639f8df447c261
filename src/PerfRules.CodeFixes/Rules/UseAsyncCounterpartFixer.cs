using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using PerfRules.Infrastructure;

namespace PerfRules.Rules;

/// <summary>
/// PERF004 fix "Use async": awaits the async counterpart (or the task, or <c>Task.Delay</c>/<c>Task.WhenAll</c>), makes
/// the handler async (<c>T</c> → <c>Task&lt;T&gt;</c>, <c>void</c> → <c>Task</c>, lambdas get <c>async</c>, a
/// non-async <c>Task</c>-returning body gets its <c>return</c>s awaited) and passes the request's cancellation token
/// (a <c>CancellationToken</c> parameter, <c>HttpContext.RequestAborted</c>, or a new <c>cancellationToken</c>
/// parameter on actions and endpoint lambdas). All sites of one handler are rewritten together, so Fix All compiles.
/// Not offered when the handler cannot become async: ref/out parameters, iterators, partial methods, overrides and
/// interface implementations whose return type would change, or a site inside a <c>lock</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAsyncCounterpartFixer)), Shared]
public sealed class UseAsyncCounterpartFixer : CodeFixProvider
{
    internal const string UseAsyncKey = "PERF004.UseAsync";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.SynchronousWorkInRequestHandler);

    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        SemanticModel? model = null;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (FindSite(root, diagnostic) is not { } site)
            {
                continue;
            }

            // The handler must be able to become async (an override or interface implementation can't change its
            // return type): one symbol question, so that no fix is shown that would not compile.
            model ??= await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (model is null || PlanHandler(site.Handler, model, context.CancellationToken) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Use async", ct => FixDocumentAsync(context.Document, ImmutableArray.Create(diagnostic), ct), UseAsyncKey),
                diagnostic);
        }
    }

    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        public static readonly FixAll Instance = new();

        protected override string GetFixAllTitle(FixAllContext fixAllContext) => "Use async";

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
            => await FixDocumentAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false);
    }

    private readonly record struct Site(SyntaxNode Node, SyntaxNode Handler, string Fix, string? Name, bool Token);

    /// <summary>The rewritable site of a diagnostic and its handler; null when the fix can't apply (syntax-only check).</summary>
    private static Site? FindSite(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(SynchronousWorkInRequestHandlerAnalyzer.FixProperty, out var fix) || fix is null)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        while (node is not (InvocationExpressionSyntax or MemberAccessExpressionSyntax) && node.Parent is { } parent && parent.Span == node.Span)
        {
            node = parent;
        }

        var handler = node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
        if (handler is null || handler is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax or ParenthesizedLambdaExpressionSyntax or SimpleLambdaExpressionSyntax)
            || node.Ancestors().TakeWhile(a => a != handler).Any(a => a is LockStatementSyntax or QueryExpressionSyntax)
            || handler.DescendantNodes().OfType<YieldStatementSyntax>().Any()
            || ParametersOf(handler)?.Parameters.Any(p => p.Modifiers.Any(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword))) == true
            || (handler is MethodDeclarationSyntax method && method.Modifiers.Any(SyntaxKind.PartialKeyword))
            // A lambda with an explicit return type (C# 10) would need that type rewritten to a task type too: not offered.
            || handler is ParenthesizedLambdaExpressionSyntax { ReturnType: not null })
        {
            return null;
        }

        diagnostic.Properties.TryGetValue(SynchronousWorkInRequestHandlerAnalyzer.NameProperty, out var name);
        diagnostic.Properties.TryGetValue(SynchronousWorkInRequestHandlerAnalyzer.TokenProperty, out var token);
        var valid = fix switch
        {
            SynchronousWorkInRequestHandlerAnalyzer.FixCounterpart => node is InvocationExpressionSyntax && name is { Length: > 0 },
            SynchronousWorkInRequestHandlerAnalyzer.FixDelay or SynchronousWorkInRequestHandlerAnalyzer.FixWhenAll => node is InvocationExpressionSyntax,
            SynchronousWorkInRequestHandlerAnalyzer.FixAwaitTask => TaskOf(node) is not null,
            _ => false,
        };
        return valid ? new Site(node, handler, fix, name, token == "true") : null;
    }

    private static async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var sites = new List<Site>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindSite(root, diagnostic) is { } site)
            {
                sites.Add(site);
            }
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var group in sites.GroupBy(s => s.Handler))
        {
            var plan = PlanHandler(group.Key, model, cancellationToken);
            if (plan is null)
            {
                continue;
            }

            foreach (var site in group)
            {
                var current = site;
                editor.ReplaceNode(site.Node, (node, _) => Rewrite(node, current, plan.Value.Token));
            }

            editor.ReplaceNode(group.Key, (node, _) => MakeAsync(node, plan.Value));
        }

        return editor.GetChangedDocument();
    }

    /// <summary>How a handler becomes async: the token to pass, and whether its returns must be awaited or its type wrapped.</summary>
    internal readonly record struct HandlerPlan(ExpressionSyntax? Token, bool AddTokenParameter, bool IsAsync, bool ReturnsTask, bool ReturnsGenericTask, bool WrapReturnType);

    internal static HandlerPlan? PlanHandler(SyntaxNode handler, SemanticModel model, CancellationToken cancellationToken)
    {
        var symbol = handler is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(handler, cancellationToken).Symbol as IMethodSymbol
            : model.GetDeclaredSymbol(handler, cancellationToken) as IMethodSymbol;
        if (symbol is null)
        {
            return null;
        }

        var types = WellKnownTypes.GetOrCreate(model.Compilation);
        var task = types.Get(WellKnownType.System_Threading_Tasks_Task);
        var valueTask = types.Get(WellKnownType.System_Threading_Tasks_ValueTask);
        var taskOfT = WellKnownTypes.Resolve(model.Compilation, "System.Threading.Tasks.Task`1");
        var valueTaskOfT = WellKnownTypes.Resolve(model.Compilation, "System.Threading.Tasks.ValueTask`1");
        var cancellationTokenType = types.Get(WellKnownType.System_Threading_CancellationToken);
        var httpContext = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpContext);
        if (task is null)
        {
            return null;
        }

        var returnType = symbol.ReturnType.OriginalDefinition;
        var returnsTask = SymbolEqualityComparer.Default.Equals(returnType, task) || SymbolEqualityComparer.Default.Equals(returnType, valueTask);
        var returnsGenericTask = SymbolEqualityComparer.Default.Equals(returnType, taskOfT) || SymbolEqualityComparer.Default.Equals(returnType, valueTaskOfT);
        var wrap = handler is MethodDeclarationSyntax or LocalFunctionStatementSyntax && !symbol.IsAsync && !returnsTask && !returnsGenericTask;
        if (wrap && (symbol.IsOverride || symbol.ExplicitInterfaceImplementations.Length > 0 || ImplementsInterfaceMember(symbol) || symbol.ReturnsByRef))
        {
            return null;
        }

        ExpressionSyntax? token = null;
        var addParameter = false;
        foreach (var parameter in symbol.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, cancellationTokenType))
            {
                token = SyntaxFactory.IdentifierName(parameter.Name);
                break;
            }

            if (token is null && httpContext is not null && SymbolEqualityComparer.Default.Equals(parameter.Type, httpContext))
            {
                token = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(parameter.Name), SyntaxFactory.IdentifierName("RequestAborted"));
            }
        }

        if (token is null && handler is MethodDeclarationSyntax && !symbol.IsStatic
            && symbol.ContainingType.IsOrInherits(types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ControllerBase))
            || symbol.ContainingType.IsOrInherits(types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_RazorPages_PageModel)) && token is null && !symbol.IsStatic)
        {
            token = SyntaxFactory.ParseExpression("HttpContext.RequestAborted");
        }

        if (token is null && cancellationTokenType is not null && CanAddTokenParameter(handler, symbol, model))
        {
            token = SyntaxFactory.IdentifierName("cancellationToken");
            addParameter = true;
        }

        return new HandlerPlan(token, addParameter, symbol.IsAsync, returnsTask, returnsGenericTask, wrap);
    }

    private static bool ImplementsInterfaceMember(IMethodSymbol method)
    {
        foreach (var implemented in method.ContainingType?.AllInterfaces ?? ImmutableArray<INamedTypeSymbol>.Empty)
        {
            foreach (var member in implemented.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType!.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A <c>CancellationToken cancellationToken</c> parameter is added to MVC-style actions (public instance methods) and to
    /// endpoint lambdas and local functions with a parenthesized parameter list, when nothing named so is in scope and no
    /// optional or params parameter would have to precede it. Methods passed as method groups keep their signature.
    /// </summary>
    private static bool CanAddTokenParameter(SyntaxNode handler, IMethodSymbol symbol, SemanticModel model)
    {
        var list = ParametersOf(handler);
        if (list is null || symbol.Parameters.Any(p => p.IsOptional || p.IsParams || p.Name == "cancellationToken")
            || (handler is ParenthesizedLambdaExpressionSyntax && list.Parameters.Any(p => p.Type is null)))
        {
            return false;
        }

        if (handler is MethodDeclarationSyntax && (symbol.IsStatic || symbol.DeclaredAccessibility != Accessibility.Public))
        {
            return false;
        }

        var body = handler switch
        {
            BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            AnonymousFunctionExpressionSyntax lambda => lambda.Body,
            _ => null,
        };
        return body is not null && model.LookupSymbols(body.SpanStart, name: "cancellationToken").IsEmpty;
    }

    private static ParameterListSyntax? ParametersOf(SyntaxNode handler) => handler switch
    {
        BaseMethodDeclarationSyntax method => method.ParameterList,
        LocalFunctionStatementSyntax local => local.ParameterList,
        ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList,
        _ => null,
    };

    private static ExpressionSyntax? TaskOf(SyntaxNode node) => node switch
    {
        // task.Result
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } access => access.Expression,

        // task.GetAwaiter().GetResult()
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetResult", Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter } } } => getAwaiter.Expression,

        // task.Wait()
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } wait, ArgumentList.Arguments.Count: 0 } => wait.Expression,
        _ => null,
    };

    private static SyntaxNode Rewrite(SyntaxNode node, Site site, ExpressionSyntax? token)
    {
        ExpressionSyntax awaited;
        switch (site.Fix)
        {
            case SynchronousWorkInRequestHandlerAnalyzer.FixAwaitTask when TaskOf(node) is { } task:
                awaited = task.WithoutTrivia();
                break;
            case SynchronousWorkInRequestHandlerAnalyzer.FixDelay when node is InvocationExpressionSyntax sleep:
                var delayArguments = sleep.ArgumentList;
                if (token is not null)
                {
                    delayArguments = delayArguments.AddArguments(SyntaxFactory.Argument(token));
                }

                awaited = SyntaxFactory.InvocationExpression(TaskMember("Delay"), delayArguments.WithoutTrivia());
                break;
            case SynchronousWorkInRequestHandlerAnalyzer.FixWhenAll when node is InvocationExpressionSyntax waitAll:
                awaited = SyntaxFactory.InvocationExpression(TaskMember("WhenAll"), waitAll.ArgumentList.WithoutTrivia());
                break;
            case SynchronousWorkInRequestHandlerAnalyzer.FixCounterpart when node is InvocationExpressionSyntax call && site.Name is { } name:
                var arguments = call.ArgumentList;
                if (site.Token && token is not null)
                {
                    var argument = arguments.Arguments.Any(a => a.NameColon is not null)
                        ? SyntaxFactory.Argument(SyntaxFactory.NameColon("cancellationToken"), default, token)
                        : SyntaxFactory.Argument(token);
                    arguments = arguments.AddArguments(argument);
                }

                awaited = call.WithExpression(Rename(call.Expression, name)).WithArgumentList(arguments).WithoutTrivia();
                break;
            default:
                return node;
        }

        return SyntaxFactory.ParenthesizedExpression(SyntaxFactory.AwaitExpression(awaited))
            .WithTriviaFrom(node)
            .WithAdditionalAnnotations(Simplifier.Annotation);
    }

    private static ExpressionSyntax TaskMember(string name)
        => SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            SyntaxFactory.ParseTypeName("global::System.Threading.Tasks.Task").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation),
            SyntaxFactory.IdentifierName(name));

    private static ExpressionSyntax Rename(ExpressionSyntax expression, string name)
    {
        SimpleNameSyntax Renamed(SimpleNameSyntax simple) => simple.WithIdentifier(SyntaxFactory.Identifier(simple.Identifier.LeadingTrivia, name, simple.Identifier.TrailingTrivia));
        return expression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(Renamed(access.Name)),
            MemberBindingExpressionSyntax binding => binding.WithName(Renamed(binding.Name)),
            SimpleNameSyntax simple => Renamed(simple),
            _ => expression,
        };
    }

    internal static SyntaxNode MakeAsync(SyntaxNode handler, HandlerPlan plan)
    {
        if (!plan.IsAsync && (plan.ReturnsTask || plan.ReturnsGenericTask))
        {
            handler = AwaitReturns(handler, plan.ReturnsGenericTask);
        }

        var asyncToken = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        var tokenParameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier("cancellationToken"))
            .WithType(SyntaxFactory.ParseTypeName("global::System.Threading.CancellationToken").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation).WithTrailingTrivia(SyntaxFactory.Space));
        switch (handler)
        {
            case MethodDeclarationSyntax method:
                if (plan.WrapReturnType)
                {
                    method = method.WithReturnType(WrapInTask(method.ReturnType));
                }

                if (!plan.IsAsync)
                {
                    method = method.Modifiers.Count == 0
                        ? method.WithReturnType(method.ReturnType.WithoutLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(asyncToken.WithLeadingTrivia(method.ReturnType.GetLeadingTrivia())))
                        : method.WithModifiers(method.Modifiers.Add(asyncToken));
                }

                return plan.AddTokenParameter ? method.AddParameterListParameters(tokenParameter) : method;
            case LocalFunctionStatementSyntax local:
                if (plan.WrapReturnType)
                {
                    local = local.WithReturnType(WrapInTask(local.ReturnType));
                }

                if (!plan.IsAsync)
                {
                    local = local.Modifiers.Count == 0
                        ? local.WithReturnType(local.ReturnType.WithoutLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(asyncToken.WithLeadingTrivia(local.ReturnType.GetLeadingTrivia())))
                        : local.WithModifiers(local.Modifiers.Add(asyncToken));
                }

                return plan.AddTokenParameter ? local.AddParameterListParameters(tokenParameter) : local;
            case ParenthesizedLambdaExpressionSyntax lambda:
                if (plan.AddTokenParameter)
                {
                    lambda = lambda.AddParameterListParameters(tokenParameter);
                }

                return plan.IsAsync ? lambda : AddAsync(lambda, asyncToken);
            case SimpleLambdaExpressionSyntax simple:
                return plan.IsAsync ? simple : AddAsync(simple, asyncToken);
            default:
                return handler;
        }
    }

    private static SyntaxNode AddAsync(AnonymousFunctionExpressionSyntax lambda, SyntaxToken asyncToken)
    {
        var leading = lambda.GetLeadingTrivia();
        var bare = lambda.WithoutLeadingTrivia();
        var modifiers = bare.Modifiers.Insert(0, asyncToken.WithLeadingTrivia(leading));
        return bare switch
        {
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.WithModifiers(modifiers),
            SimpleLambdaExpressionSyntax simple => simple.WithModifiers(modifiers),
            _ => lambda,
        };
    }

    private static TypeSyntax WrapInTask(TypeSyntax returnType)
    {
        var text = returnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
            ? "global::System.Threading.Tasks.Task"
            : "global::System.Threading.Tasks.Task<" + returnType.WithoutTrivia().ToString() + ">";
        return SyntaxFactory.ParseTypeName(text)
            .WithTriviaFrom(returnType)
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
    }

    /// <summary>A non-async handler that returns a task becomes async: its own returns (not nested functions') are awaited.</summary>
    private static SyntaxNode AwaitReturns(SyntaxNode handler, bool generic)
    {
        var expressionBody = handler switch
        {
            MethodDeclarationSyntax method => method.ExpressionBody?.Expression,
            LocalFunctionStatementSyntax local => local.ExpressionBody?.Expression,
            AnonymousFunctionExpressionSyntax lambda => lambda.ExpressionBody,
            _ => null,
        };
        if (expressionBody is not null)
        {
            return handler.ReplaceNode(expressionBody, Awaited(expressionBody));
        }

        var marker = new SyntaxAnnotation();
        var returns = handler.DescendantNodes(n => n == handler || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>()
            .Where(r => r.Expression is not null)
            .ToList();
        handler = handler.ReplaceNodes(returns, (_, current) => generic
            ? current.WithExpression(Awaited(current.Expression!))
            : current.WithAdditionalAnnotations(marker));

        // return task;  →  await task; return;  (inside a block), or { await task; return; } elsewhere
        while (handler.GetAnnotatedNodes(marker).OfType<ReturnStatementSyntax>().FirstOrDefault() is { Expression: { } value } target)
        {
            var awaitStatement = SyntaxFactory.ExpressionStatement(Awaited(value)).WithLeadingTrivia(target.GetLeadingTrivia());
            var bareReturn = SyntaxFactory.ReturnStatement().WithTrailingTrivia(target.GetTrailingTrivia());
            handler = target.Parent is BlockSyntax
                ? handler.ReplaceNode(target, new SyntaxNode[] { awaitStatement.WithTrailingTrivia(target.GetTrailingTrivia()), bareReturn.WithLeadingTrivia(target.GetLeadingTrivia()) })
                : handler.ReplaceNode(target, SyntaxFactory.Block(awaitStatement, bareReturn).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation));
        }

        return handler;
    }

    private static ExpressionSyntax Awaited(ExpressionSyntax value)
        => SyntaxFactory.AwaitExpression(value.WithoutLeadingTrivia()).WithLeadingTrivia(value.GetLeadingTrivia()).WithAdditionalAnnotations(Simplifier.Annotation);
}
