using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;

namespace PerfRules.Notions;

/// <summary>
/// The shared notion "shared-cached response" (RULES.md): may a handler's response be stored and replayed to other users?
/// Facts on the handler itself (attributes, the endpoint's <c>.CacheOutput()</c> chain and route group) are read when the
/// handler is analysed (<see cref="Describe"/>); facts that live elsewhere in the project (<c>MapControllers().CacheOutput()</c>,
/// output-cache base and named policies, MVC cache profiles) are collected from every invocation
/// (<see cref="Collect(IInvocationOperation, CacheConventions)"/>) and applied once the whole compilation is seen
/// (<see cref="HandlerCacheFacts.Resolve"/>). Whatever cannot be read exactly (a named policy or profile that is not
/// registered in visible code, an <c>IOutputCachePolicy</c> object, a conditional <c>With(…)</c> policy) makes the
/// answer "not known to be shared": no guess.
/// </summary>
internal sealed class SharedCacheDetector
{
    private const int MaxChain = 16;

    private readonly INamedTypeSymbol? _outputCacheAttribute;
    private readonly INamedTypeSymbol? _responseCacheAttribute;
    private readonly INamedTypeSymbol? _outputCacheOptions;
    private readonly INamedTypeSymbol? _policyBuilder;
    private readonly INamedTypeSymbol? _conventionExtensions;
    private readonly INamedTypeSymbol? _cacheProfile;
    private readonly INamedTypeSymbol? _mvcOptions;
    private readonly INamedTypeSymbol? _httpMethodAttribute;
    private readonly INamedTypeSymbol? _httpGetAttribute;
    private readonly INamedTypeSymbol? _acceptVerbsAttribute;
    private readonly INamedTypeSymbol? _controllerEndpoints;
    private readonly INamedTypeSymbol? _pageEndpoints;
    private readonly INamedTypeSymbol? _routeGroupBuilder;
    private readonly INamedTypeSymbol? _httpRequest;
    private readonly INamedTypeSymbol? _authorizationConventions;

