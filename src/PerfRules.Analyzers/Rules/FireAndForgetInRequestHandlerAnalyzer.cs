using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;
using PerfRules.Notions;

namespace PerfRules.Rules;

/// <summary>
/// PERF007: work started in a request handler and not awaited: <c>Task.Run</c>/<c>Task.Factory.StartNew</c> whose task
/// is discarded, <c>ThreadPool.QueueUserWorkItem</c>, <c>Thread.Start</c>, and any task-returning call whose task is
/// discarded (<c>SendAsync();</c>, <c>_ = SendAsync();</c>). Sites in lambdas and local functions nested in the handler
/// count, except inside a work item that is itself reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FireAndForgetInRequestHandlerAnalyzer : DiagnosticAnalyzer
{
    private const string Consequences = "it is lost when the app shuts down, escapes the request's scope and may use the HttpContext or a scoped DbContext after they are disposed";

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.FireAndForgetInRequestHandler,
        "Fire-and-forget work started in a request handler",
        messageFormat: "'{0}' starts work that nobody awaits in {1}: {2}; {3}",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Work started from a request handler and not awaited runs outside the request: nothing observes its failures, the host does not wait for it on shutdown, and it may touch the HttpContext or request-scoped services (DbContext) after the request ended and they were disposed. Await it, or hand it to a real background worker (a queue served by a hosted service, Hangfire, Quartz).",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.FireAndForgetInRequestHandler));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
        {
            var symbols = LauncherSymbols.Create(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            start.RegisterOperationAction(symbols.AnalyzeInvocation, OperationKind.Invocation);
        });
    }

    private sealed class LauncherSymbols
    {
        private LauncherSymbols(WellKnownTypes types, RequestHandlers handlers, INamedTypeSymbol task)
        {
            Handlers = handlers;
            Task = task;
            TaskOfT = WellKnownTypes.Resolve(types.Compilation, "System.Threading.Tasks.Task`1");
            ValueTask = types.Get(WellKnownType.System_Threading_Tasks_ValueTask);
            ValueTaskOfT = WellKnownTypes.Resolve(types.Compilation, "System.Threading.Tasks.ValueTask`1");
            TaskFactory = types.Get(WellKnownType.System_Threading_Tasks_TaskFactory);
            TaskFactoryOfT = WellKnownTypes.Resolve(types.Compilation, "System.Threading.Tasks.TaskFactory`1");
            ThreadPool = types.Get(WellKnownType.System_Threading_ThreadPool);
            Thread = types.Get(WellKnownType.System_Threading_Thread);
        }

        private RequestHandlers Handlers { get; }

        private INamedTypeSymbol Task { get; }

        private INamedTypeSymbol? TaskOfT { get; }

        private INamedTypeSymbol? ValueTask { get; }

        private INamedTypeSymbol? ValueTaskOfT { get; }

        private INamedTypeSymbol? TaskFactory { get; }

        private INamedTypeSymbol? TaskFactoryOfT { get; }

        private INamedTypeSymbol? ThreadPool { get; }

        private INamedTypeSymbol? Thread { get; }

        public static LauncherSymbols? Create(Compilation compilation)
        {
            var types = WellKnownTypes.GetOrCreate(compilation);
            var handlers = RequestHandlers.Create(types);
            var task = types.Get(WellKnownType.System_Threading_Tasks_Task);
            return handlers is null || task is null ? null : new LauncherSymbols(types, handlers, task);
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (Describe(invocation) is not { } what)
            {
                return;
            }

            var handler = Handlers.FindEnclosing(invocation, context.ContainingSymbol, includeMiddleware: true, context.CancellationToken);
            if (handler is not { } enclosing || (enclosing.IsInNestedFunction && IsInsideReportedWorkItem(invocation, enclosing)))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), what.Name, SynchronousWorkInRequestHandlerAnalyzer.Describe(enclosing), Consequences, what.Advice));
        }

        // Asked of every call of the project: the name and the call's place (most calls' values are used) before any type.
        private (string Name, string Advice)? Describe(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            const string Queue = "queue it to a background worker (a hosted service reading a Channel, Hangfire, Quartz)";
            if (IsLauncher(method))
            {
                // An awaited or stored Task.Run is not fire-and-forget (an awaited one is only pointless in ASP.NET Core).
                var type = method.ContainingType.OriginalDefinition;
                return SymbolEqualityComparer.Default.Equals(type, ThreadPool) || IsDiscarded(invocation)
                    ? (type.Name + "." + method.Name, Queue)
                    : null;
            }

            if (method.Name is "Start" or "UnsafeStart" && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, Thread))
            {
                return ("Thread." + method.Name, Queue);
            }

            if (IsDiscarded(invocation) && IsTaskLike(method.ReturnType))
            {
                return (method.ContainingType!.Name + "." + method.Name, "await it, or " + Queue);
            }

            return null;
        }

        private bool IsLauncher(IMethodSymbol method)
        {
            if (method.Name is not ("Run" or "StartNew" or "QueueUserWorkItem" or "UnsafeQueueUserWorkItem") || method.ContainingType is not { } containing)
            {
                return false;
            }

            var type = containing.OriginalDefinition;
            return method.Name switch
            {
                "Run" => SymbolEqualityComparer.Default.Equals(type, Task),
                "StartNew" => SymbolEqualityComparer.Default.Equals(type, TaskFactory) || SymbolEqualityComparer.Default.Equals(type, TaskFactoryOfT),
                _ => SymbolEqualityComparer.Default.Equals(type, ThreadPool),
            };
        }

        private bool IsTaskLike(ITypeSymbol? type)
        {
            // Asked of every discarded call (most return void or a model): the name before four symbol comparisons.
            if (type?.Name is not ("Task" or "ValueTask"))
            {
                return false;
            }

            var definition = type.OriginalDefinition;
            return SymbolEqualityComparer.Default.Equals(definition, Task) || SymbolEqualityComparer.Default.Equals(definition, TaskOfT)
                || SymbolEqualityComparer.Default.Equals(definition, ValueTask) || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT);
        }

        /// <summary>The call's value is thrown away: a bare statement, or assigned to the discard <c>_</c>.</summary>
        private static bool IsDiscarded(IInvocationOperation invocation)
        {
            var parent = invocation.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            return parent is IExpressionStatementOperation
                || (parent is ISimpleAssignmentOperation { Target: IDiscardOperation } assignment && assignment.Parent is IExpressionStatementOperation);
        }

        /// <summary>The call sits in a lambda that is itself the work item of a reported launcher (reported once, at the launcher).</summary>
        private bool IsInsideReportedWorkItem(IOperation operation, RequestHandler handler)
        {
            for (var current = operation.Parent; current is not null && current != handler.Body; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation)
                {
                    var argument = current.Parent;
                    while (argument is IConversionOperation or IDelegateCreationOperation)
                    {
                        argument = argument.Parent;
                    }

                    if (argument is IArgumentOperation { Parent: IInvocationOperation launcher } && IsLauncher(launcher.TargetMethod)
                        || argument is IArgumentOperation { Parent: IObjectCreationOperation creation } && SymbolEqualityComparer.Default.Equals(creation.Type, Thread))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
