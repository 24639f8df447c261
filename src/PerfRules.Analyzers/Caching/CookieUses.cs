using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
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
/// What a finder of <see cref="CookieUses"/> returns: a cookie use, or a render whose view decides whether it is one. The
/// view is read (<see cref="CookieUses.Resolve"/>) only when a cached handler needs the answer: most renders of a project
/// are in handlers that are not cached, and reading the view of each was most of PERF006's cost on an app with views.
/// </summary>
internal readonly record struct CookieUseCandidate(CookieUse? Use, ViewRender? Render)
{
    public static implicit operator CookieUseCandidate(CookieUse use) => new(use, null);
}

/// <summary>
/// A <c>View()</c>/<c>PartialView()</c>/<c>Page()</c> call, with what is needed to find the view it renders, kept until a
/// cached handler asks whether it sets a cookie. The answer is kept once known.
/// </summary>
/// <param name="kind">View, PartialView or Page.</param>
/// <param name="instance">The controller or page model the call is made on.</param>
/// <param name="viewName">The view name passed as a constant; null when none is passed.</param>
/// <param name="action">The method the call is written in (through lambdas and local functions); null outside one.</param>
/// <param name="syntax">The call.</param>
internal sealed class ViewRender(TemplateRenderKind kind, INamedTypeSymbol instance, string? viewName, IMethodSymbol? action, SyntaxNode syntax)
{
    public TemplateRenderKind Kind { get; } = kind;

    public INamedTypeSymbol Instance { get; } = instance;

    public string? ViewName { get; } = viewName;

    public IMethodSymbol? Action { get; } = action;

    public SyntaxNode Syntax { get; } = syntax;

    /// <summary>The answer once known; null before. Threads that race resolve to equal answers, and the first is kept.</summary>
    internal Answer? Resolved;

