using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;

namespace PerfRules.Notions;

/// <summary>What a template render produces.</summary>
internal enum TemplateRenderKind
{
    /// <summary><c>Controller.View(…)</c> or <c>new ViewResult</c>.</summary>
    View,

    /// <summary><c>Controller.PartialView(…)</c> or <c>new PartialViewResult</c>.</summary>
    PartialView,

    /// <summary><c>Controller.ViewComponent(…)</c> or <c>new ViewComponentResult</c>.</summary>
    ViewComponent,

    /// <summary><c>PageModel.Page()</c>, <c>new PageResult</c>, or a page handler that returns nothing (the page renders itself).</summary>
    Page,

    /// <summary><c>new RazorComponentResult(…)</c>/<c>new RazorComponentResult&lt;T&gt;(…)</c>, or a <c>Results</c>/<c>TypedResults</c> factory returning one.</summary>
    RazorComponent,
}

/// <summary>
/// The shared notion "template render" (RULES.md): an operation that makes the response the output of a Razor template.
/// Recognised by symbol: the <c>View</c>/<c>PartialView</c>/<c>ViewComponent</c> methods of <c>Controller</c> (also through
/// overrides), <c>PageModel.Page()</c>, and the creation of the result types those methods return
/// (<c>ViewResult</c>, <c>PartialViewResult</c>, <c>ViewComponentResult</c>, <c>PageResult</c>) or of a
/// <c>RazorComponentResult</c>. ASP.NET Core 8–10 have no <c>Results.Razor*</c>/<c>TypedResults.Razor*</c> factories (checked
/// against the 10.0 reference pack); a factory of those classes that returns a <c>RazorComponentResult</c> counts if one appears.
/// One instance per compilation; null when the compilation references none of these types.
/// </summary>
internal sealed class TemplateRenders
{
    private readonly INamedTypeSymbol? _controller;
    private readonly INamedTypeSymbol? _pageModel;
    private readonly INamedTypeSymbol? _viewResult;
    private readonly INamedTypeSymbol? _partialViewResult;
    private readonly INamedTypeSymbol? _viewComponentResult;
    private readonly INamedTypeSymbol? _pageResult;
    private readonly INamedTypeSymbol? _razorComponentResult;
    private readonly INamedTypeSymbol? _results;
    private readonly INamedTypeSymbol? _typedResults;
    private readonly INamedTypeSymbol? _task;
    private HashSet<string>? _razorComponentFactories;

