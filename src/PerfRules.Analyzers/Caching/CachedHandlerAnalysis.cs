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
using PerfRules.Razor;

namespace PerfRules.Caching;

/// <summary>
/// The engine PERF002 and PERF006 share: finds cookie uses in request handlers whose response is shared-cached and reports
/// them with the cache source. Uses written in the handler are reported as soon as the handler's own attributes or endpoint
/// conventions make it shared; uses reached through helper methods of the handler's own class hierarchy (two calls deep), and
/// handlers shared only by project-wide conventions (<c>MapControllers().CacheOutput()</c>, base policies, named policies,
/// cache profiles), are reported once the whole compilation is seen.
/// </summary>
internal sealed class CachedHandlerAnalysis
{
    /// <summary>Diagnostic property: the <see cref="SharedCacheKind"/> of the reported cache source.</summary>
    public const string CacheKindProperty = "CacheKind";

    /// <summary>Diagnostic property: "true" when the cache attribute sits on the handler (or on its page model).</summary>
    public const string OnHandlerProperty = "OnHandler";

    /// <summary>Diagnostic property: the <see cref="RequestHandlerKind"/> of the handler.</summary>
    public const string HandlerKindProperty = "HandlerKind";

    /// <summary>How many calls deep uses are followed into helper methods.</summary>
    public const int MaxHelperDepth = 2;

    private readonly SharedCacheDetector _detector;
    private readonly CookieUses _uses;
    private readonly Func<IOperation, IMethodSymbol, CookieUseCandidate?> _find;
    private readonly bool _ignoreVaryingCaches;
    private readonly DiagnosticDescriptor _rule;
    private readonly DiagnosticDescriptor _endRule;
    private readonly IAssemblySymbol _assembly;
    private readonly CacheConventions _conventions = new();
    private readonly ConcurrentDictionary<IMethodSymbol, Summary> _summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentQueue<Pending> _pending = new();
    private readonly ConcurrentQueue<(IMethodSymbol Caller, HelperCall Call)> _directCalls = new();

    private CachedHandlerAnalysis(SharedCacheDetector detector, IAssemblySymbol assembly, CookieUses uses, Func<IOperation, IMethodSymbol, CookieUseCandidate?> find, bool ignoreVaryingCaches, DiagnosticDescriptor rule, DiagnosticDescriptor endRule)
    {
        _detector = detector;
        _assembly = assembly;
        _uses = uses;
        _find = find;
        _ignoreVaryingCaches = ignoreVaryingCaches;
        _rule = rule;
        _endRule = endRule;
    }

    /// <summary>
    /// Registers the analysis on a compilation; registers nothing when ASP.NET Core or its caching types are missing.
    /// <paramref name="ignoreVaryingCaches"/>: a cache that varies by cookie does not count (PERF002).
    /// <paramref name="readViews"/>: the project's Razor views are read, for renders whose view sets a cookie (PERF006).
    /// </summary>
    public static void Register(CompilationStartAnalysisContext start, Func<CookieUses, Func<IOperation, IMethodSymbol, CookieUseCandidate?>> finder, bool ignoreVaryingCaches, bool readViews, DiagnosticDescriptor rule, DiagnosticDescriptor endRule)
    {
        var types = WellKnownTypes.GetOrCreate(start.Compilation);
        var detector = SharedCacheDetector.Create(types);
        var uses = CookieUses.Create(types, readViews ? AntiforgeryViews.Create(start.Options) : null);
        if (detector is null || uses is null)
        {
            return;
        }

        var analysis = new CachedHandlerAnalysis(detector, start.Compilation.Assembly, uses, finder(uses), ignoreVaryingCaches, rule, endRule);
        // Per-operation actions: the driver lists every body's operations once for all analyzers and hands each kind to the
        // actions that asked for it (PERF002 and PERF006 together: 103 ms at 4x this way, 167 ms when each walked every body).
        start.RegisterOperationAction(analysis.AnalyzeInvocation, OperationKind.Invocation);
        start.RegisterOperationAction(analysis.AnalyzePropertyReference, OperationKind.PropertyReference);
        start.RegisterOperationAction(analysis.AnalyzeAssignment, OperationKind.SimpleAssignment);
        start.RegisterCompilationEndAction(analysis.ReportPending);
    }

