using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using CompilerDiagnostics = Microsoft.CodeAnalysis.Testing.CompilerDiagnostics;
using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;
using TestBehaviors = Microsoft.CodeAnalysis.Testing.TestBehaviors;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.RegexRouteConstraintAnalyzer>;

namespace PerfRules.Tests.Rules;

public sealed class RegexRouteConstraintAnalyzerTests
{
    private const string Usings = """
        using System;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.AspNetCore.Routing.Constraints;

        """;

    private static DiagnosticResult Diagnostic(int markup, string constraint, string explanation)
        => new DiagnosticResult(RegexRouteConstraintAnalyzer.Rule).WithLocation(markup).WithArguments(constraint, explanation);

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => VerifyCS.AnalyzerAsync(Usings + source, expected);

    // ---- where templates are read ----

    [Fact]
    public async Task MapGet_digits_regex_bound_to_int_names_the_builtin_and_underlines_the_constraint()
    {
        await VerifyAsync("""
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/orders/{id:{|#0:regex(^\\d+$)|}}", (int id) => Results.Ok(id));
                }
            }
            """,
            Diagnostic(0, @"regex(^\d+$)", "runs a regex on every request where the built-in 'int:min(0)' accepts the same int values"));
    }

    [Fact]
    public async Task Route_attribute_on_an_action_with_escaped_brackets_and_braces_is_read_as_MVC_reads_it()
    {
        await VerifyAsync("""
            [ApiController]
            public sealed class ProductsController : ControllerBase
            {
                [HttpGet("products/{id:{|#0:regex(^[[0-9]]{{1,5}}$)|}}")]
                public IActionResult Get(long id) => Ok(id);
            }
            """,
            Diagnostic(0, "regex(^[0-9]{1,5}$)", "runs a regex on every request where the built-in 'long:range(0,99999)' accepts the same long values"));
    }

    [Fact]
    public async Task Controller_route_attribute_has_no_bound_parameter_so_it_only_describes_the_builtin()
    {
        await VerifyAsync("""
            [Route("shops/{shopId:{|#0:regex(^\\d+$)|}}/[controller]")]
            public sealed class CartController : ControllerBase
            {
                [HttpGet]
                public IActionResult Get(int shopId) => Ok(shopId);
            }
            """,
            Diagnostic(0, @"regex(^\d+$)", "matches whole numbers from 0; bound to an int parameter the built-in 'int:min(0)' accepts the same values without a regex; otherwise move it to a named constraint backed by a compiled regex"));
    }

    [Fact]
    public async Task A_Razor_page_route_is_read_as_written_and_commented_or_regex_free_directives_are_not_reported()
    {
        var test = new AnalyzerTest<RegexRouteConstraintAnalyzer>(withAspNetCore: true) { TestCode = "public sealed class Placeholder { }" };
        test.TestState.AdditionalFiles.Add(("/0/Pages/Orders.cshtml", """
            @page "/orders/{id:{|#0:regex(^\d+$)|}}"
            @model OrdersModel
            <h1>Order</h1>
            """));
        test.TestState.AdditionalFiles.Add(("/0/Pages/Codes.cshtml", "@page \"/codes/{code:{|#1:regex(^[[a-z]]+$)|}}\"\n"));
        test.TestState.AdditionalFiles.Add(("/0/Pages/Old.cshtml", """
            @* @page "/old/{id:regex(^\d+$)}" *@
            @page "/old/{id:int}"
            <p>regex(^\d+$) in text is not a route</p>
            """));
        test.TestState.AdditionalFiles.Add(("/0/Pages/Plain.cshtml", "@page\n<p>{id:regex(^\\d+$)}</p>\n"));
        test.TestState.AdditionalFiles.Add(("/0/Views/Home/Index.cshtml", "<p>@(\"{id:regex(^\\d+$)}\")</p>\n"));
        // Page routes get no [[ ]] unescaping (a built page app answers 404 to /codes/ab for this directive): the regex is
        // ^[[a-z]]+$ as written, not the ^[a-z]+$ an MVC attribute route would make of it (which 'alpha' would replace).
        test.ExpectedDiagnostics.Add(Diagnostic(1, "regex(^[[a-z]]+$)", "runs a regex on every request and no built-in constraint accepts the same values: move it to a named constraint backed by a compiled regex"));
        test.ExpectedDiagnostics.Add(Diagnostic(0, @"regex(^\d+$)", "matches whole numbers from 0; bound to an int parameter the built-in 'int:min(0)' accepts the same values without a regex; otherwise move it to a named constraint backed by a compiled regex"));
        await test.RunAsync();
    }

