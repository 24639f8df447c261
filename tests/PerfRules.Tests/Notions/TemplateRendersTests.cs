using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PerfRules.Infrastructure;
using PerfRules.Notions;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Notions;

/// <summary>The shared notion "template render" (RULES.md) on its own: which operations make the response a rendered Razor template.</summary>
public sealed class TemplateRendersTests
{
    private const string Usings = """
        using System;
        using Microsoft.AspNetCore.Components;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.RazorPages;

        """;

    [Fact]
    public void Controller_View_PartialView_and_ViewComponent_calls_are_renders_of_their_kind()
    {
        var renders = Classify("""
            public class HomeController : Controller
            {
                public IActionResult A() => View();
                public IActionResult B() => View("Name", 1);
                public IActionResult C() => PartialView("_Row");
                public IActionResult D() => ViewComponent("Cart");
                public IActionResult E() => Json(1);
                public IActionResult F() => Content("x");
            }
            """);

        Assert.Equal(
            ["View() View", "View(\"Name\", 1) View", "PartialView(\"_Row\") PartialView", "ViewComponent(\"Cart\") ViewComponent"],
            renders);
    }

    [Fact]
    public void An_override_of_Controller_View_renders_and_a_method_hiding_it_does_not()
    {
        var renders = Classify("""
            public class OverridingController : Controller
            {
                public override ViewResult View() => base.View();
                public IActionResult A() => View();
            }

            public class HidingController : Controller
            {
                public new IActionResult View() => Ok();
                public IActionResult A() => View();
            }
            """);

        Assert.Equal(["base.View() View", "View() View"], renders);
    }

    [Fact]
    public void A_method_named_View_on_an_unrelated_type_is_not_a_render()
    {
        var renders = Classify("""
            public sealed class Renderer { public string View() => ""; public string Page() => ""; }
            public class ApiController : ControllerBase
            {
                public string A() => new Renderer().View();
                public string B() => new Renderer().Page();
            }
            """);

        Assert.Empty(renders);
    }

    [Fact]
    public void PageModel_Page_and_created_result_types_are_renders()
    {
        var renders = Classify("""
            public sealed class CatalogPage : ComponentBase { }
            public class IndexModel : PageModel
            {
                public IActionResult OnGet() => Page();
                public IActionResult OnGetOther() => new PageResult();
                public IActionResult OnGetRedirect() => RedirectToPage("/x");
            }
            public static class Results2
            {
                public static object A() => new ViewResult();
                public static object B() => new PartialViewResult();
                public static object C() => new ViewComponentResult();
                public static IResult D() => new RazorComponentResult<CatalogPage>();
                public static IResult E() => new RazorComponentResult(typeof(CatalogPage));
                public static IResult F() => Results.Ok();
            }
            """);

        Assert.Equal(
            [
                "Page() Page", "new PageResult() Page", "new ViewResult() View", "new PartialViewResult() PartialView",
                "new ViewComponentResult() ViewComponent", "new RazorComponentResult<CatalogPage>() RazorComponent",
                "new RazorComponentResult(typeof(CatalogPage)) RazorComponent",
            ],
            renders);
    }

    [Fact]
    public void A_project_class_deriving_from_a_result_type_is_a_render_of_that_kind_and_other_creations_are_not()
    {
        var renders = Classify("""
            public class ThemedView : ViewResult { }
            public sealed class DarkView : ThemedView { }
            public sealed class Model { public int Id { get; set; } }
            public struct Point { public int X; }
            namespace LookAlike { public class ViewResult { } public sealed class PageResult : ViewResult { } }
            public static class Results3
            {
                public static object F() => new LookAlike.ViewResult();
                public static object G() => new LookAlike.PageResult();
                public static object A() => new DarkView();
                public static object B() => new Model();
                public static object C() => new Point();
                public static object D() => new { Id = 1 };
                public static object E() => new System.Collections.Generic.List<Model>();
            }
            """);

        Assert.Equal(["new DarkView() View"], renders);
    }

    [Fact]
    public void A_page_handler_returning_void_or_Task_renders_its_page_and_one_returning_a_result_does_not_implicitly()
    {
        var compilation = Compile("""
            public class IndexModel : PageModel
            {
                public void OnGet() { }
                public System.Threading.Tasks.Task OnGetAsync() => System.Threading.Tasks.Task.CompletedTask;
                public IActionResult OnGetResult() => Page();
                public System.Threading.Tasks.Task<IActionResult> OnGetResultAsync() => System.Threading.Tasks.Task.FromResult<IActionResult>(Page());
            }
            """);
        var renders = TemplateRenders.Create(WellKnownTypes.GetOrCreate(compilation))!;
        var type = compilation.GetTypeByMetadataName("IndexModel")!;

        Assert.True(renders.RendersPageImplicitly((IMethodSymbol)type.GetMembers("OnGet").Single()));
        Assert.True(renders.RendersPageImplicitly((IMethodSymbol)type.GetMembers("OnGetAsync").Single()));
        Assert.False(renders.RendersPageImplicitly((IMethodSymbol)type.GetMembers("OnGetResult").Single()));
        Assert.False(renders.RendersPageImplicitly((IMethodSymbol)type.GetMembers("OnGetResultAsync").Single()));
    }

    [Fact]
    public void A_compilation_without_ASP_NET_Core_has_no_template_renders_notion()
    {
        var compilation = CSharpCompilation.Create("NoWeb", [CSharpSyntaxTree.ParseText("class C { }")], TestReferences.NetCore);

        Assert.Null(TemplateRenders.Create(WellKnownTypes.GetOrCreate(compilation)));
    }

    [Fact]
    public void Error_types_and_unresolved_calls_are_not_renders()
    {
        var renders = Classify("""
            public class HomeController : Controller
            {
                public IActionResult A() => new Missing();
                public IActionResult B() => Undefined();
                public IActionResult C() => View(;
            }
            """, allowErrors: true);

        Assert.DoesNotContain(renders, r => r.StartsWith("new Missing", StringComparison.Ordinal) || r.StartsWith("Undefined", StringComparison.Ordinal));
    }

    private static CSharpCompilation Compile(string source, bool allowErrors = false)
    {
        var compilation = CSharpCompilation.Create(
            "Renders",
            [CSharpSyntaxTree.ParseText(Usings + source, new CSharpParseOptions(LanguageVersion.CSharp12))],
            TestReferences.AspNetCore,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        if (!allowErrors)
        {
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }

        return compilation;
    }

    /// <summary>"syntax Kind" for every invocation and object creation the notion classifies as a render, in source order.</summary>
    private static List<string> Classify(string source, bool allowErrors = false)
    {
        var compilation = Compile(source, allowErrors);
        var renders = TemplateRenders.Create(WellKnownTypes.GetOrCreate(compilation))!;
        var tree = compilation.SyntaxTrees[0];
        var model = compilation.GetSemanticModel(tree);
        var result = new List<string>();
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            if (node is not (InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax) || model.GetOperation(node) is not { } operation)
            {
                continue;
            }

            if (renders.Classify(operation) is { } kind)
            {
                result.Add(node + " " + kind);
            }
        }

        return result;
    }
}