    private void AnalyzeInvocation(OperationAnalysisContext context)
    {
        _detector.Collect((IInvocationOperation)context.Operation, _conventions);
        AnalyzeUse(context);
    }

    private void AnalyzePropertyReference(OperationAnalysisContext context) => AnalyzeUse(context);

    // Cache profiles configured by assignment (an initializer holds no handler, but may configure caching too).
    private void AnalyzeAssignment(OperationAnalysisContext context)
        => _detector.Collect((ISimpleAssignmentOperation)context.Operation, _conventions);

    // A cookie use or a helper call in a method's body (uses in field and property initializers belong to no handler).
    private void AnalyzeUse(OperationAnalysisContext context)
    {
        var operation = context.Operation;
        if (context.ContainingSymbol is not IMethodSymbol owner || operation.Syntax.ContainsDiagnostics)
        {
            return; // code being typed: nothing sure to say
        }

        if (_find(operation, owner) is { } use)
        {
            RecordSummary(owner, use, null);
            AnalyzeHandler(owner, operation, use, null, context);
        }
        else if (AsHelperCall(operation, owner) is { } call)
        {
            RecordSummary(owner, null, call);
            if (operation.IsInNestedFunction() || owner.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction)
            {
                AnalyzeHandler(owner, operation, null, call, context);
            }
            else
            {
                // Written directly in a method's body: whether the method is a handler is asked at the end, and only when the
                // helper leads to a cookie use (almost never: most such calls read a model's own properties).
                _directCalls.Enqueue((owner, call));
            }
        }
    }

    /// <summary>
    /// A call to a method or property getter of a class of this assembly that can lead to a cookie use of a handler: the
    /// handler's type is or inherits the callee's type, and the helper's calls are followed only into types the handler's type
    /// is or inherits (<see cref="FindThroughHelper"/>). Both the caller's and the callee's types are then on the handler type's
    /// base-class chain, so one of them is or inherits the other; calls between unrelated classes (reading a model's
    /// properties, calling another service) can never be followed and are not kept. Only calls on the handler's own instance
    /// (<c>Helper()</c>, <c>this.Helper()</c>, <c>base.Helper()</c>) and static calls are helper calls: a member called on
    /// another object (<c>other.Helper()</c>, <c>item.Name</c>) works with that object's request, not the handler's.
    /// </summary>
    private HelperCall? AsHelperCall(IOperation operation, IMethodSymbol owner)
    {
        // The receiver first: an operation-kind test, and most calls and reads of a body are on another object.
        var target = operation switch
        {
            IInvocationOperation invocation when IsOwnOrStatic(invocation.Instance) => invocation.TargetMethod,
            IPropertyReferenceOperation reference when IsOwnOrStatic(reference.Instance)
                && (reference.Parent is not IAssignmentOperation { Target: var t } || t != reference) => reference.Property.GetMethod,
            _ => null,
        };

        // Then the cheapest questions: most calls of a body go to the framework or to other assemblies, whose methods have no
        // declaring syntax (an empty answer at once); then most calls to source go to other classes (a model's properties).
        // The assembly is asked last: a base class declared in another project of the solution has syntax but no summary.
        if (target is null || target.DeclaringSyntaxReferences.IsEmpty || target.MethodKind == MethodKind.LocalFunction
            || target.ContainingType is not { TypeKind: TypeKind.Class } type || owner.ContainingType is not { } callerType
            || !(callerType.IsOrInherits(type.OriginalDefinition) || type.IsOrInherits(callerType.OriginalDefinition))
            || !SymbolEqualityComparer.Default.Equals(target.ContainingAssembly, _assembly)
            || !HasBody(target))
        {
            return null;
        }

        // The callee's class as a definition (EntityController<TEntity>, not EntityController<int>): the handler's base-class
        // chain is compared with it by definition, in AnalyzeHandler, ReportPending and FindThroughHelper.
        var name = target.AssociatedSymbol is IPropertySymbol accessed ? accessed.Name : target.Name + "()";
        return new HelperCall(target.OriginalDefinition, type.OriginalDefinition, name, operation.Syntax);
    }

