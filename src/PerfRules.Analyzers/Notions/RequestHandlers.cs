using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;

namespace PerfRules.Notions;

/// <summary>
/// The shared notion "request handler" (see RULES.md): MVC actions, Razor Pages handlers,
/// minimal-API endpoint handlers and middleware. One instance per compilation; null when the
/// compilation does not reference ASP.NET Core.
/// </summary>
/// <remarks>
/// Limits: a method (not a lambda or local function) passed as a method group to a <c>Map*</c> call is known to
/// be an endpoint handler only when the <c>Map*</c> call is written in the same file as the method (the file is
/// scanned once, through the semantic model of the operation being analysed; no other file is bound). A delegate
/// held in a variable and mapped later is not followed.
/// </remarks>
internal sealed class RequestHandlers
{
    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol _httpContext;
    private readonly INamedTypeSymbol? _controllerAttribute;
    private readonly INamedTypeSymbol? _nonControllerAttribute;
    private readonly INamedTypeSymbol? _nonActionAttribute;
    private readonly INamedTypeSymbol? _pageModel;
    private readonly INamedTypeSymbol? _nonHandlerAttribute;
    private readonly INamedTypeSymbol? _middlewareInterface;
    private readonly INamedTypeSymbol? _requestDelegate;
    private readonly INamedTypeSymbol? _endpointExtensions;
    private readonly INamedTypeSymbol? _fallbackExtensions;
    private readonly IMethodSymbol? _disposeMethod;
    private readonly IMethodSymbol? _middlewareInvokeAsync;
    private readonly object _baseTypesLock = new();
    private readonly ConcurrentDictionary<SyntaxTree, Dictionary<IMethodSymbol, IInvocationOperation>> _mappedMethodsByTree = new();
    private BaseTypeIndex? _baseTypes;
    private readonly ConcurrentDictionary<INamedTypeSymbol, TypeRole> _roles = new(SymbolEqualityComparer.Default);
    private readonly Func<INamedTypeSymbol, TypeRole> _computeRole;

