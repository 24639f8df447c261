using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;
using PerfRules.Notions;

namespace PerfRules.Rules;

/// <summary>
/// PERF003 (advice): a GET request handler renders a template (RULES.md "template render": a view, partial view, view
/// component, Razor page or Razor component) and no caching decision covers it: no <c>[OutputCache]</c> or
/// <c>[ResponseCache]</c> attribute of any kind on the handler, its controller or page model (or their base classes), no
/// <c>.CacheOutput(…)</c> on the endpoint, its route group or <c>MapControllers()</c>/<c>MapRazorPages()</c>, no output-cache
/// base policy; and the handler is not behind authorization (<c>[Authorize]</c> without <c>[AllowAnonymous]</c>,
/// <c>.RequireAuthorization()</c> on the endpoint, its group or <c>MapControllers()</c>/<c>MapRazorPages()</c>).
/// Project-wide conventions are only known once the whole compilation is seen, so the rule reports at the compilation's end,
/// once per handler, at the handler's name (or a lambda's parameter list and arrow).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TemplateRenderedWithoutOutputCacheAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the <see cref="RequestHandlerKind"/> of the handler.</summary>
    internal const string HandlerKindProperty = "HandlerKind";

    /// <summary>Diagnostic property: "true" when the project calls <c>AddOutputCache()</c> somewhere.</summary>
    internal const string HasAddOutputCacheProperty = "HasAddOutputCache";

    /// <summary>Diagnostic property: "true" when the project calls <c>UseOutputCache()</c> somewhere.</summary>
    internal const string HasUseOutputCacheProperty = "HasUseOutputCache";

    /// <summary>Diagnostic property: where the registrations can be added: "Program" (top-level statements) or "Startup"; absent when neither was found.</summary>
    internal const string StartupProperty = "Startup";

    /// <summary>Diagnostic property: the app's one registered output-cache policy that stores responses, when there is exactly one.</summary>
    internal const string PolicyNameProperty = "PolicyName";

    internal const string ProgramStartup = "Program";
    internal const string StartupClass = "Startup";

    private const string Title = "Template rendered without output caching";
    private const string Description = "Rendering a Razor view, page or component is the most expensive thing most handlers do, and a public GET page is usually the same for every visitor for a while. ASP.NET Core's output cache stores the rendered response and replays it without running the handler or the template. This is advice: pages that differ per user or must always be fresh should stay uncached (mark them [OutputCache(NoStore = true)] to record the decision).";

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.TemplateRenderedWithoutOutputCache,
        Title,
        messageFormat: "Advice: '{0}' renders {1} on every GET request and nothing caches the output; if the page is the same for every visitor, cache the rendered output",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.TemplateRenderedWithoutOutputCache),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
        {
            var types = WellKnownTypes.GetOrCreate(start.Compilation);

            // Output caching (ASP.NET Core 7+) is what the advice and the fix are about: without it, nothing to say.
            if (types.Get(WellKnownType.Microsoft_AspNetCore_OutputCaching_OutputCacheAttribute) is null
                || TemplateRenders.Create(types) is not { } renders
                || SharedCacheDetector.Create(types) is not { } detector)
            {
                return;
            }

            var state = new CompilationState(types, detector, renders);
            // Per-operation actions find the renders and the project's cache conventions and output-cache set-up (the
            // driver lists every body's operations once for all analyzers); the block action only looks at the method.
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(state.AnalyzeObjectCreation, OperationKind.ObjectCreation);
            start.RegisterOperationAction(state.AnalyzeAssignment, OperationKind.SimpleAssignment);
            start.RegisterOperationBlockAction(state.AnalyzeBlock);
            start.RegisterCompilationEndAction(state.Report);
        });
    }

    private sealed record Pending(RequestHandlerKind Kind, Location Location, Location? MapCall, string Name, TemplateRenderKind Render);

    private sealed class CompilationState
    {
        private readonly SharedCacheDetector _detector;
        private readonly TemplateRenders _renders;
        private readonly INamedTypeSymbol? _authorize;
        private readonly INamedTypeSymbol? _allowAnonymous;
        private readonly INamedTypeSymbol? _addOutputCache;
        private readonly INamedTypeSymbol? _useOutputCache;
        private readonly INamedTypeSymbol? _webApplicationBuilder;
        private readonly INamedTypeSymbol? _applicationBuilder;
        private readonly INamedTypeSymbol? _serviceCollection;
        private readonly CacheConventions _conventions = new();
        private readonly ConcurrentQueue<Pending> _pending = new();
        private readonly ConcurrentDictionary<ISymbol, byte> _considered = new(SymbolEqualityComparer.Default);
        private int _hasAdd;
        private int _hasUse;
        private int _hasProgram;
        private int _hasStartup;

        public CompilationState(WellKnownTypes types, SharedCacheDetector detector, TemplateRenders renders)
        {
            _detector = detector;
            _renders = renders;
            _authorize = types.Get(WellKnownType.Microsoft_AspNetCore_Authorization_AuthorizeAttribute);
            _allowAnonymous = types.Get(WellKnownType.Microsoft_AspNetCore_Authorization_AllowAnonymousAttribute);
            _addOutputCache = types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_OutputCacheServiceCollectionExtensions);
            _useOutputCache = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_OutputCacheApplicationBuilderExtensions);
            _webApplicationBuilder = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_WebApplicationBuilder);
            _applicationBuilder = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_IApplicationBuilder);
            _serviceCollection = types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_IServiceCollection);
        }

        private void CollectInvocation(IInvocationOperation invocation)
        {
            _detector.Collect(invocation, _conventions);

            // Asked of every call of the project: the name before the called method's type (for a call on List<Product>, a
            // symbol made when first asked for).
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "AddOutputCache" when IsDeclaredIn(method, _addOutputCache):
                    Interlocked.Exchange(ref _hasAdd, 1);
                    break;
                case "UseOutputCache" when IsDeclaredIn(method, _useOutputCache):
                    Interlocked.Exchange(ref _hasUse, 1);
                    break;
                case "Build" when IsDeclaredIn(method, _webApplicationBuilder)
                                  && invocation.Parent is IVariableInitializerOperation && IsTopLevelStatement(invocation.Syntax):
                    Interlocked.Exchange(ref _hasProgram, 1);
                    break;
            }
        }

        private static bool IsDeclaredIn(IMethodSymbol method, INamedTypeSymbol? type)
            => type is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, type);

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            CollectInvocation((IInvocationOperation)context.Operation);
            AnalyzeRender(context);
        }

        public void AnalyzeObjectCreation(OperationAnalysisContext context) => AnalyzeRender(context);

        public void AnalyzeAssignment(OperationAnalysisContext context)
            => _detector.Collect((ISimpleAssignmentOperation)context.Operation, _conventions);

        // A render in a method's body (an initializer holds no handler): its handler is considered once, for its first render.
        private void AnalyzeRender(OperationAnalysisContext context)
        {
            var operation = context.Operation;
            if (context.ContainingSymbol is not IMethodSymbol owner || operation.Syntax.ContainsDiagnostics
                || _renders.Classify(operation) is not { } render
                || _detector.Handlers.FindEnclosing(operation, owner, includeMiddleware: false, context.CancellationToken) is not { IsInNestedFunction: false } handler
                || !_considered.TryAdd(handler.Method, 0))
            {
                return;
            }

            Consider(handler, render, context.CancellationToken);
        }

        public void AnalyzeBlock(OperationBlockAnalysisContext context)
        {
            if (context.OwningSymbol is not IMethodSymbol owner)
            {
                return;
            }

            if (IsStartupConfigure(owner))
            {
                Interlocked.Exchange(ref _hasStartup, 1);
            }

            // A page handler that returns nothing renders its page (unless it renders something itself). Asked of every method
            // of the project: a page handler's name starts with "On" (On{Verb}…), read before its return type.
            if (!owner.Name.StartsWith("On", StringComparison.Ordinal) || !_renders.RendersPageImplicitly(owner)
                || _detector.Handlers.Classify(owner) != RequestHandlerKind.PageHandler)
            {
                return;
            }

            foreach (var block in context.OperationBlocks)
            {
                if (!block.Syntax.ContainsDiagnostics && !RendersExplicitly(block, owner, context.CancellationToken) && _considered.TryAdd(owner, 0))
                {
                    Consider(new RequestHandler(RequestHandlerKind.PageHandler, owner, block, false), TemplateRenderKind.Page, context.CancellationToken);
                }
            }
        }

        // Asked only of page handlers that return nothing (rare): a plain walk of that one body.
        private bool RendersExplicitly(IOperation block, IMethodSymbol owner, CancellationToken cancellationToken)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                if (operation.Kind is OperationKind.Invocation or OperationKind.ObjectCreation && !operation.Syntax.ContainsDiagnostics
                    && _renders.Classify(operation) is not null
                    && _detector.Handlers.FindEnclosing(operation, owner, includeMiddleware: false, cancellationToken) is { IsInNestedFunction: false } handler
                    && SymbolEqualityComparer.Default.Equals(handler.Method, owner))
                {
                    return true;
                }
            }

            return false;
        }

        private void Consider(RequestHandler handler, TemplateRenderKind render, CancellationToken cancellationToken)
        {
            IInvocationOperation? mapCall = null;
            if (handler.Kind == RequestHandlerKind.EndpointHandler)
            {
                mapCall = _detector.FindMapCall(handler, cancellationToken);
                if (mapCall is null)
                {
                    return; // its Map* call is not at hand (a delegate held in a variable): its conventions are not visible here
                }
            }

            var facts = _detector.Describe(handler, mapCall, cancellationToken);
            if (!facts.IsGet || facts.DeclaresCaching || facts.RequiresAuthorization || !facts.Resolve(null).IsEmpty || IsAuthorized(handler))
            {
                return;
            }

            if (Locate(handler) is not { } location)
            {
                return;
            }

            var name = handler.Kind == RequestHandlerKind.EndpointHandler
                ? mapCall!.TargetMethod.Name + " endpoint"
                : handler.Method.ContainingType is { } type ? type.Name + "." + handler.Method.Name : handler.Method.Name;
            _pending.Enqueue(new Pending(handler.Kind, location, mapCall?.Syntax.GetLocation(), name, render));
        }

        public void Report(CompilationAnalysisContext context)
        {
            if (_pending.IsEmpty)
            {
                return;
            }

            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(HasAddOutputCacheProperty, Volatile.Read(ref _hasAdd) == 1 ? "true" : "false")
                .Add(HasUseOutputCacheProperty, Volatile.Read(ref _hasUse) == 1 ? "true" : "false");
            if (Volatile.Read(ref _hasProgram) == 1)
            {
                properties = properties.Add(StartupProperty, ProgramStartup);
            }
            else if (Volatile.Read(ref _hasStartup) == 1)
            {
                properties = properties.Add(StartupProperty, StartupClass);
            }

            if (_conventions.CachingPolicyNames() is { Length: 1 } policies)
            {
                properties = properties.Add(PolicyNameProperty, policies[0]);
            }

            foreach (var pending in _pending)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (_conventions.DeclaresCaching(pending.Kind) || _conventions.RequiresAuthorization(pending.Kind))
                {
                    continue;
                }

                var additional = pending.MapCall is null ? null : new[] { pending.MapCall };
                context.ReportDiagnostic(Diagnostic.Create(
                    Rule,
                    pending.Location,
                    additional,
                    properties.Add(HandlerKindProperty, pending.Kind.ToString()),
                    pending.Name,
                    TemplateRenders.Describe(pending.Render)));
            }
        }

        /// <summary>[Authorize] on the handler or its class (or a base class), and no [AllowAnonymous] that lifts it.</summary>
        private bool IsAuthorized(RequestHandler handler)
        {
            var method = handler.Method;
            var type = handler.Kind == RequestHandlerKind.EndpointHandler ? null : method.ContainingType;
            var onMethod = handler.Kind != RequestHandlerKind.PageHandler; // Razor Pages ignore attributes on handler methods
            if ((onMethod && method.HasAttributeThroughOverrides(_allowAnonymous)) || (type is not null && type.HasAttribute(_allowAnonymous, inherited: true)))
            {
                return false;
            }

            return (onMethod && method.HasAttributeThroughOverrides(_authorize)) || (type is not null && type.HasAttribute(_authorize, inherited: true));
        }

        private static Location? Locate(RequestHandler handler)
        {
            if (handler.Body is IAnonymousFunctionOperation { Syntax: LambdaExpressionSyntax lambda })
            {
                var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lambda.SpanStart, lambda.ArrowToken.Span.End);
                return Location.Create(lambda.SyntaxTree, span);
            }

            foreach (var location in handler.Method.Locations)
            {
                if (location.IsInSource)
                {
                    return location;
                }
            }

            return null;
        }

        private bool IsStartupConfigure(IMethodSymbol method)
        {
            if (method.Name != "Configure" || method.Parameters.Length == 0 || !method.Parameters[0].Type.IsOrInherits(_applicationBuilder)
                || method.ContainingType is not { } type)
            {
                return false;
            }

            foreach (var member in type.GetMembers("ConfigureServices"))
            {
                if (member is IMethodSymbol { Parameters.Length: 1 } configureServices && configureServices.Parameters[0].Type.IsOrInherits(_serviceCollection))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsTopLevelStatement(SyntaxNode? node)
        {
            for (var current = node; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case GlobalStatementSyntax:
                        return true;
                    case MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                        return false;
                }
            }

            return false;
        }
    }
}
