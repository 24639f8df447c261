using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;
using PerfRules.Notions;
using PerfRules.Razor;

namespace PerfRules.Caching;

/// <summary>One use of the request's cookies (PERF002) or one cookie write (PERF006), as it reads in a message.</summary>
/// <param name="Display">"'Request.Cookies[\"culture\"]' is read", "'Response.Cookies.Append(…)' sets a cookie".</param>
/// <param name="Location">Where the use is written.</param>
internal readonly record struct CookieUse(string Display, Location Location);

/// <summary>
/// Recognises, by symbol, the operations that read the request's cookies (<c>Request.Cookies</c> in any form, the <c>Cookie</c>
/// header, session reads) and those that make a response set a cookie (<c>Response.Cookies.Append/Delete</c>, the
/// <c>Set-Cookie</c> header, session writes, TempData, sign-in and sign-out).
/// </summary>
internal sealed class CookieUses
{
    private const int MaxShown = 60;

    private readonly INamedTypeSymbol _httpRequest;
    private readonly INamedTypeSymbol _httpResponse;
    private readonly INamedTypeSymbol? _responseCookies;
    private readonly INamedTypeSymbol? _headers;
    private readonly INamedTypeSymbol? _session;
    private readonly INamedTypeSymbol? _sessionExtensions;
    private readonly INamedTypeSymbol? _tempData;
    private readonly INamedTypeSymbol? _authenticationExtensions;
    private readonly INamedTypeSymbol? _controllerBase;
    private readonly INamedTypeSymbol? _results;
    private readonly INamedTypeSymbol? _typedResults;

    private readonly AntiforgeryViews? _views;
    private readonly TemplateRenders? _renders;
    private readonly INamedTypeSymbol? _actionName;

