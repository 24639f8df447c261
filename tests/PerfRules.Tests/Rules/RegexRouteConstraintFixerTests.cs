using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using System.Text;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Rules;

public sealed class RegexRouteConstraintFixerTests
{
    private const string Usings = """
        using System;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.DependencyInjection;

        """;

    private static DiagnosticResult Reported(int markup) => new DiagnosticResult(RegexRouteConstraintAnalyzer.Rule).WithLocation(markup);

    // ---- fix 1: use the built-in constraint ----

    [Fact]
    public async Task Digits_regex_bound_to_int_becomes_int_min_0()
    {
        var test = new CodeFixTest<RegexRouteConstraintAnalyzer, RegexRouteConstraintFixer>
        {
            TestCode = Usings + """
                public static class Endpoints
                {
                    public static void Map(WebApplication app) => app.MapGet("/orders/{id:{|#0:regex(^\\d+$)|}}", (int id) => id);
                }
                """,
            FixedCode = Usings + """
                public static class Endpoints
                {
                    public static void Map(WebApplication app) => app.MapGet("/orders/{id:int:min(0)}", (int id) => id);
                }
                """,
            CodeActionEquivalenceKey = RegexRouteConstraintFixer.UseBuiltInKey,
        };
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments(@"regex(^\d+$)", "runs a regex on every request where the built-in 'int:min(0)' accepts the same int values"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_rewrites_every_equivalent_constraint_in_attribute_and_raw_string_templates()
    {
        var test = new CodeFixTest<RegexRouteConstraintAnalyzer, RegexRouteConstraintFixer>
        {
            TestCode = Usings + """"
                public sealed class CartsController : ControllerBase
                {
                    [HttpGet("carts/{id:{|#0:regex(^[[0-9a-f]]{{8}}-[[0-9a-f]]{{4}}-[[0-9a-f]]{{4}}-[[0-9a-f]]{{4}}-[[0-9a-f]]{{12}}$)|}}/{page:{|#1:regex(^[[1-9]][[0-9]]{{0,2}}$)|}}")]
                    public IActionResult Get(Guid id, int page) => Ok();

                    [HttpGet("""carts/{id:{|#2:regex(^-?\d+$)|}}/flag/{on:{|#3:regex(^(true|false)$)|}}""")]
                    public IActionResult Flag(long id, bool on) => Ok();
                }
                """",
            FixedCode = Usings + """"
                public sealed class CartsController : ControllerBase
                {
                    [HttpGet("carts/{id:guid}/{page:int:range(1,999)}")]
                    public IActionResult Get(Guid id, int page) => Ok();

                    [HttpGet("""carts/{id:long}/flag/{on:bool}""")]
                    public IActionResult Flag(long id, bool on) => Ok();
                }
                """",
            CodeActionEquivalenceKey = RegexRouteConstraintFixer.UseBuiltInKey,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments("regex(^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)", "runs a regex on every request where the built-in 'guid' accepts the same Guid values"));
        test.ExpectedDiagnostics.Add(Reported(1).WithArguments("regex(^[1-9][0-9]{0,2}$)", "runs a regex on every request where the built-in 'int:range(1,999)' accepts the same int values"));
        test.ExpectedDiagnostics.Add(Reported(2).WithArguments(@"regex(^-?\d+$)", "runs a regex on every request where the built-in 'long' accepts the same long values"));
        test.ExpectedDiagnostics.Add(Reported(3).WithArguments("regex(^(true|false)$)", "runs a regex on every request where the built-in 'bool' accepts the same bool values"));
        await test.RunAsync();
    }

    [Fact]
    public async Task No_builtin_fix_for_a_string_parameter_or_a_constant_from_elsewhere()
    {
        var source = Usings + """
                public static class Endpoints
                {
                    private const string Template = "/orders/{id:regex(^\\d+$)}";

                    public static void Map(WebApplication app)
                    {
                        app.MapGet("/codes/{code:{|#0:regex(^\\d+$)|}}", (string code) => code);
                        app.MapGet({|#1:Template|}, (int id) => id);
                    }
                }
                """;
        var test = new CodeFixTest<RegexRouteConstraintAnalyzer, RegexRouteConstraintFixer>
        {
            TestCode = source,
            FixedCode = source,
            CodeActionEquivalenceKey = RegexRouteConstraintFixer.UseBuiltInKey,
        };
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments(@"regex(^\d+$)", "matches whole numbers from 0; bound to an int parameter the built-in 'int:min(0)' accepts the same values without a regex; otherwise move it to a named constraint backed by a compiled regex"));
        test.ExpectedDiagnostics.Add(Reported(1).WithArguments(@"regex(^\d+$)", "runs a regex on every request where the built-in 'int:min(0)' accepts the same int values"));
        await test.RunAsync();
    }

    // ---- fix 2: extract to a named constraint ----

    // The class joins a document the fix already edits (a new file would make dotnet format add a duplicate <Compile>
    // item to SDK-style projects); the simplifier adds the usings that document lacks.
    private const string GeneratedSlugClass = """


        /// <summary>
        /// Route constraint 'slug': the value matches "^[a-z0-9-]{3,40}$",
        /// case-insensitively and culture-invariantly, as ASP.NET Core's regex constraint matched it.
        /// </summary>
        public sealed partial class SlugRouteConstraint : IRouteConstraint
        {
            [GeneratedRegex("^[a-z0-9-]{3,40}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 10000)]
            private static partial Regex Pattern();

            public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
            {
                return values.TryGetValue(routeKey, out var value)
                    && value is not null
                    && Pattern().IsMatch(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }

        """;

    private const string UsingsWithRegex = """
        using System;
        using System.Globalization;
        using System.Text.RegularExpressions;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.DependencyInjection;

        """;

    private const string GeneratedSlugConstraint = """
        #nullable enable
        using System;
        using System.Globalization;
        using System.Text.RegularExpressions;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Routing;

        /// <summary>
        /// Route constraint 'slug': the value matches "^[a-z0-9-]{3,40}$",
        /// case-insensitively and culture-invariantly, as ASP.NET Core's regex constraint matched it.
        /// </summary>
        public sealed partial class SlugRouteConstraint : IRouteConstraint
        {
            [GeneratedRegex("^[a-z0-9-]{3,40}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 10000)]
            private static partial Regex Pattern();

            public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
            {
                return values.TryGetValue(routeKey, out var value)
                    && value is not null
                    && Pattern().IsMatch(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }

        """;

    [Fact]
    public async Task Extract_generates_a_GeneratedRegex_constraint_registers_it_and_fix_all_replaces_every_use_once()
    {
        var test = new CodeFixTest<RegexRouteConstraintAnalyzer, ExtractRouteConstraintFixer>
        {
            TestCode = Usings + """
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.Build();
                app.MapGet("/products/{slug:{|#0:regex(^[a-z0-9-]{{3,40}}$)|}}", (string slug) => slug);
                app.MapGet("/archive/{slug:{|#1:regex(^[a-z0-9-]{{3,40}}$)|}}", (string slug) => slug);
                app.Run();
                """,
            CodeActionEquivalenceKey = ExtractRouteConstraintFixer.ExtractKey,
            NumberOfFixAllIterations = 1,
            NumberOfIncrementalIterations = 2,
            CodeActionValidationMode = CodeActionValidationMode.None,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.Sources.Add(("/0/Test0.cs", UsingsWithRegex + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.Configure<RouteOptions>(options => options.ConstraintMap["slug"] = typeof(SlugRouteConstraint));
            var app = builder.Build();
            app.MapGet("/products/{slug:slug}", (string slug) => slug);
            app.MapGet("/archive/{slug:slug}", (string slug) => slug);
            app.Run();
            """ + GeneratedSlugClass));
        // The unit-test compilation does not run the SDK's regex source generator; the sample's real build does.
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS8795").WithSpan("/0/Test0.cs", 23, 34, 23, 41).WithArguments("SlugRouteConstraint.Pattern()"));
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments("regex(^[a-z0-9-]{3,40}$)", "runs a regex on every request and no built-in constraint accepts the same values: move it to a named constraint backed by a compiled regex"));
        test.ExpectedDiagnostics.Add(Reported(1).WithArguments("regex(^[a-z0-9-]{3,40}$)", "runs a regex on every request and no built-in constraint accepts the same values: move it to a named constraint backed by a compiled regex"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Extract_of_a_dictionary_string_keeps_the_implicit_anchors_and_needs_no_registration()
    {
        var test = new CodeFixTest<RegexRouteConstraintAnalyzer, ExtractRouteConstraintFixer>
        {
            TestCode = Usings + """
                public static class Routes
                {
                    public static void Map(IEndpointRouteBuilder endpoints)
                        => endpoints.MapControllerRoute("orders", "orders/{code}", defaults: null, constraints: new { code = "{|#0:[A-Z]{3}\\d+|}" });
                }
                """,
            FixedCode = UsingsWithRegex + """
                public static class Routes
                {
                    public static void Map(IEndpointRouteBuilder endpoints)
                        => endpoints.MapControllerRoute("orders", "orders/{code}", defaults: null, constraints: new { code = new CodeRouteConstraint() });
                }
                """ + GeneratedSlugClass
                    .Replace("'slug'", "'code'", StringComparison.Ordinal)
                    .Replace("SlugRouteConstraint", "CodeRouteConstraint", StringComparison.Ordinal)
                    .Replace("\"^[a-z0-9-]{3,40}$\"", "\"^([A-Z]{3}\\\\d+)$\"", StringComparison.Ordinal),
            CodeActionEquivalenceKey = ExtractRouteConstraintFixer.ExtractKey,
            CodeActionValidationMode = CodeActionValidationMode.None,
        };
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS8795").WithSpan(22, 34, 22, 41).WithArguments("CodeRouteConstraint.Pattern()"));
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments("\"[A-Z]{3}\\d+\"", "runs a regex on every request and no built-in constraint accepts the same values: move it to a named constraint backed by a compiled regex"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Extract_writes_a_file_of_its_own_when_the_only_edited_document_is_in_another_file_scoped_namespace()
    {
        var test = new CodeFixTest<RegexRouteConstraintAnalyzer, ExtractRouteConstraintFixer>
        {
            TestCode = Usings + """
                namespace Shop.Routing;

                public static class Routes
                {
                    public static void Map(IEndpointRouteBuilder endpoints)
                        => endpoints.MapControllerRoute("orders", "orders/{code}", defaults: null, constraints: new { code = "{|#0:[A-Z]{3}\\d+|}" });
                }
                """,
            CodeActionEquivalenceKey = ExtractRouteConstraintFixer.ExtractKey,
            CodeActionValidationMode = CodeActionValidationMode.None,
        };
        test.FixedState.Sources.Add(Usings + """
            namespace Shop.Routing;

            public static class Routes
            {
                public static void Map(IEndpointRouteBuilder endpoints)
                    => endpoints.MapControllerRoute("orders", "orders/{code}", defaults: null, constraints: new { code = new CodeRouteConstraint() });
            }
            """);
        test.FixedState.Sources.Add(("CodeRouteConstraint.cs", SourceText.From(GeneratedSlugConstraint
            .Replace("'slug'", "'code'", StringComparison.Ordinal)
            .Replace("SlugRouteConstraint", "CodeRouteConstraint", StringComparison.Ordinal)
            .Replace("\"^[a-z0-9-]{3,40}$\"", "\"^([A-Z]{3}\\\\d+)$\"", StringComparison.Ordinal), Encoding.UTF8)));
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS8795").WithSpan("CodeRouteConstraint.cs", 15, 34, 15, 41).WithArguments("CodeRouteConstraint.Pattern()"));
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments("\"[A-Z]{3}\\d+\"", "runs a regex on every request and no built-in constraint accepts the same values: move it to a named constraint backed by a compiled regex"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Extract_before_CSharp_11_generates_a_static_compiled_regex_that_compiles()
    {
        var test = new CodeFixTest<RegexRouteConstraintAnalyzer, ExtractRouteConstraintFixer>
        {
            TestCode = Usings + """
                public static class Routes
                {
                    public static void Map(IEndpointRouteBuilder endpoints)
                        => endpoints.MapControllerRoute("orders", "orders/{code}", defaults: null, constraints: new { code = "{|#0:[A-Z]{3}\\d+|}" });
                }
                """,
            FixedCode = UsingsWithRegex + """
                public static class Routes
                {
                    public static void Map(IEndpointRouteBuilder endpoints)
                        => endpoints.MapControllerRoute("orders", "orders/{code}", defaults: null, constraints: new { code = new CodeRouteConstraint() });
                }

                /// <summary>
                /// Route constraint 'code': the value matches "^([A-Z]{3}\\d+)$",
                /// case-insensitively and culture-invariantly, as ASP.NET Core's regex constraint matched it.
                /// </summary>
                public sealed class CodeRouteConstraint : IRouteConstraint
                {
                    private static readonly Regex Regex = new Regex("^([A-Z]{3}\\d+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(10));

                    private static Regex Pattern() => Regex;

                    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
                    {
                        return values.TryGetValue(routeKey, out var value)
                            && value is not null
                            && Pattern().IsMatch(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                    }
                }

                """,
            CodeActionEquivalenceKey = ExtractRouteConstraintFixer.ExtractKey,
            LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp10,
        };
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments("\"[A-Z]{3}\\d+\"", "runs a regex on every request and no built-in constraint accepts the same values: move it to a named constraint backed by a compiled regex"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Extract_is_not_offered_for_invalid_unanchored_or_backtracking_patterns()
    {
        var source = Usings + """
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.Build();
                app.MapGet("/a/{x:{|#0:regex(\\d+)|}}", (string x) => x);
                app.MapGet("/b/{x:{|#1:regex(^(a+)+$)|}}", (string x) => x);
                app.Run();
                """;
        var test = new CodeFixTest<RegexRouteConstraintAnalyzer, ExtractRouteConstraintFixer>
        {
            TestCode = source,
            FixedCode = source,
            CodeActionEquivalenceKey = ExtractRouteConstraintFixer.ExtractKey,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments(@"regex(\d+)", "is not anchored: it accepts any value that contains a match; anchor it with ^ and $, or use a built-in constraint"));
        test.ExpectedDiagnostics.Add(Reported(1).WithArguments("regex(^(a+)+$)", "has nested quantifiers: matching can backtrack catastrophically, for up to the 10-second regex timeout per request; rewrite it without a quantifier inside a quantified group"));
        await test.RunAsync();
    }
}
