using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;
using PerfRules.Notions;

namespace PerfRules.Offload;

/// <summary>Which engine runs the moved work.</summary>
internal enum OffloadEngine
{
    /// <summary>The generated <c>IBackgroundWorkQueue</c> served by <c>QueuedWorkService</c>.</summary>
    InProcessQueue,

    /// <summary><c>Hangfire.BackgroundJob.Enqueue</c>.</summary>
    Hangfire,

    /// <summary>A Quartz job (<c>OffloadedWorkJob</c>, generated once) scheduled to start now through <c>ISchedulerFactory</c>.</summary>
    Quartz,
}

/// <summary>How the handler reaches the in-process queue (or Quartz's <c>ISchedulerFactory</c>).</summary>
internal enum QueueAccess
{
    /// <summary><c>HttpContext.RequestServices</c> of a controller or page model, or of an <c>HttpContext</c> parameter.</summary>
    RequestServices,

    /// <summary>A new <c>IBackgroundWorkQueue</c> (or <c>ISchedulerFactory</c>) parameter of an endpoint lambda or local function (minimal APIs bind it from DI).</summary>
    HandlerParameter,
}

/// <summary>One reported statement the offload fix can move, with the verdict of the data-flow check.</summary>
internal sealed class OffloadSite
{
    public OffloadSite(StatementSyntax statement, SyntaxNode workSyntax, IOperation work, bool isLambdaBody, RequestHandler handler, MovedWork analysis)
    {
        Statement = statement;
        WorkSyntax = workSyntax;
        Work = work;
        IsLambdaBody = isLambdaBody;
        Handler = handler;
        Analysis = analysis;
    }

    /// <summary>The handler's statement that is replaced.</summary>
    public StatementSyntax Statement { get; }

    /// <summary>The moved code: a call expression, or the body (block or expression) of the launched lambda.</summary>
    public SyntaxNode WorkSyntax { get; }

    public IOperation Work { get; }

    public bool IsLambdaBody { get; }

    public RequestHandler Handler { get; }

    public MovedWork Analysis { get; }

    /// <summary>The handler's syntax (method, local function or lambda).</summary>
    public SyntaxNode? HandlerSyntax
        => Handler.Body?.Syntax.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);

    /// <summary>
    /// The site of a PERF004 or PERF007 diagnostic: a statement of the handler itself (not of a nested function) that is the
    /// reported call, or <c>_ = call</c>; the moved work is the call, or the body of the lambda it launches. Null otherwise.
    /// </summary>
    public static OffloadSite? Find(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, OffloadSymbols symbols, CancellationToken cancellationToken)
    {
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        while (node is not InvocationExpressionSyntax && node.Parent is { } parent && parent.Span == node.Span)
        {
            node = parent;
        }

        if (node is not InvocationExpressionSyntax invocationSyntax || StatementOf(invocationSyntax) is not { } statement
            || model.GetOperation(invocationSyntax, cancellationToken) is not IInvocationOperation invocation)
        {
            return null;
        }

        var handler = symbols.Handlers.FindEnclosing(invocation, model.GetEnclosingSymbol(invocationSyntax.SpanStart, cancellationToken), includeMiddleware: true, cancellationToken);
        if (handler is not { IsInNestedFunction: false, Body: { } body } found)
        {
            return null;
        }

        var isLambdaBody = false;
        IOperation work = invocation;
        SyntaxNode workSyntax = invocationSyntax;
        if (LaunchedLambda(invocation, symbols) is { } launched)
        {
            if (launched.Lambda is null || launched.Lambda.Syntax is not AnonymousFunctionExpressionSyntax lambdaSyntax || HasSideEffects(launched.OtherArguments))
            {
                return null;
            }

            isLambdaBody = true;
            work = launched.Lambda.Body;
            workSyntax = (SyntaxNode?)lambdaSyntax.Block ?? lambdaSyntax.ExpressionBody!;
            if (workSyntax is null)
            {
                return null;
            }
        }

        var analysis = MovedWorkAnalysis.Analyze(work, workSyntax, found.Method, body, isStatementLevel: !isLambdaBody, symbols, cancellationToken);
        return new OffloadSite(statement, workSyntax, work, isLambdaBody, found, analysis);
    }

    /// <summary>The statement is the call itself, or <c>_ = call;</c>.</summary>
    private static StatementSyntax? StatementOf(InvocationExpressionSyntax invocation) => invocation.Parent switch
    {
        ExpressionStatementSyntax statement => statement,
        AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax statement } assignment
            when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == invocation => statement,
        _ => null,
    };

    private readonly record struct Launched(IAnonymousFunctionOperation? Lambda, System.Collections.Generic.List<IOperation> OtherArguments);

    /// <summary>Task.Run, Task.Factory.StartNew, ThreadPool.QueueUserWorkItem and <c>new Thread(…).Start()</c>: the lambda they run.</summary>
    private static Launched? LaunchedLambda(IInvocationOperation invocation, OffloadSymbols symbols)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        System.Collections.Generic.IEnumerable<IArgumentOperation> arguments;
        if ((symbols.Is(type, symbols.Task) && method.Name == "Run")
            || ((symbols.Is(type, symbols.TaskFactory) || symbols.Is(type, symbols.TaskFactoryOfT)) && method.Name == "StartNew")
            || (symbols.Is(type, symbols.ThreadPool) && method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem"))
        {
            arguments = invocation.Arguments;
        }
        else if (symbols.Is(type, symbols.Thread) && method.Name is "Start" or "UnsafeStart")
        {
            if (invocation.Arguments.Length > 0 || invocation.Instance?.WalkDownConversions() is not IObjectCreationOperation creation)
            {
                return new Launched(null, new());
            }

            arguments = creation.Arguments;
        }
        else
        {
            return null;
        }

        IAnonymousFunctionOperation? lambda = null;
        var others = new System.Collections.Generic.List<IOperation>();
        foreach (var argument in arguments)
        {
            var value = argument.Value.WalkDownConversions();
            if (value is IDelegateCreationOperation creation)
            {
                value = creation.Target.WalkDownConversions();
            }

            if (lambda is null && value is IAnonymousFunctionOperation anonymous)
            {
                lambda = anonymous;
            }
            else if (!argument.IsImplicit)
            {
                others.Add(value);
            }
        }

        return new Launched(lambda, others);
    }

    /// <summary>The other arguments of the launcher (token, options, scheduler) are dropped: only when evaluating them does nothing.</summary>
    private static bool HasSideEffects(System.Collections.Generic.List<IOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            foreach (var operation in argument.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation or IObjectCreationOperation or IAssignmentOperation or IIncrementOrDecrementOperation or IAnonymousFunctionOperation or IAwaitOperation)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