    private TemplateRenders(WellKnownTypes types)
    {
        _controller = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_Controller);
        _pageModel = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_RazorPages_PageModel);
        _viewResult = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ViewResult);
        _partialViewResult = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_PartialViewResult);
        _viewComponentResult = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ViewComponentResult);
        _pageResult = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_RazorPages_PageResult);
        _razorComponentResult = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResults_RazorComponentResult);
        _results = types.Get(WellKnownType.Microsoft_AspNetCore_Http_Results);
        _typedResults = types.Get(WellKnownType.Microsoft_AspNetCore_Http_TypedResults);
        _task = types.Get(WellKnownType.System_Threading_Tasks_Task);
    }

    public static TemplateRenders? Create(WellKnownTypes types)
        => types.GetShared(static t =>
        {
            var renders = new TemplateRenders(t);
            return renders._controller is null && renders._pageModel is null && renders._razorComponentResult is null ? null : renders;
        });

    /// <summary>The render <paramref name="operation"/> is, or null when it renders no template.</summary>
    public TemplateRenderKind? Classify(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return ClassifyCall(invocation.TargetMethod);
            case IObjectCreationOperation creation:
                return ClassifyResultType(creation.Type);
            default:
                return null;
        }
    }

    /// <summary>
    /// A page handler that returns nothing (<c>void</c> or <c>Task</c>) renders its page: Razor Pages executes the page
    /// when the handler produces no result.
    /// </summary>
    public bool RendersPageImplicitly(IMethodSymbol pageHandler)
        => pageHandler.ReturnsVoid || (_task is not null && SymbolEqualityComparer.Default.Equals(pageHandler.ReturnType, _task));

    private TemplateRenderKind? ClassifyCall(IMethodSymbol method)
    {
        // Asked of every call of the project: the name first.
        switch (method.Name)
        {
            case "View" when IsDeclaredBy(method, _controller):
                return TemplateRenderKind.View;
            case "PartialView" when IsDeclaredBy(method, _controller):
                return TemplateRenderKind.PartialView;
            case "ViewComponent" when IsDeclaredBy(method, _controller):
                return TemplateRenderKind.ViewComponent;
            case "Page" when IsDeclaredBy(method, _pageModel):
                return TemplateRenderKind.Page;
        }

        // Asked of every call of the project: the name among those of the factories (none in ASP.NET Core 8 to 10, where a
        // RazorComponentResult is made with new) before the called method's type, a symbol made when first asked for.
        var factories = Volatile.Read(ref _razorComponentFactories) ?? FindRazorComponentFactories();
        if (factories.Count == 0 || !factories.Contains(method.Name))
        {
            return null;
        }

        var factoryType = method.ContainingType;
        var isFactory = SymbolEqualityComparer.Default.Equals(factoryType, _results) || SymbolEqualityComparer.Default.Equals(factoryType, _typedResults);
        return isFactory && method.ReturnType.IsOrInherits(_razorComponentResult) ? TemplateRenderKind.RazorComponent : null;
    }

    // The names of Results' and TypedResults' methods that return a RazorComponentResult: looked up once, on first need.
    private HashSet<string> FindRazorComponentFactories()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (_razorComponentResult is not null)
        {
            foreach (var factoryType in new[] { _results, _typedResults })
            {
                foreach (var member in factoryType?.GetMembers() ?? ImmutableArray<ISymbol>.Empty)
                {
                    if (member is IMethodSymbol { IsStatic: true } factory && factory.ReturnType.IsOrInherits(_razorComponentResult))
                    {
                        names.Add(factory.Name);
                    }
                }
            }
        }

        return Interlocked.CompareExchange(ref _razorComponentFactories, names, null) ?? names;
    }

    // Asked of every object creation of the project: one walk up the base classes (only classes derive from the five result
    // classes, which are unrelated to each other). Each class's name is compared before its symbol: almost every class
    // created in a project (models, collections, options) has a name none of the five has, and a name costs less to read
    // than a symbol comparison.
    private TemplateRenderKind? ClassifyResultType(ITypeSymbol? type)
    {
        if (type is not { TypeKind: TypeKind.Class, SpecialType: SpecialType.None, IsAnonymousType: false })
        {
            return null;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            var (kind, resultType) = current.Name switch
            {
                "ViewResult" => (TemplateRenderKind.View, _viewResult),
                "PartialViewResult" => (TemplateRenderKind.PartialView, _partialViewResult),
                "ViewComponentResult" => (TemplateRenderKind.ViewComponent, _viewComponentResult),
                "PageResult" => (TemplateRenderKind.Page, _pageResult),
                "RazorComponentResult" => (TemplateRenderKind.RazorComponent, _razorComponentResult),
                _ => (default(TemplateRenderKind), null),
            };
            if (resultType is not null && SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, resultType))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>The method is <paramref name="type"/>'s own method or overrides it (a method that hides it with <c>new</c> is not).</summary>
    private static bool IsDeclaredBy(IMethodSymbol method, INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        for (var current = method.OriginalDefinition; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current.ContainingType?.OriginalDefinition, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How the render reads in a message.</summary>
    public static string Describe(TemplateRenderKind kind) => kind switch
    {
        TemplateRenderKind.View => "a view",
        TemplateRenderKind.PartialView => "a partial view",
        TemplateRenderKind.ViewComponent => "a view component",
        TemplateRenderKind.Page => "its Razor page",
        _ => "a Razor component",
    };
}
