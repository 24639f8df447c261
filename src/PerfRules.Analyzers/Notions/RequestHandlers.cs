using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;

namespace PerfRules.Notions;

/// <summary>
/// The shared notion "request handler" (see RULES.md): MVC actions, Razor Pages handlers,
/// minimal-API endpoint handlers and middleware. One instance per compilation; null when the
/// compilation does not reference ASP.NET Core.
/// </summary>
internal sealed class RequestHandlers
{
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

    private RequestHandlers(WellKnownTypes types, INamedTypeSymbol httpContext)
    {
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
    }

    public static RequestHandlers? Create(WellKnownTypes types)
    {
        var httpContext = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpContext);
        return httpContext is null ? null : new RequestHandlers(types, httpContext);
    }

    /// <summary>
    /// Classifies a declared method: MVC action, page handler, middleware entry point or none.
    /// Endpoint handlers are found from their <c>Map*</c> call instead (<see cref="GetEndpointHandler"/>).
    /// </summary>
    public RequestHandlerKind Classify(IMethodSymbol? method, bool includeMiddleware = false)
    {
        if (method is null || method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.IsAbstract
            || method.DeclaredAccessibility != Accessibility.Public || method.IsGenericMethod
            || method.ContainingType is not { TypeKind: TypeKind.Class } type)
        {
            return RequestHandlerKind.None;
        }

        if (IsController(type))
        {
            return method.HasAttributeThroughOverrides(_nonActionAttribute) || IsObjectOrDisposeMethod(method)
                ? RequestHandlerKind.None
                : RequestHandlerKind.MvcAction;
        }

        if (IsPageModel(type))
        {
            return IsPageHandlerName(method.Name) && !method.HasAttributeThroughOverrides(_nonHandlerAttribute)
                ? RequestHandlerKind.PageHandler
                : RequestHandlerKind.None;
        }

        if (includeMiddleware && IsMiddlewareEntryPoint(method))
        {
            return RequestHandlerKind.Middleware;
        }

        return RequestHandlerKind.None;
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
            || type.DeclaredAccessibility != Accessibility.Public || type.ContainingType is not null
            || type.IsGenericType || type.HasAttribute(_nonControllerAttribute, inherited: true))
        {
            return false;
        }

        return type.Name.EndsWith("Controller", StringComparison.OrdinalIgnoreCase) || type.HasAttribute(_controllerAttribute, inherited: true);
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
                case IMethodBodyOperation or IBlockOperation when current.Parent is null:
                    var method = containingSymbol as IMethodSymbol;
                    var kind = Classify(method, includeMiddleware);
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

    private static bool IsPageHandlerName(string name)
    {
        // On{Verb}[Handler][Async]: the verb is the run of characters after "On" up to the next capital letter.
        if (name.Length < 5 || !name.StartsWith("On", StringComparison.Ordinal) || !char.IsUpper(name[2]))
        {
            return false;
        }

        var end = 3;
        while (end < name.Length && !char.IsUpper(name[end]))
        {
            end++;
        }

        var verb = name.Substring(2, end - 2);
        return verb is "Get" or "Post" or "Put" or "Delete" or "Patch" or "Head" or "Options";
    }

    private static bool IsObjectOrDisposeMethod(IMethodSymbol method)
    {
        if (method.Name == "Dispose" && method.Parameters.Length == 0)
        {
            return true;
        }

        for (var overridden = method; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (overridden.ContainingType?.SpecialType == SpecialType.System_Object)
            {
                return true;
            }
        }

        return false;
    }
}