    // No receiver (a static member) or the instance the code runs on (implicit, this, base; a cast of it).
    private static bool IsOwnOrStatic(IOperation? instance)
        => instance is null
           || instance.WalkDownConversions(implicitOnly: false) is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    /// <summary>
    /// The callee has a body of its own, where a cookie use or a further call can be written. Auto-property accessors (a
    /// model's <c>ToString()</c> reading its own properties: the commonest same-class call), abstract and extern methods and
    /// partial method definitions have none, so a call to them leads nowhere and is not kept.
    /// </summary>
    private static bool HasBody(IMethodSymbol method)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            switch (reference.GetSyntax())
            {
                case AccessorDeclarationSyntax accessor when accessor.Body is null && accessor.ExpressionBody is null:
                case BaseMethodDeclarationSyntax declaration when declaration.Body is null && declaration.ExpressionBody is null:
                    continue;
                default:
                    return true;
            }
        }

        return false;
    }

    private void RecordSummary(IMethodSymbol owner, CookieUseCandidate? use, HelperCall? call)
    {
        // One mutable summary per method, filled under its lock (read only once every operation has been seen).
        var summary = _summaries.GetOrAdd(owner.OriginalDefinition, static _ => new Summary());
        lock (summary)
        {
            if (use is { } found)
            {
                summary.Uses.Add(found);
            }

            if (call is { } made)
            {
                summary.Calls.Add(made);
            }
        }
    }

    private void AnalyzeHandler(IMethodSymbol owner, IOperation operation, CookieUseCandidate? use, HelperCall? call, OperationAnalysisContext context)
    {
        // The handler the operation is in (a top-level program holds many endpoint handlers).
        if (_detector.Handlers.FindEnclosing(operation, owner, includeMiddleware: false, context.CancellationToken) is not { } handler
            || (call is { } helper && (handler.Method.ContainingType is not { } handlerType || !handlerType.IsOrInherits(helper.Type))))
        {
            return;
        }

        var mapCall = handler.Kind == RequestHandlerKind.EndpointHandler ? _detector.FindMapCall(handler, context.CancellationToken) : null;
        if (handler.Kind == RequestHandlerKind.EndpointHandler && mapCall is null)
        {
            return;
        }

        var facts = _detector.Describe(handler, mapCall, context.CancellationToken);
        var cache = Pick(facts.Resolve(null));
        if (cache is not null && use is { } candidate && _uses.Resolve(candidate, context.CancellationToken) is { } direct)
        {
            context.ReportDiagnostic(Create(_rule, direct.Location, direct.Display, cache, handler.Kind));
        }

        if (cache is not null ? call is not null : facts.DependsOnConventions)
        {
            _pending.Enqueue(new Pending(
                facts,
                cache,
                handler.Kind,
                cache is null && use is { } later ? ImmutableArray.Create(later) : ImmutableArray<CookieUseCandidate>.Empty,
                call is { } through ? ImmutableArray.Create(through) : ImmutableArray<HelperCall>.Empty));
        }
    }

    private SharedCache? Pick(ImmutableArray<SharedCache> caches)
    {
        foreach (var cache in caches)
        {
            if (!_ignoreVaryingCaches || !cache.VariesByCookie)
            {
                return cache;
            }
        }

        return null;
    }

    private void ReportPending(CompilationAnalysisContext context)
    {
        foreach (var pending in _pending)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var cache = pending.Cache ?? Pick(pending.Facts.Resolve(_conventions));
            if (cache is null)
            {
                continue;
            }

            if (pending.Cache is null)
            {
                foreach (var candidate in pending.Uses)
                {
                    if (_uses.Resolve(candidate, context.CancellationToken) is not { } use)
                    {
                        continue; // a render whose view sets no cookie
                    }

                    context.ReportDiagnostic(Create(_endRule, use.Location, use.Display, cache, pending.HandlerKind));
                }
            }

            foreach (var call in pending.Calls)
            {
                ReportThroughHelper(call, cache, pending.HandlerKind, context);
            }
        }

        foreach (var (caller, call) in _directCalls)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!_summaries.ContainsKey(call.Method))
            {
                continue; // the helper uses no cookie and calls no helper: the common case, decided without asking about the caller
            }

            // Directly in a method's body, only an MVC action or a page handler is followed into its helpers here: the handler
            // an endpoint maps is a lambda or a local function (nested, analysed as it is seen) or a method passed as a method
            // group, whose own cookie uses are reported as they are seen but whose helper calls are not followed.
            var kind = _detector.Handlers.Classify(caller);
            if (kind is not (RequestHandlerKind.MvcAction or RequestHandlerKind.PageHandler)
                || caller.ContainingType is not { } handlerType || !handlerType.IsOrInherits(call.Type))
            {
                continue;
            }

            var facts = _detector.Describe(new RequestHandler(kind, caller, null, false), null, context.CancellationToken);
            var cache = Pick(facts.Resolve(null)) ?? (facts.DependsOnConventions ? Pick(facts.Resolve(_conventions)) : null);
            if (cache is not null)
            {
                ReportThroughHelper(call, cache, kind, context);
            }
        }
    }

    private void ReportThroughHelper(HelperCall call, SharedCache cache, RequestHandlerKind handlerKind, CompilationAnalysisContext context)
    {
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (FindThroughHelper(call.Method, call.Type, visited, 1, context.CancellationToken) is { } use)
        {
            context.ReportDiagnostic(Create(_endRule, call.Syntax.GetLocation(), use.Display + " (through '" + call.Name + "')", cache, handlerKind));
        }
    }

    private CookieUse? FindThroughHelper(IMethodSymbol method, INamedTypeSymbol handlerSide, HashSet<IMethodSymbol> visited, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxHelperDepth || !visited.Add(method) || !_summaries.TryGetValue(method, out var summary))
        {
            return null;
        }

        foreach (var candidate in summary.Uses)
        {
            if (_uses.Resolve(candidate, cancellationToken) is { } use)
            {
                return use;
            }
        }

        foreach (var call in summary.Calls)
        {
            // Only the handler's own class hierarchy: the helper's callee must be a type the helper's type is or inherits.
            if (handlerSide.IsOrInherits(call.Type) && FindThroughHelper(call.Method, handlerSide, visited, depth + 1, cancellationToken) is { } use)
            {
                return use;
            }
        }

        return null;
    }

    private static Diagnostic Create(DiagnosticDescriptor rule, Location location, string use, SharedCache cache, RequestHandlerKind handlerKind)
    {
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(CacheKindProperty, cache.Kind.ToString())
            .Add(OnHandlerProperty, cache.IsOnHandler ? "true" : "false")
            .Add(HandlerKindProperty, handlerKind.ToString());
        var additional = cache.Attribute is { } attribute ? new[] { Location.Create(attribute.SyntaxTree, attribute.Span) } : Array.Empty<Location>();
        return Diagnostic.Create(rule, location, additional, properties, use, cache.Source);
    }

    private readonly record struct HelperCall(IMethodSymbol Method, INamedTypeSymbol Type, string Name, SyntaxNode Syntax);

    private sealed class Summary
    {
        public List<CookieUseCandidate> Uses { get; } = new();

        public List<HelperCall> Calls { get; } = new();
    }

    private sealed record Pending(HandlerCacheFacts Facts, SharedCache? Cache, RequestHandlerKind HandlerKind, ImmutableArray<CookieUseCandidate> Uses, ImmutableArray<HelperCall> Calls);
}