    [Fact]
    public async Task MapGroup_MapControllerRoute_and_verbatim_raw_and_concatenated_templates_are_read()
    {
        await VerifyAsync(""""
            public static class Endpoints
            {
                private const string Prefix = "/api";

                public static void Map(WebApplication app)
                {
                    var group = app.MapGroup(@"/tenants/{tenant:{|#0:regex(^[a-z]{{2,8}}$)|}}");
                    group.MapGet("""/users/{name:{|#1:regex(^\w+$)|}}""", (string name) => name);
                    app.MapControllerRoute("default", Prefix + "/{controller}/{id:{|#2:regex(^(true|false)$)|}}");
                }
            }
            """",
            Diagnostic(0, "regex(^[a-z]{2,8}$)", "runs a regex on every request; the closest built-in, 'alpha:length(2,8)', differs (the regex matches case-insensitively, so it also accepts 'K' (U+212A KELVIN SIGN), which 'alpha' rejects): move it to a named constraint backed by a compiled regex"),
            Diagnostic(1, @"regex(^\w+$)", "runs a regex on every request and no built-in constraint accepts the same values: move it to a named constraint backed by a compiled regex"),
            Diagnostic(2, "regex(^(true|false)$)", "matches 'true' and 'false'; bound to a bool parameter the built-in 'bool' accepts the same values without a regex; otherwise move it to a named constraint backed by a compiled regex"));
    }

    [Fact]
    public async Task Constraint_dictionary_strings_are_anchored_regexes_and_RegexRouteConstraint_objects_are_reported()
    {
        await VerifyAsync("""
            public static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder endpoints)
                {
                    endpoints.MapControllerRoute("products", "products/{id}", defaults: null, constraints: new { id = @"{|#0:\d+|}" });
                    endpoints.MapControllerRoute("orders", "orders/{code}", defaults: null, constraints: new RouteValueDictionary { ["code"] = "{|#1:[A-Z]{3}|}" });
                    var constraint = new RegexRouteConstraint("{|#2:^\\d+$|}");
                }
            }
            """,
            Diagnostic(0, "\"\\d+\"", "matches whole numbers from 0; bound to an int parameter the built-in 'int:min(0)' accepts the same values without a regex; otherwise move it to a named constraint backed by a compiled regex"),
            Diagnostic(1, "\"[A-Z]{3}\"", "runs a regex on every request; the closest built-in, 'alpha:length(3)', differs (the regex matches case-insensitively, so it also accepts 'K' (U+212A KELVIN SIGN), which 'alpha' rejects): move it to a named constraint backed by a compiled regex"),
            Diagnostic(2, "new RegexRouteConstraint(\"^\\d+$\")", "matches whole numbers from 0; bound to an int parameter the built-in 'int:min(0)' accepts the same values without a regex; otherwise move it to a named constraint backed by a compiled regex"));
    }

    // ---- what the message says ----

    [Fact]
    public async Task Unanchored_invalid_and_backtracking_patterns_get_their_own_messages()
    {
        await VerifyAsync("""
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/a/{x:{|#0:regex(\\d+)|}}", (string x) => x);
                    app.MapGet("/b/{x:{|#1:regex(^\\d+)|}}", (string x) => x);
                    app.MapGet("/c/{x:{|#2:regex(^[0-9+$)|}}", (string x) => x);
                    app.MapGet("/d/{x:{|#3:regex(^(\\w+\\s?)+$)|}}", (string x) => x);
                }
            }
            """,
            Diagnostic(0, @"regex(\d+)", "is not anchored: it accepts any value that contains a match; anchor it with ^ and $, or use a built-in constraint"),
            Diagnostic(1, @"regex(^\d+)", "is not anchored: it accepts any value that starts with a match; anchor it with ^ and $, or use a built-in constraint"),
            Diagnostic(2, "regex(^[0-9+$)", "is not a valid regular expression (Invalid pattern '^[0-9+$' at offset 7. Unterminated [] set): the app throws when it builds its routes"),
            Diagnostic(3, @"regex(^(\w+\s?)+$)", "has nested quantifiers: matching can backtrack catastrophically, for up to the 10-second regex timeout per request; rewrite it without a quantifier inside a quantified group"));
    }

    [Fact]
    public async Task Guid_regex_bound_to_a_Guid_parameter_names_guid()
    {
        await VerifyAsync("""
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapDelete("/carts/{cartId:{|#0:regex(^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$)|}}", (Guid cartId) => Results.NoContent());
                }
            }
            """,
            Diagnostic(0, "regex(^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)", "runs a regex on every request where the built-in 'guid' accepts the same Guid values"));
    }

    [Fact]
    public async Task FromRoute_name_binds_the_parameter_and_a_nullable_int_counts_as_int()
    {
        await VerifyAsync("""
            public sealed class OrdersController : Controller
            {
                [HttpGet("orders/{order-id:{|#0:regex(^[[1-9]]\\d*$)|}}")]
                public IActionResult Get([FromRoute(Name = "order-id")] int? orderId) => Ok(orderId);
            }
            """,
            Diagnostic(0, @"regex(^[1-9]\d*$)", "runs a regex on every request where the built-in 'int:min(1)' accepts the same int values"));
    }

    [Fact]
    public async Task Slim_builder_without_regex_registration_reports_the_startup_failure()
    {
        var test = new AnalyzerTest<RegexRouteConstraintAnalyzer>
        {
            TestCode = Usings + """
                var builder = WebApplication.CreateSlimBuilder(args);
                var app = builder.Build();
                app.MapGet("/x/{id:{|#0:regex(^\\d+$)|}}", (int id) => id);
                app.Run();
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Diagnostic(0, @"regex(^\d+$)", "runs a regex on every request where the built-in 'int:min(0)' accepts the same int values"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(RegexRouteConstraintAnalyzer.SlimBuilderRule).WithLocation(0).WithArguments(@"regex(^\d+$)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Slim_builder_with_AddRouting_is_fine()
    {
        var test = new AnalyzerTest<RegexRouteConstraintAnalyzer>
        {
            TestCode = Usings + """
                var builder = WebApplication.CreateSlimBuilder(args);
                Microsoft.Extensions.DependencyInjection.RoutingServiceCollectionExtensions.AddRouting(builder.Services);
                var app = builder.Build();
                app.MapGet("/x/{id:{|#0:regex(^\\d+$)|}}", (int id) => id);
                app.Run();
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Diagnostic(0, @"regex(^\d+$)", "runs a regex on every request where the built-in 'int:min(0)' accepts the same int values"));
        await test.RunAsync();
    }

    // ---- look-alikes and bad input: nothing reported, nothing thrown ----

    [Fact]
    public async Task Builtin_constraints_literal_text_and_strings_elsewhere_are_not_reported()
    {
        await VerifyAsync("""
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/orders/{id:int:min(1)}", (int id) => id);
                    app.MapGet("/regex/{name:alpha}", (string name) => name);
                    app.MapGet("/help", () => "use {id:regex(^\\d+$)} in your routes");
                    var text = "{id:regex(^\\d+$)}";
                    Console.WriteLine(text);
                }
            }
            """);
    }

    [Fact]
    public async Task A_user_method_named_MapGet_is_not_a_route()
    {
        await VerifyAsync("""
            public sealed class Router
            {
                public void MapGet(string pattern, Delegate handler) { }
            }

            public static class Endpoints
            {
                public static void Map(Router router) => router.MapGet("/orders/{id:regex(^\\d+$)}", (int id) => id);
            }
            """);
    }

    [Fact]
    public async Task Malformed_interpolated_and_non_constant_templates_are_not_reported()
    {
        await VerifyAsync("""
            public static class Endpoints
            {
                public static void Map(WebApplication app, string prefix)
                {
                    app.MapGet("/a/{id:regex(^\\d+$)", (int id) => id);
                    app.MapGet("/b/{id:regex(^\\d{3$)}", (int id) => id);
                    app.MapGet(prefix + "/{id:regex(^\\d+$)}", (int id) => id);
                    app.MapGet($"{prefix}/{{id:regex(^\\d+$)}}", (int id) => id);
                }
            }
            """);
    }

    [Fact]
    public async Task A_project_without_AspNetCore_gets_no_analysis()
    {
        var test = new AnalyzerTest<RegexRouteConstraintAnalyzer>(withAspNetCore: false)
        {
            TestCode = """
                public sealed class HttpGetAttribute : System.Attribute
                {
                    public HttpGetAttribute(string template) { }
                }

                public sealed class HomeController
                {
                    [HttpGet("{id:regex(^\\d+$)}")]
                    public int Get(int id) => id;
                }
                """,
        };
        await test.RunAsync();
    }

    [Theory]
    [InlineData("app.MapGet(\"/a/{id:regex(^\\\\d+$)}\", (int id) => id")]
    [InlineData("app.MapGet(\"/a/{id:regex(^\\\\d+$)}")]
    [InlineData("app.MapGet(\"/a/{id:regex(")]
    [InlineData("app.MapGet(")]
    [InlineData("[HttpGet(\"{id:regex(\\\\d+)}\")] public int X(int id) => id;")]
    [InlineData("app.MapControllerRoute(\"x\", \"{id}\", constraints: new { id = ")]
    [InlineData("new RegexRouteConstraint(")]
    public async Task Code_being_typed_does_not_throw(string fragment)
    {
        var source = Usings + "public static class Endpoints { public static void Map(WebApplication app) { " + fragment + " } }";
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "Typed",
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source)],
            TestReferences.AspNetCore,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: (exception, _, _) => exceptions.Add(exception), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers([new RegexRouteConstraintAnalyzer()], options).GetAllDiagnosticsAsync();
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }
}
