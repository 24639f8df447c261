using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;

namespace PerfRules.Rules;

/// <summary>
/// PERF008: <c>UseStaticFiles()</c> registered on a pipeline builder after middleware that costs something on
/// every request (authentication, authorization, session, response compression, routing, custom middleware).
/// "After" is the textual order of the calls on the same builder variable within one method body; middleware
/// registered by a helper method of the same project that the body calls first counts too.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StaticFilesOrderAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Simple name of the call the fix moves <c>UseStaticFiles</c> before (the fix's title).</summary>
    internal const string BeforeProperty = "Before";

    private const string Title = "Static-file middleware runs after expensive middleware";
    private const string Description = "Middleware runs in registration order. Static-file requests that reach UseStaticFiles only after authentication, authorization, session, response compression, routing or custom middleware pay for that middleware although the static-file middleware answers them on its own. Register UseStaticFiles before it (or map static assets with MapStaticAssets).";

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.StaticFilesAfterExpensiveMiddleware,
        Title,
        messageFormat: "'UseStaticFiles()' runs after '{0}': every static file request pays for {1}; register static files before it",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.StaticFilesAfterExpensiveMiddleware));

    /// <summary>The same rule when the expensive middleware is registered by a helper method (found once the whole project is seen).</summary>
    internal static readonly DiagnosticDescriptor HelperRule = new(
        RuleIdentifiers.StaticFilesAfterExpensiveMiddleware,
        Title,
        messageFormat: "'UseStaticFiles()' runs after '{0}', registered by '{1}': every static file request pays for {2}; register static files before '{1}'",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.StaticFilesAfterExpensiveMiddleware),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    private const int MaxHelperDepth = 8;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, HelperRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
        {
            var symbols = PipelineSymbols.Create(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            var state = new CompilationState(symbols);
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterCompilationEndAction(state.ReportThroughHelpers);
        });
    }

    /// <summary>The symbols PERF008 needs, resolved once per compilation.</summary>
    private sealed class PipelineSymbols
    {
        public IAssemblySymbol Assembly { get; init; } = null!;

        public INamedTypeSymbol ApplicationBuilder { get; init; } = null!;

        public INamedTypeSymbol StaticFiles { get; init; } = null!;

        public INamedTypeSymbol? WebApplication { get; init; }

        public INamedTypeSymbol? Authentication { get; init; }

        public INamedTypeSymbol? Authorization { get; init; }

        public INamedTypeSymbol? Session { get; init; }

        public INamedTypeSymbol? ResponseCompression { get; init; }

        public INamedTypeSymbol? Routing { get; init; }

        public INamedTypeSymbol? UseMiddleware { get; init; }

        public INamedTypeSymbol? UseExtensions { get; init; }

        public static PipelineSymbols? Create(Compilation compilation)
        {
            var types = WellKnownTypes.GetOrCreate(compilation);
            var builder = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_IApplicationBuilder);
            var staticFiles = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_StaticFileExtensions);
            if (builder is null || staticFiles is null)
            {
                return null;
            }

            return new PipelineSymbols
            {
                Assembly = compilation.Assembly,
                ApplicationBuilder = builder,
                StaticFiles = staticFiles,
                WebApplication = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_WebApplication),
                Authentication = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_AuthAppBuilderExtensions),
                Authorization = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_AuthorizationAppBuilderExtensions),
                Session = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_SessionMiddlewareExtensions),
                ResponseCompression = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_ResponseCompressionBuilderExtensions),
                Routing = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_EndpointRoutingApplicationBuilderExtensions),
                UseMiddleware = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_UseMiddlewareExtensions),
                UseExtensions = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_UseExtensions),
            };
        }

        // A core-library type (int, string…: asked of every parameter of the project's own methods) is never a builder,
        // and listing its interfaces is what costs.
        public bool IsBuilderType(ITypeSymbol? type) => type is { SpecialType: SpecialType.None } && type.IsOrInherits(ApplicationBuilder);

        public bool Is(IMethodSymbol method, INamedTypeSymbol? type, string name)
            => type is not null && method.Name == name && SymbolEqualityComparer.Default.Equals(method.ContainingType, type);
    }

    private enum EventKind
    {
        StaticFiles,
        Expensive,
        Helper,
    }

    /// <summary>One call on a pipeline builder, in the order the calls run.</summary>
    private sealed class PipelineEvent
    {
        public EventKind Kind { get; init; }

        public ISymbol Builder { get; init; } = null!;

        public IInvocationOperation Invocation { get; init; } = null!;

        /// <summary>Expensive: how the call is shown ("UseAuthentication()"); Helper: the helper's name.</summary>
        public string Display { get; init; } = string.Empty;

        /// <summary>Expensive: what each static request pays ("authentication").</summary>
        public string Cost { get; init; } = string.Empty;

        /// <summary>Helper: the called source method and the ordinal of its parameter that receives the builder.</summary>
        public IMethodSymbol? Helper { get; init; }

        public int HelperOrdinal { get; init; }
    }

    private readonly record struct HelperCall(IMethodSymbol Method, int Ordinal, Location Location, string Name);

    private readonly record struct Pending(Location StaticFiles, ImmutableArray<HelperCall> PrecedingHelpers);

    private readonly record struct Expense(string Display, string Cost);

    private sealed class CompilationState(PipelineSymbols symbols)
    {
        // helper method -> (builder parameter ordinal -> its pipeline events in order)
        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableDictionary<int, ImmutableArray<PipelineEvent>>> _summaries = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentQueue<Pending> _pending = new();

        // Each body, lambda body or local function that makes a pipeline call is read once, when the first of its calls is
        // met; what it finds is kept for its UseStaticFiles calls, each reported from its own callback (a fixable finding
        // is reported where the analysis of its own operation runs).
        private readonly ConcurrentDictionary<SyntaxNode, Lazy<Dictionary<SyntaxNode, Diagnostic>>> _scopes = new();

        // Every call of the project comes here (the driver lists each body's operations once for all analyzers); only a
        // call this rule keeps (a pipeline call on a builder, or a helper handed a builder) makes it read the calls of the
        // scope the call is in, in order. Most bodies make no such call and are never walked.
        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            List<PipelineEvent>? probe = null;
            Classify(invocation, ref probe);
            if (probe is null)
            {
                return;
            }

            var (scope, owner) = ScopeOf(invocation, context.ContainingSymbol);
            var findings = _scopes.GetOrAdd(scope.Syntax, _ => new Lazy<Dictionary<SyntaxNode, Diagnostic>>(() => ReadScope(scope, owner))).Value;
            if (probe[0].Kind == EventKind.StaticFiles && findings.TryGetValue(invocation.Syntax, out var diagnostic))
            {
                context.ReportDiagnostic(diagnostic);
            }
        }

        private Dictionary<SyntaxNode, Diagnostic> ReadScope(IOperation scope, IMethodSymbol? owner)
        {
            var findings = new Dictionary<SyntaxNode, Diagnostic>();
            List<PipelineEvent>? events = null;
            Collect(scope, ref events);
            if (events is not null)
            {
                AnalyzeScope(owner, events, findings);
            }

            return findings;
        }

        // The function whose body holds the call: the innermost lambda (no owner: nothing calls it by name), local function,
        // or the member's own body.
        private static (IOperation Scope, IMethodSymbol? Owner) ScopeOf(IOperation operation, ISymbol containingSymbol)
        {
            var child = operation;
            for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
            {
                switch (current)
                {
                    case IAnonymousFunctionOperation lambda:
                        return (lambda.Body, null);
                    case ILocalFunctionOperation localFunction:
                        return (localFunction, localFunction.Symbol);
                }
            }

            return (child, containingSymbol as IMethodSymbol);
        }

        public void ReportThroughHelpers(CompilationAnalysisContext context)
        {
            foreach (var pending in _pending)
            {
                foreach (var call in pending.PrecedingHelpers)
                {
                    var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
                    if (Resolve(call.Method, call.Ordinal, visited, 0) is { } expense)
                    {
                        var properties = ImmutableDictionary<string, string?>.Empty.Add(BeforeProperty, call.Name);
                        context.ReportDiagnostic(Diagnostic.Create(HelperRule, pending.StaticFiles, new[] { call.Location }, properties, expense.Display, call.Name + "()", expense.Cost));
                        break;
                    }
                }
            }
        }

        private Expense? Resolve(IMethodSymbol method, int ordinal, HashSet<IMethodSymbol> visited, int depth)
        {
            if (depth > MaxHelperDepth || !visited.Add(method)
                || !_summaries.TryGetValue(method, out var summary) || !summary.TryGetValue(ordinal, out var events))
            {
                return null;
            }

            foreach (var item in events)
            {
                if (item.Kind == EventKind.Expensive)
                {
                    return new Expense(item.Display, item.Cost);
                }

                if (item.Kind == EventKind.Helper && item.Helper is not null
                    && Resolve(item.Helper, item.HelperOrdinal, visited, depth + 1) is { } nested)
                {
                    return nested;
                }
            }

            return null;
        }

        // Walks one function body; lambdas and local functions are scopes of their own, read when a call in them is met.
        private void Collect(IOperation operation, ref List<PipelineEvent>? events)
        {
            foreach (var child in operation.ChildOperations)
            {
                // A switch on the kind: asked of every operation of the body, cheaper than interface type tests.
                switch (child.Kind)
                {
                    case OperationKind.AnonymousFunction:
                    case OperationKind.LocalFunction:
                        continue;
                    case OperationKind.Invocation:
                        Classify((IInvocationOperation)child, ref events);
                        break;
                }

                Collect(child, ref events);
            }
        }

        private void AnalyzeScope(IMethodSymbol? owner, List<PipelineEvent> events, Dictionary<SyntaxNode, Diagnostic> findings)
        {
            if (events.Count == 0)
            {
                return;
            }

            events.Sort(static (a, b) => a.Invocation.Syntax.Span.End.CompareTo(b.Invocation.Syntax.Span.End));
            RecordSummary(owner, events);

            for (var i = 0; i < events.Count; i++)
            {
                var staticFiles = events[i];
                if (staticFiles.Kind != EventKind.StaticFiles)
                {
                    continue;
                }

                PipelineEvent? expensive = null;
                var helpers = ImmutableArray.CreateBuilder<HelperCall>();
                for (var j = 0; j < i; j++)
                {
                    var earlier = events[j];
                    if (!SymbolEqualityComparer.Default.Equals(earlier.Builder, staticFiles.Builder)
                        || AreExclusive(earlier.Invocation, staticFiles.Invocation))
                    {
                        continue;
                    }

                    if (earlier.Kind == EventKind.Expensive)
                    {
                        expensive = earlier;
                        break;
                    }

                    if (earlier.Kind == EventKind.Helper && earlier.Helper is not null)
                    {
                        helpers.Add(new HelperCall(earlier.Helper, earlier.HelperOrdinal, earlier.Invocation.Syntax.GetLocation(), earlier.Display));
                    }
                }

                var location = staticFiles.Invocation.Syntax.GetLocation();
                if (expensive is not null)
                {
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(BeforeProperty, expensive.Invocation.TargetMethod.Name);
                    findings[staticFiles.Invocation.Syntax] = Diagnostic.Create(Rule, location, new[] { expensive.Invocation.Syntax.GetLocation() }, properties, expensive.Display, expensive.Cost);
                }
                else if (helpers.Count > 0)
                {
                    _pending.Enqueue(new Pending(location, helpers.ToImmutable()));
                }
            }
        }

        /// <summary>
        /// The two calls sit in different branches of one <c>if</c>/<c>else</c>, conditional expression or <c>switch</c>:
        /// no run of the pipeline builder executes both, so their text order says nothing about the pipeline's order.
        /// </summary>
        private static bool AreExclusive(IOperation first, IOperation second)
        {
            for (var child = first; child.Parent is { } parent; child = parent)
            {
                switch (parent)
                {
                    case IConditionalOperation conditional when child == conditional.WhenTrue || child == conditional.WhenFalse:
                        if (BranchUnder(second, conditional) is { } branch && branch != child && branch != conditional.Condition)
                        {
                            return true;
                        }

                        break;
                    case ISwitchOperation when child is ISwitchCaseOperation:
                        if (BranchUnder(second, parent) is ISwitchCaseOperation otherCase && otherCase != child)
                        {
                            return true;
                        }

                        break;
                }
            }

            return false;
        }

        // The child of ancestor that contains operation, or null when operation is not under ancestor.
        private static IOperation? BranchUnder(IOperation operation, IOperation ancestor)
        {
            for (var child = operation; child.Parent is { } parent; child = parent)
            {
                if (parent == ancestor)
                {
                    return child;
                }
            }

            return null;
        }

        // What a helper method registers on each of its builder parameters, for callers in other bodies.
        private void RecordSummary(IMethodSymbol? owner, List<PipelineEvent> events)
        {
            if (owner is null || owner.Parameters.IsEmpty)
            {
                return;
            }

            var summary = ImmutableDictionary.CreateBuilder<int, ImmutableArray<PipelineEvent>>();
            foreach (var parameter in owner.Parameters)
            {
                if (!symbols.IsBuilderType(parameter.Type))
                {
                    continue;
                }

                var own = ImmutableArray.CreateBuilder<PipelineEvent>();
                foreach (var item in events)
                {
                    if (item.Kind != EventKind.StaticFiles && SymbolEqualityComparer.Default.Equals(item.Builder, parameter))
                    {
                        own.Add(item);
                    }
                }

                if (own.Count > 0)
                {
                    summary[parameter.Ordinal] = own.ToImmutable();
                }
            }

            if (summary.Count > 0)
            {
                _summaries[owner.OriginalDefinition] = summary.ToImmutable();
            }
        }

        private void Classify(IInvocationOperation invocation, ref List<PipelineEvent>? events)
        {
            if (invocation.Syntax.ContainsDiagnostics)
            {
                return; // broken code: nothing sure to say
            }

            var method = invocation.TargetMethod;
            if (IsFromSource(method))
            {
                AddHelperCalls(invocation, method, ref events);
                return;
            }

            // Every pipeline call this rule knows is named Use…: other calls are not worth walking their receiver.
            if (!method.Name.StartsWith("Use", StringComparison.Ordinal) || Receiver(invocation) is not { } builder)
            {
                return;
            }

            if (symbols.Is(method, symbols.StaticFiles, "UseStaticFiles"))
            {
                (events ??= new()).Add(new PipelineEvent { Kind = EventKind.StaticFiles, Builder = builder, Invocation = invocation });
                return;
            }

            if (Describe(invocation, method) is { } expense)
            {
                (events ??= new()).Add(new PipelineEvent { Kind = EventKind.Expensive, Builder = builder, Invocation = invocation, Display = expense.Display, Cost = expense.Cost });
            }
        }

        private Expense? Describe(IInvocationOperation invocation, IMethodSymbol method)
        {
            if (symbols.Is(method, symbols.Authentication, "UseAuthentication"))
            {
                return new Expense("UseAuthentication()", "authentication");
            }

            if (symbols.Is(method, symbols.Authorization, "UseAuthorization"))
            {
                return new Expense("UseAuthorization()", "authorization");
            }

            if (symbols.Is(method, symbols.Session, "UseSession"))
            {
                return new Expense("UseSession()", "session set-up");
            }

            if (symbols.Is(method, symbols.ResponseCompression, "UseResponseCompression"))
            {
                return new Expense("UseResponseCompression()", "on-the-fly response compression");
            }

            if (symbols.Is(method, symbols.Routing, "UseRouting"))
            {
                return new Expense("UseRouting()", "endpoint routing");
            }

            if (symbols.Is(method, symbols.UseMiddleware, "UseMiddleware"))
            {
                var middleware = method.TypeArguments.Length == 1 ? method.TypeArguments[0] : TypeOfArgument(invocation);
                var name = middleware?.Name is { Length: > 0 } simple ? simple : null;
                return name is null
                    ? new Expense("UseMiddleware(...)", "custom middleware")
                    : new Expense(method.TypeArguments.Length == 1 ? $"UseMiddleware<{name}>()" : $"UseMiddleware(typeof({name}))", $"the custom middleware '{name}'");
            }

            if (method.Name == "Use" && HasDelegateArgument(invocation)
                && (SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.UseExtensions)
                    || SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.ApplicationBuilder)
                    || SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.WebApplication)))
            {
                return new Expense("Use(...)", "custom inline middleware");
            }

            return null;
        }

        private void AddHelperCalls(IInvocationOperation invocation, IMethodSymbol method, ref List<PipelineEvent>? events)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter && symbols.IsBuilderType(parameter.Type)
                    && BuilderOf(argument.Value) is { } builder)
                {
                    (events ??= new()).Add(new PipelineEvent
                    {
                        Kind = EventKind.Helper,
                        Builder = builder,
                        Invocation = invocation,
                        Display = method.Name,
                        Helper = method.OriginalDefinition,
                        HelperOrdinal = parameter.Ordinal,
                    });
                }
            }
        }

        // Declaring syntax first: empty at once for a framework method, whose containing assembly is found through its namespaces.
        private bool IsFromSource(IMethodSymbol method)
            => !method.DeclaringSyntaxReferences.IsEmpty && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, symbols.Assembly);

        private ISymbol? Receiver(IInvocationOperation invocation)
        {
            return invocation.GetReceiver() is { } receiver ? BuilderOf(receiver) : null;
        }

        // The local or parameter a pipeline call is made on, through call chains (app.UseAuthentication().UseStaticFiles()).
        private ISymbol? BuilderOf(IOperation value)
        {
            for (var depth = 0; depth < 32; depth++)
            {
                value = value.WalkDownConversions(implicitOnly: false);
                switch (value)
                {
                    case ILocalReferenceOperation local:
                        return local.Local;
                    case IParameterReferenceOperation parameter:
                        return parameter.Parameter;
                    case IInvocationOperation chained when symbols.IsBuilderType(chained.TargetMethod.ReturnType):
                        var next = chained.GetReceiver();
                        if (next is null)
                        {
                            return null;
                        }

                        value = next;
                        continue;
                    default:
                        return null;
                }
            }

            return null;
        }

        private static ITypeSymbol? TypeOfArgument(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Value.WalkDownConversions(implicitOnly: false) is ITypeOfOperation typeOf)
                {
                    return typeOf.TypeOperand;
                }
            }

            return null;
        }

        private static bool HasDelegateArgument(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Value.WalkDownConversions(implicitOnly: false) is IDelegateCreationOperation or IAnonymousFunctionOperation)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