    /// <summary>The cookie use the render is, or none (its view generates no token, or is not found).</summary>
    internal sealed class Answer(CookieUse? use)
    {
        public CookieUse? Use { get; } = use;
    }
}

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
    /// <c>View()</c>/<c>PartialView()</c> of a controller or <c>Page()</c> of a page model: a render whose view may generate an
    /// antiforgery token, which sets the antiforgery cookie for a visitor who has none. Only what the call itself says is read
    /// here (its kind, its receiver's type, a constant view name, the method it is written in); the view is found and read by
    /// <see cref="Resolve"/>, when a cached handler needs the answer.
    /// </summary>
    private ViewRender? FindRender(IInvocationOperation invocation, IMethodSymbol owner)
    {
        // What renders a template is the shared notion's call; which view it renders is this rule's.
        if (_views is null || _renders?.Classify(invocation) is not { } kind
            || kind is not (TemplateRenderKind.View or TemplateRenderKind.PartialView or TemplateRenderKind.Page)
            || invocation.Instance?.Type is not INamedTypeSymbol instance)
        {
            return null;
        }

        string? name = null;
        if (kind != TemplateRenderKind.Page)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Name == "viewName" && argument.ArgumentKind == ArgumentKind.Explicit)
                {
                    if (argument.Value.ConstantValue is not { HasValue: true, Value: string viewName })
                    {
                        return null; // a view chosen at run time: unknown
                    }

                    name = viewName;
                }
            }
        }

        return new ViewRender(kind, instance, name, Action(owner), invocation.Syntax);
    }

    // The action View() without a name takes its name from: the method the call is written in, through any lambdas and local
    // functions in it (their containing symbols, no binding). Accessors, constructors and the like are no action.
    private static IMethodSymbol? Action(IMethodSymbol owner)
    {
        ISymbol? current = owner;
        while (current is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            current = current.ContainingSymbol;
        }

        return current is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsImplicitlyDeclared: false } action ? action : null;
    }

    /// <summary>
    /// The cookie use a candidate is: its use, or, for a render, the use its view makes when it generates an antiforgery token
    /// (the view read on first need, the answer kept); null when the view generates none or is not found.
    /// </summary>
    public CookieUse? Resolve(CookieUseCandidate candidate, CancellationToken cancellationToken)
    {
        if (candidate.Use is not null || candidate.Render is not { } render)
        {
            return candidate.Use;
        }

        var answer = Volatile.Read(ref render.Resolved);
        if (answer is null)
        {
            var resolved = new ViewRender.Answer(ResolveRender(render, cancellationToken));
            answer = Interlocked.CompareExchange(ref render.Resolved, resolved, null) ?? resolved;
        }

        return answer.Use;
    }

    private CookieUse? ResolveRender(ViewRender render, CancellationToken cancellationToken)
    {
        var candidates = render.Kind == TemplateRenderKind.Page ? PageCandidates(render) : ViewCandidates(render);
        if (_views is null || candidates.Count == 0 || _views.FindTokenView(candidates, cancellationToken) is not { } found)
        {
            return null;
        }

        var shown = found.View.Replace('\\', '/');
        var pages = shown.LastIndexOf("/Pages/", StringComparison.OrdinalIgnoreCase);
        shown = pages >= 0 ? shown.Substring(pages + 1) : shown;
        return new CookieUse("'" + Show(render.Syntax) + "' renders '" + shown + "' with " + found.Generator + ", which sets the antiforgery cookie", render.Syntax.GetLocation());
    }

    // Page(): the .cshtml next to the page model's .cshtml.cs file.
    private static List<string> PageCandidates(ViewRender render)
    {
        var candidates = new List<string>();
        foreach (var reference in render.Instance.DeclaringSyntaxReferences)
        {
            var path = reference.SyntaxTree.FilePath;
            if (path.EndsWith(".cshtml.cs", StringComparison.OrdinalIgnoreCase))
            {
                candidates.Add(path.Substring(0, path.Length - 3));
            }
        }

        return candidates;
    }

    // View()/PartialView(): Views/{controller}/{view}.cshtml, then Views/Shared/{view}.cshtml, as MVC's view engine looks.
    private List<string> ViewCandidates(ViewRender render)
    {
        var candidates = new List<string>();
        var name = render.ViewName;
        if (name is not null && (name.StartsWith("~/", StringComparison.Ordinal) || name.StartsWith("/", StringComparison.Ordinal) || name.EndsWith(".cshtml", StringComparison.OrdinalIgnoreCase)))
        {
            candidates.Add(name.TrimStart('~', '/'));
            return candidates;
        }

        name ??= render.Action is { } action ? ActionName(action) : null;
        if (name is null)
        {
            return candidates;
        }

        var controller = render.Instance.Name;
        var controllerName = controller.EndsWith("Controller", StringComparison.Ordinal) ? controller.Substring(0, controller.Length - "Controller".Length) : controller;
        candidates.Add("Views/" + controllerName + "/" + name + ".cshtml");
        candidates.Add("Views/Shared/" + name + ".cshtml");
        return candidates;
    }

    // The action's name, as View() without a name uses it: [ActionName("…")], else the method name without "Async".
    private string ActionName(IMethodSymbol action)
    {
        foreach (var attribute in action.GetAttributes())
        {
            if (_actionName is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _actionName)
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string named)
            {
                return named;
            }
        }

        return action.Name.EndsWith("Async", StringComparison.Ordinal) && action.Name.Length > "Async".Length
            ? action.Name.Substring(0, action.Name.Length - "Async".Length)
            : action.Name;
    }

    /// <summary>A read of the request's cookies: <c>Request.Cookies</c> (indexer, TryGetValue, ContainsKey, enumeration…), the <c>Cookie</c> header, a session read.</summary>
    public CookieUseCandidate? FindRead(IOperation operation, IMethodSymbol owner)
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
    public CookieUseCandidate? FindWrite(IOperation operation, IMethodSymbol owner)
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

                return FindRender(invocation, owner) is { } render ? new CookieUseCandidate(null, render) : null;
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

    private static string Show(IOperation operation) => Show(operation.Syntax);

    private static string Show(SyntaxNode syntax)
    {
        var text = syntax.ToString();
        var newline = text.IndexOfAny(new[] { '\r', '\n' });
        if (newline >= 0)
        {
            text = text.Substring(0, newline).TrimEnd() + "…";
        }

        return text.Length <= MaxShown ? text : text.Substring(0, MaxShown - 1) + "…";
    }
}