    private CookieUses(WellKnownTypes types, INamedTypeSymbol httpRequest, INamedTypeSymbol httpResponse, AntiforgeryViews? views)
    {
        _views = views;
        _renders = views is null ? null : TemplateRenders.Create(types);
        _actionName = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ActionNameAttribute);
        _httpRequest = httpRequest;
        _httpResponse = httpResponse;
        _responseCookies = types.Get(WellKnownType.Microsoft_AspNetCore_Http_IResponseCookies);
        _headers = types.Get(WellKnownType.Microsoft_AspNetCore_Http_IHeaderDictionary);
        _session = types.Get(WellKnownType.Microsoft_AspNetCore_Http_ISession);
        _sessionExtensions = types.Get(WellKnownType.Microsoft_AspNetCore_Http_SessionExtensions);
        _tempData = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ViewFeatures_ITempDataDictionary);
        _authenticationExtensions = types.Get(WellKnownType.Microsoft_AspNetCore_Authentication_AuthenticationHttpContextExtensions);
        _controllerBase = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ControllerBase);
        _results = types.Get(WellKnownType.Microsoft_AspNetCore_Http_Results);
        _typedResults = types.Get(WellKnownType.Microsoft_AspNetCore_Http_TypedResults);
    }

    /// <param name="views">The project's Razor views, to find renders whose view generates an antiforgery token; null without views.</param>
    public static CookieUses? Create(WellKnownTypes types, AntiforgeryViews? views = null)
    {
        var request = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpRequest);
        var response = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponse);
        return request is null || response is null ? null : new CookieUses(types, request, response, views);
    }

    /// <summary>
    /// <c>View()</c>/<c>PartialView()</c> of a controller or <c>Page()</c> of a page model whose view generates an antiforgery
    /// token: the token sets the antiforgery cookie for a visitor who has none.
    /// </summary>
    private CookieUse? FindAntiforgeryRender(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        // What renders a template is the shared notion's call; which view it renders is this rule's.
        if (_views is null || _renders?.Classify(invocation) is not { } kind
            || kind is not (TemplateRenderKind.View or TemplateRenderKind.PartialView or TemplateRenderKind.Page))
        {
            return null;
        }

        var candidates = kind == TemplateRenderKind.Page ? PageCandidates(invocation) : ViewCandidates(invocation, cancellationToken);
        if (candidates.Count == 0 || _views.FindTokenView(candidates, cancellationToken) is not { } found)
        {
            return null;
        }

        var shown = found.View.Replace('\\', '/');
        var pages = shown.LastIndexOf("/Pages/", StringComparison.OrdinalIgnoreCase);
        shown = pages >= 0 ? shown.Substring(pages + 1) : shown;
        return new CookieUse("'" + Show(invocation) + "' renders '" + shown + "' with " + found.Generator + ", which sets the antiforgery cookie", invocation.Syntax.GetLocation());
    }

    // Page(): the .cshtml next to the page model's .cshtml.cs file.
    private static List<string> PageCandidates(IInvocationOperation invocation)
    {
        var candidates = new List<string>();
        if (invocation.Instance?.Type is INamedTypeSymbol model)
        {
            foreach (var reference in model.DeclaringSyntaxReferences)
            {
                var path = reference.SyntaxTree.FilePath;
                if (path.EndsWith(".cshtml.cs", StringComparison.OrdinalIgnoreCase))
                {
                    candidates.Add(path.Substring(0, path.Length - 3));
                }
            }
        }

        return candidates;
    }

    // View()/PartialView(): Views/{controller}/{view}.cshtml, then Views/Shared/{view}.cshtml, as MVC's view engine looks.
    private List<string> ViewCandidates(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        if (invocation.Instance?.Type is not INamedTypeSymbol controller)
        {
            return candidates;
        }

        string? name = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "viewName" && argument.ArgumentKind == ArgumentKind.Explicit)
            {
                if (argument.Value.ConstantValue is not { HasValue: true, Value: string viewName })
                {
                    return candidates; // a view chosen at run time: unknown
                }

                name = viewName;
            }
        }

        if (name is not null && (name.StartsWith("~/", StringComparison.Ordinal) || name.StartsWith("/", StringComparison.Ordinal) || name.EndsWith(".cshtml", StringComparison.OrdinalIgnoreCase)))
        {
            candidates.Add(name.TrimStart('~', '/'));
            return candidates;
        }

        name ??= ActionName(invocation, cancellationToken);
        if (name is null)
        {
            return candidates;
        }

        var controllerName = controller.Name.EndsWith("Controller", StringComparison.Ordinal) ? controller.Name.Substring(0, controller.Name.Length - "Controller".Length) : controller.Name;
        candidates.Add("Views/" + controllerName + "/" + name + ".cshtml");
        candidates.Add("Views/Shared/" + name + ".cshtml");
        return candidates;
    }

    // The action's name, as View() without a name uses it: [ActionName("…")], else the method name without "Async".
    // The action is the method declaration the call is written in (through any lambdas and local functions in it): its
    // declared symbol, which costs less than the semantic model's enclosing symbol (a binder for the call's position).
    private string? ActionName(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        if (invocation.Syntax.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } declaration
            || invocation.SemanticModel?.GetDeclaredSymbol(declaration, cancellationToken) is not IMethodSymbol { MethodKind: MethodKind.Ordinary } actionMethod)
        {
            return null;
        }

        foreach (var attribute in actionMethod.GetAttributes())
        {
            if (_actionName is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _actionName)
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string named)
            {
                return named;
            }
        }

        return actionMethod.Name.EndsWith("Async", StringComparison.Ordinal) && actionMethod.Name.Length > "Async".Length
            ? actionMethod.Name.Substring(0, actionMethod.Name.Length - "Async".Length)
            : actionMethod.Name;
    }

    /// <summary>A read of the request's cookies: <c>Request.Cookies</c> (indexer, TryGetValue, ContainsKey, enumeration…), the <c>Cookie</c> header, a session read.</summary>
    public CookieUse? FindRead(IOperation operation, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation property when IsMember(property.Property, _httpRequest, "Cookies"):
                // Show the whole access (Request.Cookies["culture"], Request.Cookies.TryGetValue(…)) when there is one.
                var shown = property.Parent is IPropertyReferenceOperation { Property.IsIndexer: true } or IInvocationOperation ? property.Parent : property;
                return new CookieUse("'" + Show(shown!) + "' is read", shown!.Syntax.GetLocation());
            case IPropertyReferenceOperation property when IsMember(property.Property, _httpRequest, "Headers")
                                                          && HeaderAccess(property, "Cookie") is { } header:
                return new CookieUse("the Cookie header is read ('" + Show(header) + "')", header.Syntax.GetLocation());
            case IInvocationOperation invocation when IsSessionRead(invocation.TargetMethod):
                return new CookieUse("the session is read ('" + Show(invocation) + "')", invocation.Syntax.GetLocation());
            case IPropertyReferenceOperation property when IsMember(property.Property, _session, "Keys"):
                return new CookieUse("the session is read ('" + Show(property) + "')", property.Syntax.GetLocation());
            default:
                return null;
        }
    }

    /// <summary>An operation that makes the response set (or delete) a cookie.</summary>
    public CookieUse? FindWrite(IOperation operation, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                if (method.Name is "Append" or "Delete" && method.ContainingType.IsOrInherits(_responseCookies))
                {
                    return new CookieUse("'" + Show(invocation) + "' sets a cookie", invocation.Syntax.GetLocation());
                }

                if (IsSessionWrite(method))
                {
                    return new CookieUse("'" + Show(invocation) + "' writes the session, which sets the session cookie", invocation.Syntax.GetLocation());
                }

                if (IsSignInOrOut(method))
                {
                    return new CookieUse("'" + Show(invocation) + "' sets the authentication cookie", invocation.Syntax.GetLocation());
                }

                return FindAntiforgeryRender(invocation, cancellationToken);
            case IPropertyReferenceOperation property when IsMember(property.Property, _httpResponse, "Headers")
                                                          && HeaderAccess(property, "Set-Cookie") is { } header && IsWrite(header):
                return new CookieUse("the Set-Cookie header is written ('" + Show(header) + "')", header.Syntax.GetLocation());
            case IPropertyReferenceOperation property when IsTempData(property.Type):
                var access = property.Parent is IPropertyReferenceOperation { Property.IsIndexer: true } or IInvocationOperation ? property.Parent : property;
                return new CookieUse("'" + Show(access!) + "' uses TempData, kept in a cookie by default", access!.Syntax.GetLocation());
            default:
                return null;
        }
    }

    /// <summary>
    /// The access to a named header on a header dictionary: <c>Headers["Cookie"]</c>, <c>Headers.Cookie</c>,
    /// <c>Headers.TryGetValue("Cookie", …)</c>, <c>Headers.Append("Set-Cookie", …)</c>; null for other headers.
    /// </summary>
    private IOperation? HeaderAccess(IPropertyReferenceOperation headers, string name)
    {
        var parent = headers.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is IArgumentOperation { Parent: IInvocationOperation extension } && extension.GetReceiver()?.WalkDownConversions() == headers)
        {
            parent = extension;
        }

        switch (parent)
        {
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer:
                return IsHeaderName(indexer.Arguments[0].Value, name) ? indexer : null;
            case IPropertyReferenceOperation named when named.Property.ContainingType.IsOrInherits(_headers):
                return named.Property.Name.Equals(name.Replace("-", string.Empty), StringComparison.Ordinal) ? named : null;
            case IInvocationOperation invocation:
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter?.Type.SpecialType == SpecialType.System_String && IsHeaderName(argument.Value, name))
                    {
                        return invocation;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsHeaderName(IOperation value, string name)
        => value.WalkDownConversions().ConstantValue is { HasValue: true, Value: string header } && header.Equals(name, StringComparison.OrdinalIgnoreCase);

    private static bool IsWrite(IOperation access)
    {
        if (access is IInvocationOperation invocation)
        {
            return !invocation.TargetMethod.Name.StartsWith("TryGet", StringComparison.Ordinal)
                && !invocation.TargetMethod.Name.StartsWith("Get", StringComparison.Ordinal)
                && invocation.TargetMethod.Name != "ContainsKey";
        }

        return access.Parent is IAssignmentOperation assignment && assignment.Target == access;
    }

    // Asked of every property read of every body: the types that cannot be TempData (value types, strings and the other
    // special types, type parameters, arrays) are rejected before the interface list is walked. ITempDataDictionary is not
    // generic, so a constructed type (List<Product>) implements it exactly when its definition does: the definition's
    // interface list is computed once, a constructed type's is substituted anew for each construction.
    private bool IsTempData(ITypeSymbol? type)
        => _tempData is not null && type is not null && type.TypeKind is TypeKind.Interface or TypeKind.Class && type.SpecialType == SpecialType.None
           && type.OriginalDefinition.IsOrInherits(_tempData);

    private bool IsSessionRead(IMethodSymbol method)
        => (method.Name == "TryGetValue" && method.ContainingType.IsOrInherits(_session))
           || (method.Name is "Get" or "GetString" or "GetInt32" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _sessionExtensions));

    private bool IsSessionWrite(IMethodSymbol method)
        => (method.Name is "Set" or "Remove" or "Clear" && method.ContainingType.IsOrInherits(_session))
           || (method.Name is "SetString" or "SetInt32" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _sessionExtensions));

    // Asked of every call of the project: the name before the type (a called method's type, such as List<Product>, is a
    // symbol made when first asked for).
    private bool IsSignInOrOut(IMethodSymbol method)
        => method.Name switch
        {
            "SignInAsync" or "SignOutAsync" => SymbolEqualityComparer.Default.Equals(method.ContainingType, _authenticationExtensions),
            "SignIn" or "SignOut" => method.ContainingType is var type
                                     && (SymbolEqualityComparer.Default.Equals(type, _controllerBase)
                                         || SymbolEqualityComparer.Default.Equals(type, _results)
                                         || SymbolEqualityComparer.Default.Equals(type, _typedResults)),
            _ => false,
        };

    private static bool IsMember(IPropertySymbol property, INamedTypeSymbol? type, string name)
        => property.Name == name && type is not null && property.ContainingType.IsOrInherits(type);

    private static string Show(IOperation operation)
    {
        var text = operation.Syntax.ToString();
        var newline = text.IndexOfAny(new[] { '\r', '\n' });
        if (newline >= 0)
        {
            text = text.Substring(0, newline).TrimEnd() + "…";
        }

        return text.Length <= MaxShown ? text : text.Substring(0, MaxShown - 1) + "…";
    }
}