    private SharedCacheDetector(WellKnownTypes types, RequestHandlers handlers)
    {
        Handlers = handlers;
        _outputCacheAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_OutputCaching_OutputCacheAttribute);
        _responseCacheAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ResponseCacheAttribute);
        _outputCacheOptions = types.Get(WellKnownType.Microsoft_AspNetCore_OutputCaching_OutputCacheOptions);
        _policyBuilder = types.Get(WellKnownType.Microsoft_AspNetCore_OutputCaching_OutputCachePolicyBuilder);
        _conventionExtensions = types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_OutputCacheConventionBuilderExtensions);
        _cacheProfile = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_CacheProfile);
        _mvcOptions = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_MvcOptions);
        _httpMethodAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_Routing_HttpMethodAttribute);
        _httpGetAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_HttpGetAttribute);
        _acceptVerbsAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_AcceptVerbsAttribute);
        _controllerEndpoints = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_ControllerEndpointRouteBuilderExtensions);
        _pageEndpoints = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_RazorPagesEndpointRouteBuilderExtensions);
        _routeGroupBuilder = types.Get(WellKnownType.Microsoft_AspNetCore_Routing_RouteGroupBuilder);
        _httpRequest = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpRequest);
        _authorizationConventions = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_AuthorizationEndpointConventionBuilderExtensions);
    }

    public RequestHandlers Handlers { get; }

    /// <summary>
    /// The compilation's detector (one instance shared by every analyzer; it keeps no state, conventions are collected into a
    /// <see cref="CacheConventions"/> each analysis owns). Null without ASP.NET Core, or when the compilation has neither
    /// output caching nor MVC response caching (nothing can be shared-cached).
    /// </summary>
    public static SharedCacheDetector? Create(WellKnownTypes types)
        => types.GetShared(static t =>
        {
            if (RequestHandlers.Create(t) is not { } handlers)
            {
                return null;
            }

            var detector = new SharedCacheDetector(t, handlers);
            return detector._outputCacheAttribute is null && detector._responseCacheAttribute is null ? null : detector;
        });

    // ------------------------------------------------------------------ handler facts

    /// <summary>
    /// What the handler itself says about caching. <paramref name="mapCall"/> is the <c>Map*</c> call of an endpoint handler
    /// (<see cref="FindMapCall(RequestHandler, CancellationToken)"/>).
    /// </summary>
    public HandlerCacheFacts Describe(RequestHandler handler, IInvocationOperation? mapCall, CancellationToken cancellationToken)
    {
        var facts = new HandlerCacheFacts(handler.Kind);
        switch (handler.Kind)
        {
            case RequestHandlerKind.MvcAction:
                facts.IsGet = IsGetAction(handler.Method);
                DescribeAttributes(handler.Method, handler.Method.ContainingType, facts, includeMethod: true);
                break;
            case RequestHandlerKind.PageHandler:
                facts.IsGet = handler.Method.Name.StartsWith("OnGet", StringComparison.Ordinal);
                DescribeAttributes(handler.Method, handler.Method.ContainingType, facts, includeMethod: false);
                break;
            case RequestHandlerKind.EndpointHandler when mapCall is not null:
                facts.IsGet = IsGetMapping(mapCall);
                facts.DeclaresCaching |= FindDirect(handler.Method, _outputCacheAttribute) is not null || FindDirect(handler.Method, _responseCacheAttribute) is not null;
                // The body that holds the Map* call holds the route-group variables it is mapped on (for a method group, another
                // body than the handler's).
                DescribeEndpoint(mapCall, mapCall.GetRoot(), facts, cancellationToken);
                break;
            default:
                facts.IsGet = false;
                break;
        }

        return facts;
    }

    /// <summary>The <c>Map*</c> call whose handler is <paramref name="lambdaOrLocalFunction"/> (a lambda operation), or null.</summary>
    public IInvocationOperation? FindMapCall(IOperation? lambdaOrLocalFunction)
    {
        var parent = lambdaOrLocalFunction?.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation } && Handlers.IsEndpointMapMethod(invocation.TargetMethod)
            ? invocation
            : null;
    }

    /// <summary>
    /// The <c>Map*</c> call of an endpoint handler written as a lambda, or passed as a method group (a local function, or a
    /// method mapped in its own file); null otherwise.
    /// </summary>
    public IInvocationOperation? FindMapCall(RequestHandler handler, CancellationToken cancellationToken = default)
    {
        if (handler.Body is IAnonymousFunctionOperation)
        {
            return FindMapCall(handler.Body);
        }

        // A method passed as a method group: the Map* call found when the method was recognised as a handler.
        if (handler is { Kind: RequestHandlerKind.EndpointHandler, Method.MethodKind: MethodKind.Ordinary, Body: { Parent: null } body })
        {
            return Handlers.FindMappingCall(handler.Method, body, cancellationToken);
        }

        // A local function passed as a method group: the Map* call is in the same scope.
        if (handler.Body is ILocalFunctionOperation { Parent: { } scope } localFunction)
        {
            foreach (var descendant in scope.Descendants())
            {
                if (descendant is IInvocationOperation invocation && Handlers.GetEndpointHandler(invocation) is { Lambda: null } target
                    && SymbolEqualityComparer.Default.Equals(target.Method, localFunction.Symbol))
                {
                    return invocation;
                }
            }
        }

        return null;
    }

    private void DescribeAttributes(IMethodSymbol method, INamedTypeSymbol? type, HandlerCacheFacts facts, bool includeMethod)
    {
        // The nearest attribute of each kind wins (MVC reads inherited attributes; the action's own overrides the controller's).
        var output = includeMethod ? FindOnMethod(method, _outputCacheAttribute) : null;
        var outputOwner = output is null ? null : (ISymbol)method;
        if (output is null)
        {
            (output, outputOwner) = FindOnType(type, _outputCacheAttribute);
        }

        var response = includeMethod ? FindOnMethod(method, _responseCacheAttribute) : null;
        var responseOwner = response is null ? null : (ISymbol)method;
        if (response is null)
        {
            (response, responseOwner) = FindOnType(type, _responseCacheAttribute);
        }

        var handlerOwner = includeMethod ? (ISymbol)method : type;
        facts.DeclaresCaching |= output is not null || response is not null;
        if (output is not null)
        {
            ReadOutputCacheAttribute(output, outputOwner!, SymbolEqualityComparer.Default.Equals(outputOwner, handlerOwner), facts);
        }

        if (response is not null)
        {
            ReadResponseCacheAttribute(response, responseOwner!, SymbolEqualityComparer.Default.Equals(responseOwner, handlerOwner), facts);
        }
    }

    private static AttributeData? FindOnMethod(IMethodSymbol method, INamedTypeSymbol? attributeType)
    {
        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            if (FindDirect(current, attributeType) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static (AttributeData?, ISymbol?) FindOnType(INamedTypeSymbol? type, INamedTypeSymbol? attributeType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (FindDirect(current, attributeType) is { } found)
            {
                return (found, current);
            }
        }

        return (null, null);
    }

    private static AttributeData? FindDirect(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass.IsOrInherits(attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    private static void ReadOutputCacheAttribute(AttributeData attribute, ISymbol owner, bool onHandler, HandlerCacheFacts facts)
    {
        var noStore = false;
        var varies = false;
        string? policyName = null;
        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value;
            if (value.Kind == TypedConstantKind.Error)
            {
                facts.OutputUnknown = true; // code being typed: say nothing rather than guess
                return;
            }

            switch (argument.Key)
            {
                case "NoStore":
                    noStore = value.Value is true;
                    break;
                case "VaryByHeaderNames" when value.Kind == TypedConstantKind.Array && !value.IsNull:
                    foreach (var item in value.Values)
                    {
                        varies |= item.Value is string header && IsCookieHeader(header);
                    }

                    break;
                case "PolicyName":
                    policyName = value.Value as string;
                    break;
            }
        }

        if (noStore)
        {
            facts.OutputOptOut = true;
            return;
        }

        var cache = new SharedCache(SharedCacheKind.OutputCacheAttribute, Describe(attribute, owner), varies, attribute.ApplicationSyntaxReference, onHandler);
        if (policyName is not null)
        {
            facts.PendingOutputPolicy = (policyName, cache);
        }
        else
        {
            facts.OutputCache = cache;
        }
    }

    private static void ReadResponseCacheAttribute(AttributeData attribute, ISymbol owner, bool onHandler, HandlerCacheFacts facts)
    {
        var values = new ResponseCacheValues();
        string? profile = null;
        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value;
            if (value.Kind == TypedConstantKind.Error)
            {
                return;
            }

            switch (argument.Key)
            {
                case "Duration" when value.Value is int duration:
                    values.Duration = duration;
                    break;
                case "Location" when value.Value is int location:
                    values.Location = location;
                    break;
                case "NoStore" when value.Value is bool noStore:
                    values.NoStore = noStore;
                    break;
                case "VaryByHeader":
                    values.VaryByHeader = value.Value as string;
                    values.HasVaryByHeader = true;
                    break;
                case "CacheProfileName":
                    profile = value.Value as string;
                    break;
            }
        }

        var source = Describe(attribute, owner);
        if (profile is not null)
        {
            facts.PendingProfile = (profile, values, source, attribute.ApplicationSyntaxReference, onHandler);
        }
        else
        {
            facts.ResponseCache = values.ToSharedCache(source, attribute.ApplicationSyntaxReference, onHandler);
        }
    }

    private static string Describe(AttributeData attribute, ISymbol owner)
    {
        var written = attribute.ApplicationSyntaxReference?.GetSyntax().ToString();
        var shown = written is { Length: > 0 and <= 60 } ? "[" + written + "]" : "[" + TrimAttributeSuffix(attribute.AttributeClass?.Name) + "]";
        return shown + " on '" + owner.Name + "'";
    }

    private static string TrimAttributeSuffix(string? name)
        => name is null ? "?" : name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;

    private bool IsGetAction(IMethodSymbol method)
    {
        var constrained = false;
        foreach (var attribute in method.GetAttributes())
        {
            if (!attribute.AttributeClass.IsOrInherits(_httpMethodAttribute) && !attribute.AttributeClass.IsOrInherits(_acceptVerbsAttribute))
            {
                continue;
            }

            constrained = true;
            if (attribute.AttributeClass.IsOrInherits(_httpGetAttribute))
            {
                return true;
            }

            foreach (var argument in attribute.ConstructorArguments)
            {
                var items = argument.Kind == TypedConstantKind.Array ? argument.Values : ImmutableArray.Create(argument);
                foreach (var item in items)
                {
                    if (item.Value is string verb && (verb.Equals("GET", StringComparison.OrdinalIgnoreCase) || verb.Equals("HEAD", StringComparison.OrdinalIgnoreCase)))
                    {
                        return true;
                    }
                }
            }
        }

        return !constrained;
    }

    private static bool IsGetMapping(IInvocationOperation mapCall)
    {
        switch (mapCall.TargetMethod.Name)
        {
            case "MapGet" or "Map" or "MapFallback":
                return true;
            case "MapMethods":
                foreach (var argument in mapCall.Arguments)
                {
                    if (argument.Parameter?.Name != "httpMethods")
                    {
                        continue;
                    }

                    var value = argument.Value.WalkDownConversions();
                    var elements = value switch
                    {
                        IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
                        _ => default,
                    };
                    if (elements.IsDefault)
                    {
                        return true; // not readable (a variable, a collection expression): the methods may include GET
                    }

                    foreach (var element in elements)
                    {
                        if (element.ConstantValue is { HasValue: true, Value: string verb } && verb.Equals("GET", StringComparison.OrdinalIgnoreCase))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                return true;
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------ endpoints and route groups

    private void DescribeEndpoint(IInvocationOperation mapCall, IOperation? scope, HandlerCacheFacts facts, CancellationToken cancellationToken)
    {
        // Conventions chained after the Map call: app.MapGet(...).CacheOutput().
        IOperation current = mapCall;
        for (var i = 0; i < MaxChain; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (NextInChain(current) is not { } next)
            {
                break;
            }

            ApplyCacheOutput(next, "the endpoint", facts);
            ApplyAuthorization(next, facts);
            current = next;
        }

        // Conventions on the route groups the endpoint is mapped on: app.MapGroup("/x").CacheOutput().MapGet(...), or a group variable.
        DescribeReceiverChain(mapCall.GetReceiver(), scope, facts, 0, cancellationToken);
    }

    private void DescribeReceiverChain(IOperation? receiver, IOperation? scope, HandlerCacheFacts facts, int depth, CancellationToken cancellationToken)
    {
        for (var i = 0; receiver is not null && i < MaxChain && depth < MaxChain; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            receiver = receiver.WalkDownConversions();
            switch (receiver)
            {
                case IInvocationOperation invocation:
                    ApplyCacheOutput(invocation, "the route group", facts);
                    ApplyAuthorization(invocation, facts);
                    receiver = invocation.GetReceiver();
                    continue;
                case ILocalReferenceOperation local when scope is not null && _routeGroupBuilder is not null
                                                         && local.Local.Type.IsOrInherits(_routeGroupBuilder):
                    DescribeGroupVariable(local.Local, scope, facts, depth + 1, cancellationToken);
                    return;
                default:
                    return;
            }
        }
    }

    private void DescribeGroupVariable(ILocalSymbol local, IOperation scope, HandlerCacheFacts facts, int depth, CancellationToken cancellationToken)
    {
        foreach (var descendant in scope.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (descendant)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    DescribeReceiverChain(declarator.Initializer?.Value, scope, facts, depth, cancellationToken);
                    break;
                case IInvocationOperation invocation when (IsCacheOutput(invocation.TargetMethod) || IsRequireAuthorization(invocation.TargetMethod))
                                                          && invocation.GetReceiver()?.WalkDownConversions() is ILocalReferenceOperation reference
                                                          && SymbolEqualityComparer.Default.Equals(reference.Local, local):
                    ApplyCacheOutput(invocation, "the route group", facts);
                    ApplyAuthorization(invocation, facts);
                    break;
            }
        }
    }

    private static IInvocationOperation? NextInChain(IOperation current)
    {
        var parent = current.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            current = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IArgumentOperation { Parent: IInvocationOperation next } argument when next.TargetMethod.IsExtensionMethod && next.Arguments.Length > 0 && next.Arguments[0] == argument => next,
            IInvocationOperation next when next.Instance == current => next,
            _ => null,
        };
    }

    private bool IsCacheOutput(IMethodSymbol method)
        => method.Name == "CacheOutput" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _conventionExtensions);

    private bool IsRequireAuthorization(IMethodSymbol method)
        => method.Name == "RequireAuthorization" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _authorizationConventions);

    private void ApplyAuthorization(IInvocationOperation invocation, HandlerCacheFacts facts)
        => facts.RequiresAuthorization |= IsRequireAuthorization(invocation.TargetMethod);

    private void ApplyCacheOutput(IInvocationOperation invocation, string where, HandlerCacheFacts facts)
    {
        if (!IsCacheOutput(invocation.TargetMethod))
        {
            return;
        }

        facts.DeclaresCaching = true;

        var source = "'.CacheOutput()' on " + where;
        if (ReadCacheOutputCall(invocation) is not { } policy)
        {
            facts.OutputUnknown = true;
            return;
        }

        if (policy.PolicyName is not null)
        {
            facts.PendingOutputPolicy = (policy.PolicyName, new SharedCache(SharedCacheKind.CacheOutputConvention, "'.CacheOutput(\"" + policy.PolicyName + "\")' on " + where, false, null, false));
        }
        else if (policy.Facts.Caches)
        {
            facts.OutputCache ??= new SharedCache(SharedCacheKind.CacheOutputConvention, source, policy.Facts.VariesByCookie, null, false);
        }
        else
        {
            facts.OutputOptOut = true;
        }
    }

    /// <summary>A <c>CacheOutput(…)</c> call read: a named policy, or the facts of the inline policy; null when not readable.</summary>
    private (string? PolicyName, PolicyFacts Facts)? ReadCacheOutputCall(IInvocationOperation invocation)
    {
        IOperation? builder = null;
        var excludeDefault = false;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is null || argument.Parameter.Ordinal == 0)
            {
                continue;
            }

            var type = argument.Parameter.Type;
            if (type.SpecialType == SpecialType.System_String)
            {
                return argument.Value.ConstantValue is { HasValue: true, Value: string name } ? (name, default) : null;
            }

            if (type.SpecialType == SpecialType.System_Boolean)
            {
                if (argument.Value.ConstantValue is not { HasValue: true, Value: bool exclude })
                {
                    return null;
                }

                excludeDefault = exclude;
            }
            else if (type.TypeKind == TypeKind.Delegate)
            {
                builder = argument.Value;
            }
            else
            {
                return null; // an IOutputCachePolicy object: not readable
            }
        }

        if (builder is null)
        {
            return (null, new PolicyFacts(Known: true, Caches: true, VariesByCookie: false));
        }

        var facts = ReadPolicyBuilder(builder, excludeDefault);
        return facts.Known ? (null, facts) : null;
    }

    // ------------------------------------------------------------------ project-wide conventions

    /// <summary>
    /// Records what an invocation anywhere in the project says about caching: <c>MapControllers()/MapRazorPages().CacheOutput(…)</c>,
    /// <c>AddBasePolicy(…)</c>, <c>AddPolicy("name", …)</c> and <c>CacheProfiles.Add("name", new CacheProfile { … })</c>.
    /// </summary>
    public void Collect(IInvocationOperation invocation, CacheConventions conventions)
    {
        // Asked of every call of the project: the name is read once, and a type only for the five names that configure caching.
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "CacheOutput" when IsCacheOutput(method):
                CollectMappedCacheOutput(invocation, conventions);
                return;
            case "RequireAuthorization" when IsRequireAuthorization(method):
                CollectMappedAuthorization(invocation, conventions);
                return;
            case "AddBasePolicy" when IsOutputCacheOptionsMethod(method):
                conventions.AddBasePolicy(ReadOptionsPolicy(invocation, firstPolicyArgument: 0));
                return;
            case "AddPolicy" when IsOutputCacheOptionsMethod(method):
                if (invocation.Arguments.Length > 0 && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name })
                {
                    conventions.AddPolicy(name, ReadOptionsPolicy(invocation, firstPolicyArgument: 1));
                }

                return;
            // options.CacheProfiles.Add("name", new CacheProfile { ... })
            case "Add" when invocation.Instance?.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "CacheProfiles" } profiles
                            && SymbolEqualityComparer.Default.Equals(profiles.Property.ContainingType, _mvcOptions)
                            && invocation.Arguments.Length == 2
                            && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string profileName }:
                conventions.AddProfile(profileName, ReadProfile(invocation.Arguments[1].Value));
                return;
        }
    }

    private bool IsOutputCacheOptionsMethod(IMethodSymbol method)
        => _outputCacheOptions is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, _outputCacheOptions);

    /// <summary>Records <c>options.CacheProfiles["name"] = new CacheProfile { … }</c>.</summary>
    public void Collect(ISimpleAssignmentOperation assignment, CacheConventions conventions)
    {
        if (assignment.Target is IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
            && indexer.Instance?.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "CacheProfiles" } profiles
            && SymbolEqualityComparer.Default.Equals(profiles.Property.ContainingType, _mvcOptions)
            && indexer.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string profileName })
        {
            conventions.AddProfile(profileName, ReadProfile(assignment.Value));
        }
    }

    private void CollectMappedCacheOutput(IInvocationOperation cacheOutput, CacheConventions conventions)
    {
        var receiver = cacheOutput.GetReceiver();
        for (var i = 0; receiver is not null && i < MaxChain; i++)
        {
            if (receiver.WalkDownConversions() is not IInvocationOperation call)
            {
                return;
            }

            var method = call.TargetMethod;
            var toControllers = method.Name == "MapControllers" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _controllerEndpoints);
            var toPages = method.Name == "MapRazorPages" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _pageEndpoints);
            if (toControllers || toPages)
            {
                var where = toControllers ? "MapControllers()" : "MapRazorPages()";
                var read = ReadCacheOutputCall(cacheOutput);
                var convention = read is null
                    ? new MappedConvention(null, PolicyFacts.Unknown, where)
                    : new MappedConvention(read.Value.PolicyName, read.Value.Facts, where);
                conventions.AddMapped(toControllers, convention);
                return;
            }

            receiver = call.GetReceiver();
        }
    }

    private void CollectMappedAuthorization(IInvocationOperation requireAuthorization, CacheConventions conventions)
    {
        var receiver = requireAuthorization.GetReceiver();
        for (var i = 0; receiver is not null && i < MaxChain; i++)
        {
            if (receiver.WalkDownConversions() is not IInvocationOperation call)
            {
                return;
            }

            var method = call.TargetMethod;
            if (method.Name == "MapControllers" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _controllerEndpoints))
            {
                conventions.AddMappedAuthorization(controllers: true);
                return;
            }

            if (method.Name == "MapRazorPages" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _pageEndpoints))
            {
                conventions.AddMappedAuthorization(controllers: false);
                return;
            }

            receiver = call.GetReceiver();
        }
    }

    private PolicyFacts ReadOptionsPolicy(IInvocationOperation invocation, int firstPolicyArgument)
    {
        IOperation? builder = null;
        var excludeDefault = false;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is null || argument.Parameter.Ordinal < firstPolicyArgument)
            {
                continue;
            }

            var type = argument.Parameter.Type;
            if (type.SpecialType == SpecialType.System_Boolean)
            {
                if (argument.Value.ConstantValue is not { HasValue: true, Value: bool exclude })
                {
                    return PolicyFacts.Unknown;
                }

                excludeDefault = exclude;
            }
            else if (type.TypeKind == TypeKind.Delegate)
            {
                builder = argument.Value;
            }
            else
            {
                return PolicyFacts.Unknown;
            }
        }

        return builder is null ? PolicyFacts.Unknown : ReadPolicyBuilder(builder, excludeDefault);
    }

    /// <summary>
    /// What a policy-builder lambda does. The builder starts from the default policy (GET/HEAD, 200, unauthenticated,
    /// no Set-Cookie) unless <paramref name="excludeDefault"/>; <c>NoCache()</c> turns storage off; <c>With(…)</c> makes
    /// it conditional (not readable); <c>SetVaryByHeader("Cookie")</c> or a <c>VaryByValue</c> reading cookies varies it.
    /// </summary>
    private PolicyFacts ReadPolicyBuilder(IOperation builder, bool excludeDefault)
    {
        var value = builder.WalkDownConversions();
        if (value is IDelegateCreationOperation creation)
        {
            value = creation.Target.WalkDownConversions();
        }

        if (value is not IAnonymousFunctionOperation lambda || _policyBuilder is null)
        {
            return PolicyFacts.Unknown;
        }

        var noCache = false;
        var cache = false;
        var varies = false;
        foreach (var descendant in lambda.Body.Descendants())
        {
            if (descendant is not IInvocationOperation call || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, _policyBuilder))
            {
                continue;
            }

            switch (call.TargetMethod.Name)
            {
                case "NoCache":
                    noCache = true;
                    break;
                case "Cache":
                    cache = true;
                    break;
                case "With" or "AddPolicy":
                    return PolicyFacts.Unknown;
                case "SetVaryByHeader":
                    varies |= NamesCookieHeader(call);
                    break;
                case "VaryByValue":
                    varies |= ReadsCookies(call);
                    break;
            }
        }

        return new PolicyFacts(Known: true, Caches: !noCache && (cache || !excludeDefault), VariesByCookie: varies);
    }

    private static bool NamesCookieHeader(IInvocationOperation call)
    {
        foreach (var descendant in call.Descendants())
        {
            if (descendant.ConstantValue is { HasValue: true, Value: string header } && IsCookieHeader(header))
            {
                return true;
            }
        }

        return false;
    }

    private bool ReadsCookies(IInvocationOperation call)
    {
        foreach (var descendant in call.Descendants())
        {
            if (descendant is IPropertyReferenceOperation { Property.Name: "Cookies" } cookies
                && SymbolEqualityComparer.Default.Equals(cookies.Property.ContainingType, _httpRequest))
            {
                return true;
            }
        }

        return NamesCookieHeader(call);
    }

    private ResponseCacheValues? ReadProfile(IOperation value)
    {
        if (value.WalkDownConversions() is not IObjectCreationOperation creation || !SymbolEqualityComparer.Default.Equals(creation.Type, _cacheProfile))
        {
            return null;
        }

        var values = new ResponseCacheValues();
        if (creation.Initializer is null)
        {
            return values;
        }

        foreach (var initializer in creation.Initializer.Initializers)
        {
            if (initializer is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
            {
                return null;
            }

            var constant = assignment.Value.WalkDownConversions().ConstantValue; // int? and bool? members: under the nullable conversion
            if (!constant.HasValue)
            {
                return null; // a value computed at run time: not readable
            }

            switch (property.Property.Name)
            {
                case "Duration":
                    values.Duration = constant.Value as int?;
                    break;
                case "Location":
                    values.Location = constant.Value as int?;
                    break;
                case "NoStore":
                    values.NoStore = constant.Value as bool?;
                    break;
                case "VaryByHeader":
                    values.VaryByHeader = constant.Value as string;
                    values.HasVaryByHeader = true;
                    break;
            }
        }

        return values;
    }

    internal static bool IsCookieHeader(string header)
    {
        foreach (var part in header.Split(','))
        {
            if (part.Trim().Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>What a policy builder does: whether it stores responses and whether it keys entries by cookies. Unknown: not readable.</summary>
internal readonly record struct PolicyFacts(bool Known, bool Caches, bool VariesByCookie)
{
    public static PolicyFacts Unknown => new(false, false, false);
}

/// <summary><c>.CacheOutput(…)</c> applied to every controller action or every page.</summary>
internal sealed record MappedConvention(string? PolicyName, PolicyFacts Facts, string Where);

/// <summary>The values of a <c>[ResponseCache]</c> attribute or a <c>CacheProfile</c>; null members are not set.</summary>
internal sealed class ResponseCacheValues
{
    private const int AnyLocation = 0;

    public int? Duration { get; set; }

    public int? Location { get; set; }

    public bool? NoStore { get; set; }

    public string? VaryByHeader { get; set; }

    public bool HasVaryByHeader { get; set; }

    /// <summary>The attribute's own values over the profile's, as <c>ResponseCacheAttribute.GetCacheProfile</c> merges them.</summary>
    public ResponseCacheValues Over(ResponseCacheValues profile) => new()
    {
        Duration = Duration ?? profile.Duration,
        Location = Location ?? profile.Location,
        NoStore = NoStore ?? profile.NoStore,
        VaryByHeader = HasVaryByHeader ? VaryByHeader : profile.VaryByHeader,
        HasVaryByHeader = HasVaryByHeader || profile.HasVaryByHeader,
    };

    /// <summary>
    /// Shared (a public Cache-Control with a positive max-age) only when the location is Any (the default), NoStore is
    /// off and a duration is set: without one and without NoStore, MVC throws instead of caching.
    /// </summary>
    public SharedCache? ToSharedCache(string source, SyntaxReference? attribute, bool onHandler)
        => NoStore == true || (Location ?? AnyLocation) != AnyLocation || Duration is not > 0
            ? null
            : new SharedCache(SharedCacheKind.ResponseCacheAttribute, source, VaryByHeader is not null && SharedCacheDetector.IsCookieHeader(VaryByHeader), attribute, onHandler);
}

/// <summary>
/// What one handler says about caching on its own; <see cref="Resolve"/> adds the project-wide conventions.
/// </summary>
internal sealed class HandlerCacheFacts(RequestHandlerKind kind)
{
    public RequestHandlerKind Kind { get; } = kind;

    /// <summary>GET (or HEAD, or any method): the only requests ASP.NET Core's caches store.</summary>
    public bool IsGet { get; set; }

    public SharedCache? OutputCache { get; set; }

    public SharedCache? ResponseCache { get; set; }

    /// <summary>Output caching is explicitly off for this handler (<c>NoStore</c>, <c>NoCache()</c>).</summary>
    public bool OutputOptOut { get; set; }

    /// <summary>An output-cache policy that cannot be read: no answer from output caching.</summary>
    public bool OutputUnknown { get; set; }

    public (string Name, SharedCache Cache)? PendingOutputPolicy { get; set; }

    public (string Name, ResponseCacheValues Values, string Source, SyntaxReference? Attribute, bool OnHandler)? PendingProfile { get; set; }

    /// <summary>
    /// Any caching decision is written for this handler, shared or not: an <c>[OutputCache]</c>/<c>[ResponseCache]</c> attribute
    /// (whatever its values: client-only, <c>NoStore</c>, a named policy or profile), or a <c>.CacheOutput(…)</c> convention on
    /// the endpoint or its route group. PERF003 asks this, not <see cref="Resolve"/>.
    /// </summary>
    public bool DeclaresCaching { get; set; }

    /// <summary><c>.RequireAuthorization(…)</c> on the endpoint or one of its route groups.</summary>
    public bool RequiresAuthorization { get; set; }

    /// <summary>True when project-wide conventions may change the answer of <see cref="Resolve"/> with no conventions.</summary>
    public bool DependsOnConventions
        => IsGet && (PendingOutputPolicy is not null || PendingProfile is not null
                     || (OutputCache is null && !OutputOptOut && !OutputUnknown));

    /// <summary>
    /// Every source that shares the response, the handler's own first; empty when none is known. With no
    /// <paramref name="conventions"/>, only what the handler says on its own.
    /// </summary>
    public ImmutableArray<SharedCache> Resolve(CacheConventions? conventions)
    {
        if (!IsGet)
        {
            return ImmutableArray<SharedCache>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<SharedCache>();
        if (!OutputOptOut && !OutputUnknown)
        {
            if (OutputCache is not null)
            {
                result.Add(OutputCache);
            }
            else if (PendingOutputPolicy is { } pending)
            {
                if (conventions?.GetPolicy(pending.Name) is { Known: true, Caches: true } policy)
                {
                    result.Add(pending.Cache with { VariesByCookie = pending.Cache.VariesByCookie || policy.VariesByCookie });
                }
            }
            else if (conventions is not null && conventions.Resolve(Kind) is { } convention)
            {
                result.Add(convention);
            }
        }

        if (ResponseCache is not null)
        {
            result.Add(ResponseCache);
        }
        else if (PendingProfile is { } profile && conventions?.GetProfile(profile.Name) is { } values
                 && profile.Values.Over(values).ToSharedCache(profile.Source, profile.Attribute, profile.OnHandler) is { } shared)
        {
            result.Add(shared);
        }

        return result.ToImmutable();
    }
}

/// <summary>Project-wide caching conventions, collected from every invocation (thread-safe).</summary>
internal sealed class CacheConventions
{
    private readonly object _gate = new();
    private readonly Dictionary<string, PolicyFacts> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResponseCacheValues?> _profiles = new(StringComparer.Ordinal);
    private readonly List<PolicyFacts> _basePolicies = new();
    private readonly List<MappedConvention> _controllers = new();
    private readonly List<MappedConvention> _pages = new();
    private bool _controllersAuthorized;
    private bool _pagesAuthorized;

    public void AddPolicy(string name, PolicyFacts facts)
    {
        lock (_gate)
        {
            // The same name registered twice (e.g. per environment): only an identical reading is kept.
            _policies[name] = _policies.TryGetValue(name, out var existing) && existing != facts ? PolicyFacts.Unknown : facts;
        }
    }

    public void AddProfile(string name, ResponseCacheValues? values)
    {
        lock (_gate)
        {
            _profiles[name] = _profiles.ContainsKey(name) ? null : values;
        }
    }

    public void AddBasePolicy(PolicyFacts facts)
    {
        lock (_gate)
        {
            _basePolicies.Add(facts);
        }
    }

    public void AddMapped(bool controllers, MappedConvention convention)
    {
        lock (_gate)
        {
            (controllers ? _controllers : _pages).Add(convention);
        }
    }

    /// <summary>Records <c>MapControllers()/MapRazorPages().RequireAuthorization(…)</c>.</summary>
    public void AddMappedAuthorization(bool controllers)
    {
        lock (_gate)
        {
            if (controllers)
            {
                _controllersAuthorized = true;
            }
            else
            {
                _pagesAuthorized = true;
            }
        }
    }

    /// <summary>Every handler of this kind requires authorization (<c>MapControllers()/MapRazorPages().RequireAuthorization()</c>).</summary>
    public bool RequiresAuthorization(RequestHandlerKind kind)
    {
        lock (_gate)
        {
            return kind switch
            {
                RequestHandlerKind.MvcAction => _controllersAuthorized,
                RequestHandlerKind.PageHandler => _pagesAuthorized,
                _ => false,
            };
        }
    }

    /// <summary>
    /// A project-wide caching decision covers handlers of this kind, whatever it decides: a <c>.CacheOutput(…)</c> on
    /// <c>MapControllers()</c>/<c>MapRazorPages()</c>, or any output-cache base policy (PERF003: "caching from any source").
    /// </summary>
    public bool DeclaresCaching(RequestHandlerKind kind)
    {
        lock (_gate)
        {
            var mapped = kind switch
            {
                RequestHandlerKind.MvcAction => _controllers,
                RequestHandlerKind.PageHandler => _pages,
                _ => null,
            };
            return mapped is { Count: > 0 } || _basePolicies.Count > 0;
        }
    }

    /// <summary>The names of the registered policies (<c>AddPolicy("name", …)</c>) known to store responses without varying by cookie, in ordinal order.</summary>
    public ImmutableArray<string> CachingPolicyNames()
    {
        lock (_gate)
        {
            var names = new List<string>();
            foreach (var pair in _policies)
            {
                if (pair.Value is { Known: true, Caches: true, VariesByCookie: false })
                {
                    names.Add(pair.Key);
                }
            }

            names.Sort(StringComparer.Ordinal);
            return names.ToImmutableArray();
        }
    }

    public PolicyFacts? GetPolicy(string name)
    {
        lock (_gate)
        {
            return _policies.TryGetValue(name, out var facts) ? facts : null;
        }
    }

    public ResponseCacheValues? GetProfile(string name)
    {
        lock (_gate)
        {
            return _profiles.TryGetValue(name, out var values) ? values : null;
        }
    }

    /// <summary>The convention that output-caches every handler of this kind: MapControllers()/MapRazorPages().CacheOutput(…), then a base policy.</summary>
    public SharedCache? Resolve(RequestHandlerKind kind)
    {
        lock (_gate)
        {
            var mapped = kind switch
            {
                RequestHandlerKind.MvcAction => _controllers,
                RequestHandlerKind.PageHandler => _pages,
                _ => null,
            };
            if (mapped is not null)
            {
                foreach (var convention in mapped)
                {
                    var facts = convention.PolicyName is null ? convention.Facts : _policies.TryGetValue(convention.PolicyName, out var named) ? named : PolicyFacts.Unknown;
                    if (facts is { Known: true, Caches: true })
                    {
                        var written = convention.PolicyName is null ? "'.CacheOutput()'" : "'.CacheOutput(\"" + convention.PolicyName + "\")'";
                        return new SharedCache(SharedCacheKind.CacheOutputConvention, written + " on " + convention.Where, facts.VariesByCookie, null, false);
                    }
                }
            }

            if (kind is RequestHandlerKind.MvcAction or RequestHandlerKind.PageHandler or RequestHandlerKind.EndpointHandler)
            {
                foreach (var policy in _basePolicies)
                {
                    if (policy is { Known: true, Caches: true })
                    {
                        return new SharedCache(SharedCacheKind.OutputCacheBasePolicy, "the output-cache base policy (AddBasePolicy)", policy.VariesByCookie, null, false);
                    }
                }
            }

            return null;
        }
    }
}