    private RequestHandlers(WellKnownTypes types, INamedTypeSymbol httpContext)
    {
        _compilation = types.Compilation;
        _httpContext = httpContext;
        _controllerAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ControllerAttribute);
        _nonControllerAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_NonControllerAttribute);
        _nonActionAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_NonActionAttribute);
        _pageModel = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_RazorPages_PageModel);
        _nonHandlerAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_RazorPages_NonHandlerAttribute);
        _middlewareInterface = types.Get(WellKnownType.Microsoft_AspNetCore_Http_IMiddleware);
        _requestDelegate = types.Get(WellKnownType.Microsoft_AspNetCore_Http_RequestDelegate);
        _endpointExtensions = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_EndpointRouteBuilderExtensions);
        _fallbackExtensions = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_FallbackEndpointRouteBuilderExtensions);
        _disposeMethod = FirstMethod(_compilation.GetSpecialType(SpecialType.System_IDisposable), "Dispose");
        _middlewareInvokeAsync = FirstMethod(_middlewareInterface, "InvokeAsync");
        _computeRole = ComputeRole;
    }

    private enum TypeRole : byte
    {
        None,

        /// <summary>A controller, or a base class of one: its public methods are actions.</summary>
        HandlesActions,

        /// <summary>A page model, or a base class of one: its public methods may be page handlers.</summary>
        HandlesPages,
    }

    /// <summary>The compilation's request-handler notion (one instance shared by every analyzer); null without ASP.NET Core.</summary>
    public static RequestHandlers? Create(WellKnownTypes types)
        => types.GetShared(static t => t.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpContext) is { } httpContext ? new RequestHandlers(t, httpContext) : null);

    /// <summary>
    /// Classifies a declared method: MVC action, page handler, middleware entry point or none.
    /// Endpoint handlers are found from their <c>Map*</c> call instead (<see cref="GetEndpointHandler"/>).
    /// </summary>
    public RequestHandlerKind Classify(IMethodSymbol? method, bool includeMiddleware = false)
    {
        if (method is null)
        {
            return RequestHandlerKind.None;
        }

        if (includeMiddleware && method.MethodKind == MethodKind.ExplicitInterfaceImplementation && IsExplicitMiddlewareInvokeAsync(method))
        {
            return RequestHandlerKind.Middleware;
        }

        if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.IsAbstract
            || method.DeclaredAccessibility != Accessibility.Public || method.IsGenericMethod
            || method.ContainingType is not { TypeKind: TypeKind.Class } type)
        {
            return RequestHandlerKind.None;
        }

        var role = RoleOf(type);
        if (role == TypeRole.HandlesActions)
        {
            return method.HasAttributeThroughOverrides(_nonActionAttribute) || IsObjectOrDisposeMethod(method, type)
                ? RequestHandlerKind.None
                : RequestHandlerKind.MvcAction;
        }

        if (role == TypeRole.HandlesPages)
        {
            return IsPageHandlerName(method.Name) && !method.HasAttributeThroughOverrides(_nonHandlerAttribute) && !OverridesObject(method)
                ? RequestHandlerKind.PageHandler
                : RequestHandlerKind.None;
        }

        if (includeMiddleware && IsMiddlewareEntryPoint(method))
        {
            return RequestHandlerKind.Middleware;
        }

        return RequestHandlerKind.None;
    }

    // What a class's public methods are, decided once per class for the compilation (every analyzer asks about the same
    // classes, for every operation it finds in them).
    private TypeRole RoleOf(INamedTypeSymbol type) => _roles.GetOrAdd(type, _computeRole);

    private TypeRole ComputeRole(INamedTypeSymbol type)
    {
        // MVC and Razor Pages discover public methods of the concrete class and of all its base classes
        // (Type.GetMethods), so a method declared on an (abstract) base class is a handler of each concrete subclass.
        // A sealed or static class is nobody's base class: the project-wide index of base classes is not needed for it
        // (models, services and endpoint classes are asked about too, whenever their bodies call their own members).
        var mayBeBase = !type.IsSealed && !type.IsStatic;
        if (IsController(type) || (mayBeBase && _controllerAttribute is not null && GetBaseTypes().OfControllers.Contains(type.OriginalDefinition)))
        {
            return TypeRole.HandlesActions;
        }

        return IsPageModel(type) || (mayBeBase && _pageModel is not null && !SymbolEqualityComparer.Default.Equals(type, _pageModel)
            && GetBaseTypes().OfPageModels.Contains(type.OriginalDefinition))
            ? TypeRole.HandlesPages
            : TypeRole.None;
    }

    /// <summary>
    /// A controller as MVC discovers it: a public, top-level, non-abstract, non-generic class that is
    /// not <c>[NonController]</c>, whose name ends in "Controller" or that carries (or inherits)
    /// <c>[Controller]</c>/<c>[ApiController]</c>, e.g. through <c>ControllerBase</c>.
    /// Requires MVC to be referenced.
    /// </summary>
    public bool IsController(INamedTypeSymbol? type)
    {
        if (_controllerAttribute is null || type is null || type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic
            || type.DeclaredAccessibility != Accessibility.Public || type.ContainingType is not null || type.IsGenericType)
        {
            return false;
        }

        // The name before the attributes: a class named otherwise needs [Controller] (or a base class's) to be one.
        return (type.Name.EndsWith("Controller", StringComparison.OrdinalIgnoreCase) || type.HasAttribute(_controllerAttribute, inherited: true))
            && !type.HasAttribute(_nonControllerAttribute, inherited: true);
    }

    public bool IsPageModel(INamedTypeSymbol? type)
        => _pageModel is not null && type is not null && !type.IsAbstract && type.BaseType.IsOrInherits(_pageModel);

    /// <summary>
    /// A conventional middleware's <c>Invoke</c>/<c>InvokeAsync(HttpContext, …)</c> on a class with a
    /// <c>RequestDelegate</c> constructor parameter, or an implementation of <c>IMiddleware.InvokeAsync</c>.
    /// </summary>
    public bool IsMiddlewareEntryPoint(IMethodSymbol method)
    {
        if (method.Name is not ("Invoke" or "InvokeAsync") || method.Parameters.Length == 0
            || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, _httpContext)
            || method.ContainingType is not { } type)
        {
            return false;
        }

        if (method.Name == "InvokeAsync" && type.IsOrInherits(_middlewareInterface))
        {
            return true;
        }

        if (_requestDelegate is null)
        {
            return false;
        }

        foreach (var constructor in type.InstanceConstructors)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (SymbolEqualityComparer.Default.Equals(parameter.Type, _requestDelegate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A minimal-API mapping method (<c>Map</c>, <c>MapGet/Post/Put/Delete/Patch/Methods</c>, <c>MapFallback</c>),
    /// called on an app, a route group or any other endpoint route builder.
    /// </summary>
    public bool IsEndpointMapMethod(IMethodSymbol? method)
    {
        var type = method?.ContainingType;
        return type is not null
            && (SymbolEqualityComparer.Default.Equals(type, _endpointExtensions) || SymbolEqualityComparer.Default.Equals(type, _fallbackExtensions))
            && method!.Name.StartsWith("Map", StringComparison.Ordinal)
            && method.Name != "MapGroup";
    }

    /// <summary>
    /// The handler passed to a minimal-API <c>Map*</c> call: the lambda (<see cref="IAnonymousFunctionOperation"/>)
    /// or the method group's target method (a method or local function). Null when the call is not an
    /// endpoint mapping or its handler is not a function written in code (a variable holding a delegate).
    /// </summary>
    public (IMethodSymbol Method, IAnonymousFunctionOperation? Lambda)? GetEndpointHandler(IInvocationOperation invocation)
    {
        if (!IsEndpointMapMethod(invocation.TargetMethod))
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            var parameterType = argument.Parameter?.Type;
            if (parameterType is null
                || !(parameterType.SpecialType == SpecialType.System_Delegate || SymbolEqualityComparer.Default.Equals(parameterType, _requestDelegate)))
            {
                continue;
            }

            var value = argument.Value.WalkDownConversions();
            if (value is IDelegateCreationOperation creation)
            {
                value = creation.Target.WalkDownConversions();
            }

            switch (value)
            {
                case IAnonymousFunctionOperation lambda:
                    return (lambda.Symbol, lambda);
                case IMethodReferenceOperation reference:
                    return (reference.Method, null);
            }
        }

        return null;
    }

    /// <summary>
    /// The request handler that contains <paramref name="operation"/>, walking out through nested
    /// lambdas and local functions. Null when the operation is not inside a request handler.
    /// </summary>
    public RequestHandler? FindEnclosing(IOperation operation, ISymbol? containingSymbol, bool includeMiddleware = false, CancellationToken cancellationToken = default)
    {
        var nested = false;
        for (var current = operation; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    if (IsEndpointHandlerLambda(lambda))
                    {
                        return new RequestHandler(RequestHandlerKind.EndpointHandler, lambda.Symbol, lambda, nested);
                    }

                    nested = true;
                    break;
                case ILocalFunctionOperation localFunction:
                    if (IsLocalFunctionEndpointHandler(localFunction))
                    {
                        return new RequestHandler(RequestHandlerKind.EndpointHandler, localFunction.Symbol, localFunction, nested);
                    }

                    nested = true;
                    break;
                case { Parent: null }:
                    var method = OutermostMember(containingSymbol, ref nested);
                    var kind = Classify(method, includeMiddleware);
                    if (kind == RequestHandlerKind.None && method is { MethodKind: MethodKind.Ordinary } && IsMappedMethodGroup(method, current, cancellationToken))
                    {
                        kind = RequestHandlerKind.EndpointHandler;
                    }

                    return kind == RequestHandlerKind.None ? null : new RequestHandler(kind, method!, current, nested);
            }
        }

        return null;
    }

    private bool IsEndpointHandlerLambda(IAnonymousFunctionOperation lambda)
    {
        IOperation? parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation }
            && GetEndpointHandler(invocation)?.Lambda is { } handler
            && handler == lambda;
    }

    private bool IsLocalFunctionEndpointHandler(ILocalFunctionOperation localFunction)
    {
        // A local function is an endpoint handler when a Map* call in the same block passes it as a method group.
        if (localFunction.Parent is not { } scope)
        {
            return false;
        }

        foreach (var descendant in scope.Descendants())
        {
            if (descendant is IInvocationOperation invocation
                && GetEndpointHandler(invocation) is { Lambda: null } handler
                && SymbolEqualityComparer.Default.Equals(handler.Method, localFunction.Symbol))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsObjectOrDisposeMethod(IMethodSymbol method, INamedTypeSymbol type)
    {
        // MVC leaves out the method that implements IDisposable.Dispose, not every method called Dispose.
        if (_disposeMethod is not null && method.Name == "Dispose" && method.Parameters.Length == 0
            && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(_disposeMethod), method))
        {
            return true;
        }

        return OverridesObject(method);
    }

    private static bool OverridesObject(IMethodSymbol method)
    {
        for (var overridden = method; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (overridden.ContainingType?.SpecialType == SpecialType.System_Object)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsExplicitMiddlewareInvokeAsync(IMethodSymbol method)
    {
        if (_middlewareInvokeAsync is null)
        {
            return false;
        }

        foreach (var implemented in method.ExplicitInterfaceImplementations)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, _middlewareInvokeAsync))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The member that owns a lambda or local function (the containing symbol of an operation may be the function itself).</summary>
    private static IMethodSymbol? OutermostMember(ISymbol? symbol, ref bool nested)
    {
        var current = symbol;
        while (current is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            nested = true;
            current = current.ContainingSymbol;
        }

        return current as IMethodSymbol;
    }

    /// <summary>
    /// The method is passed as a method group to a <c>Map*</c> call written in the same file as the method
    /// (RULES.md (c)); each file is scanned once per compilation through the operation's own semantic model.
    /// </summary>
    private bool IsMappedMethodGroup(IMethodSymbol method, IOperation root, CancellationToken cancellationToken)
        => FindMappingCall(method, root, cancellationToken) is not null;

    /// <summary>
    /// The <c>Map*</c> call, written in the same file as <paramref name="method"/> (whose body is <paramref name="root"/>),
    /// that passes the method as a method group (the first one, when several do); null when there is none.
    /// </summary>
    public IInvocationOperation? FindMappingCall(IMethodSymbol method, IOperation root, CancellationToken cancellationToken)
    {
        var tree = root.Syntax?.SyntaxTree;
        var model = root.SemanticModel;
        if (tree is null || model is null || _endpointExtensions is null && _fallbackExtensions is null)
        {
            return null;
        }

        // The table is complete before it is published and never changes afterwards: concurrent reads are safe.
        if (!_mappedMethodsByTree.TryGetValue(tree, out var mapped))
        {
            mapped = _mappedMethodsByTree.GetOrAdd(tree, _ => CollectMappedMethods(model, cancellationToken));
        }

        return mapped.TryGetValue(method.OriginalDefinition, out var call) ? call : null;
    }

    private Dictionary<IMethodSymbol, IInvocationOperation> CollectMappedMethods(SemanticModel model, CancellationToken cancellationToken)
    {
        var result = new Dictionary<IMethodSymbol, IInvocationOperation>(SymbolEqualityComparer.Default);
        if (!MayCallMap(model.SyntaxTree, cancellationToken))
        {
            return result; // most files map nothing: their text is searched instead of their syntax walked
        }

        foreach (var node in model.SyntaxTree.GetRoot(cancellationToken).DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (node is not InvocationExpressionSyntax call || !IsMapName(call.Expression) || !HasMethodGroupLikeArgument(call))
            {
                continue;
            }

            if (model.GetOperation(call, cancellationToken) is IInvocationOperation invocation
                && GetEndpointHandler(invocation) is { Lambda: null } handler
                && handler.Method.MethodKind == MethodKind.Ordinary
                && !result.ContainsKey(handler.Method.OriginalDefinition))
            {
                result.Add(handler.Method.OriginalDefinition, invocation);
            }
        }

        return result;
    }

    // A Map* call is written with its name: a file whose text says neither "Map" nor a unicode escape (an identifier may
    // spell a letter as \u004D) holds none. The text of a file is usually kept as one string, which ToString returns
    // without copying.
    private static bool MayCallMap(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken).ToString();
        return text.IndexOf("Map", StringComparison.Ordinal) >= 0 || text.IndexOf("\\u", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    private static bool IsMapName(ExpressionSyntax expression)
    {
        var name = expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
        return name.StartsWith("Map", StringComparison.Ordinal);
    }

    private static bool HasMethodGroupLikeArgument(InvocationExpressionSyntax call)
    {
        foreach (var argument in call.ArgumentList.Arguments)
        {
            if (argument.Expression is SimpleNameSyntax or MemberAccessExpressionSyntax or CastExpressionSyntax or ObjectCreationExpressionSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private static IMethodSymbol? FirstMethod(INamedTypeSymbol? type, string name)
    {
        if (type is null)
        {
            return null;
        }

        foreach (var member in type.GetMembers(name))
        {
            if (member is IMethodSymbol method)
            {
                return method;
            }
        }

        return null;
    }

    private BaseTypeIndex GetBaseTypes()
    {
        var index = Volatile.Read(ref _baseTypes);
        if (index is not null)
        {
            return index;
        }

        lock (_baseTypesLock)
        {
            return _baseTypes ??= BuildBaseTypeIndex();
        }
    }

    /// <summary>The base classes of the project's concrete controllers and page models (computed once per compilation).</summary>
    private BaseTypeIndex BuildBaseTypeIndex()
    {
        var index = new BaseTypeIndex();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(_compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            // Namespaces hold namespaces and types; a type is only searched for nested types (its other members are not
            // needed, and listing them would build every type's member table).
            var container = pending.Pop();
            foreach (var member in container is INamedTypeSymbol outer ? outer.GetTypeMembers().CastArray<ISymbol>() : container.GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                }
                else if (member is INamedTypeSymbol type)
                {
                    pending.Push(type);
                    if (type.TypeKind != TypeKind.Class || type.BaseType is null or { SpecialType: SpecialType.System_Object })
                    {
                        continue; // no base class to record: the attribute checks below are skipped for most types
                    }

                    var target = IsController(type) ? index.OfControllers : IsPageModel(type) ? index.OfPageModels : null;
                    for (var baseType = type.BaseType; target is not null && baseType is not null; baseType = baseType.BaseType)
                    {
                        target.Add(baseType.OriginalDefinition);
                    }
                }
            }
        }

        return index;
    }

    private static bool IsPageHandlerName(string name)
    {
        // As Razor Pages parses it: On{Verb}[Handler][Async], the verb running from "On" up to the next capital
        // letter (matched case-insensitively against the request's method). A verb that is not an HTTP method
        // (OnModelCreating, OnGetaway) can never be selected, so such a method is not treated as a handler.
        if (!name.StartsWith("On", StringComparison.Ordinal))
        {
            return false;
        }

        var length = name.EndsWith("Async", StringComparison.Ordinal) ? name.Length - "Async".Length : name.Length;
        if (length <= 2)
        {
            return false;
        }

        var end = 3;
        while (end < length && !char.IsUpper(name[end]))
        {
            end++;
        }

        var verb = name.Substring(2, end - 2).ToUpperInvariant();
        return verb is "GET" or "POST" or "PUT" or "DELETE" or "PATCH" or "HEAD" or "OPTIONS" or "TRACE" or "CONNECT" or "QUERY";
    }

    private sealed class BaseTypeIndex
    {
        public HashSet<INamedTypeSymbol> OfControllers { get; } = new(SymbolEqualityComparer.Default);

        public HashSet<INamedTypeSymbol> OfPageModels { get; } = new(SymbolEqualityComparer.Default);
    }
}
