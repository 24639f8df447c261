using Microsoft.CodeAnalysis;
using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;
using CompilerDiagnostics = Microsoft.CodeAnalysis.Testing.CompilerDiagnostics;
using DiagnosticOptions = Microsoft.CodeAnalysis.Testing.DiagnosticOptions;
using CodeFixTestBehaviors = Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.StaticFilesOrderAnalyzer>;

namespace PerfRules.Tests.Rules;

public sealed class StaticFilesOrderAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;

        """;

    private const string TimingMiddleware = """

        public sealed class TimingMiddleware
        {
            private readonly RequestDelegate _next;

            public TimingMiddleware(RequestDelegate next) => _next = next;

            public Task InvokeAsync(HttpContext context) => _next(context);
        }
        """;

    public static TheoryData<string, string, string> ExpensiveMiddleware() => new()
    {
        { "app.UseAuthentication();", "UseAuthentication()", "authentication" },
        { "app.UseAuthorization();", "UseAuthorization()", "authorization" },
        { "app.UseSession();", "UseSession()", "session set-up" },
        { "app.UseResponseCompression();", "UseResponseCompression()", "on-the-fly response compression" },
        { "app.UseRouting();", "UseRouting()", "endpoint routing" },
        { "app.UseMiddleware<TimingMiddleware>();", "UseMiddleware<TimingMiddleware>()", "the custom middleware 'TimingMiddleware'" },
        { "app.UseMiddleware(typeof(TimingMiddleware));", "UseMiddleware(typeof(TimingMiddleware))", "the custom middleware 'TimingMiddleware'" },
        { "app.Use(async (context, next) => { context.Response.Headers[\"X-Served-By\"] = \"app\"; await next(); });", "Use(...)", "custom inline middleware" },
        { "app.Use(next => next);", "Use(...)", "custom inline middleware" },
    };

    [Theory]
    [MemberData(nameof(ExpensiveMiddleware))]
    public async Task UseStaticFiles_after_expensive_middleware_is_reported_with_its_name(string registration, string shown, string cost)
    {
        var source = Usings + $$"""
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    {{registration}}
                    {|#0:app.UseStaticFiles()|};
                }
            }
            """ + TimingMiddleware;
        await VerifyCS.AnalyzerAsync(source, Direct().WithLocation(0).WithArguments(shown, cost));
    }

    [Theory]
    [MemberData(nameof(ExpensiveMiddleware))]
    public async Task UseStaticFiles_before_expensive_middleware_is_not_reported(string registration, string shown, string cost)
    {
        _ = (shown, cost);
        var source = Usings + $$"""
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseStaticFiles();
                    {{registration}}
                }
            }
            """ + TimingMiddleware;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Message_names_the_first_expensive_middleware()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseRouting();
                    app.UseAuthentication();
                    app.UseAuthorization();
                    {|#0:app.UseStaticFiles(new StaticFileOptions())|};
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Direct().WithLocation(0).WithArguments("UseRouting()", "endpoint routing"));
    }

    [Fact]
    public async Task A_unicode_escaped_UseStaticFiles_call_is_reported()
    {
        // \u0055 is 'U': the call is UseStaticFiles although the body's text never spells the name.
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    app.UseAuthentication();
                    {|#0:app.\u0055seStaticFiles()|};
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Direct().WithLocation(0).WithArguments("UseAuthentication()", "authentication"));
    }

    [Fact]
    public async Task A_helper_in_a_class_that_never_names_UseStaticFiles_is_followed_from_the_caller()
    {
        var source = Usings + """
            public static class Security
            {
                public static void Apply(IApplicationBuilder pipeline) => Register(pipeline);

                private static void Register(IApplicationBuilder inner) => inner.UseAuthorization();
            }

            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    Security.Apply(app);
                    {|#0:app.UseStaticFiles()|};
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Helper().WithLocation(0).WithArguments("UseAuthorization()", "Apply()", "authorization"));
    }

    [Fact]
    public async Task Additional_location_is_the_expensive_call()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    {|#1:app.UseAuthorization()|};
                    {|#0:app.UseStaticFiles()|};
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            new DiagnosticResult(StaticFilesOrderAnalyzer.Rule).WithLocation(0).WithLocation(1).WithArguments("UseAuthorization()", "authorization"));
    }

    [Fact]
    public async Task Local_function_helper_in_top_level_statements_is_followed()
    {
        var test = new AnalyzerTest<StaticFilesOrderAnalyzer>
        {
            TestCode = Usings + """
                var app = WebApplication.CreateBuilder(args).Build();
                UseSecurity(app);
                {|#0:app.UseStaticFiles()|};
                app.Run();

                static void UseSecurity(IApplicationBuilder pipeline) => pipeline.UseAuthentication();
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Helper().WithLocation(0).WithArguments("UseAuthentication()", "UseSecurity()", "authentication"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Startup_Configure_form_is_reported()
    {
        var source = Usings + """
            public sealed class Startup
            {
                public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
                {
                    if (env.IsDevelopment())
                    {
                        app.UseDeveloperExceptionPage();
                    }

                    app.UseAuthentication();
                    {|#0:app.UseStaticFiles()|};
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Direct().WithLocation(0).WithArguments("UseAuthentication()", "authentication"));
    }

    [Fact]
    public async Task Top_level_statements_form_is_reported()
    {
        var test = new AnalyzerTest<StaticFilesOrderAnalyzer>
        {
            TestCode = Usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddAuthorization();
                var app = builder.Build();

                app.UseAuthorization();
                {|#0:app.UseStaticFiles()|};
                app.MapGet("/", () => "hello");
                app.Run();
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Direct().WithLocation(0).WithArguments("UseAuthorization()", "authorization"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Calls_inside_environment_branches_count_in_source_order()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    if (app.Environment.IsDevelopment())
                    {
                        app.UseMiddleware<TimingMiddleware>();
                    }

                    if (!app.Environment.IsDevelopment())
                    {
                        {|#0:app.UseStaticFiles()|};
                    }
                }
            }
            """ + TimingMiddleware;
        await VerifyCS.AnalyzerAsync(source, Direct().WithLocation(0).WithArguments("UseMiddleware<TimingMiddleware>()", "the custom middleware 'TimingMiddleware'"));
    }

    [Fact]
    public async Task Calls_in_the_two_branches_of_one_if_else_or_switch_never_both_run_and_are_not_reported()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    if (app.Environment.IsDevelopment())
                    {
                        app.UseMiddleware<TimingMiddleware>();
                    }
                    else
                    {
                        app.UseStaticFiles();
                    }
                }

                public static void Configure(IApplicationBuilder app, int mode)
                {
                    switch (mode)
                    {
                        case 1:
                            app.UseSession();
                            break;
                        case 2:
                            app.UseStaticFiles();
                            break;
                    }
                }

                public static void Configure(IApplicationBuilder app, bool secure)
                {
                    _ = secure ? app.UseAuthentication() : app.UseStaticFiles();
                }
            }
            """ + TimingMiddleware;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task A_branch_after_an_expensive_call_in_the_enclosing_scope_is_still_reported()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    app.UseAuthentication();
                    if (app.Environment.IsDevelopment())
                    {
                        app.UseDeveloperExceptionPage();
                    }
                    else
                    {
                        {|#0:app.UseStaticFiles()|};
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Direct().WithLocation(0).WithArguments("UseAuthentication()", "authentication"));
    }

    [Fact]
    public async Task Chained_calls_are_on_the_same_builder()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    {|#0:app.UseSession().UseStaticFiles()|};
                }

                public static void ConfigureFine(IApplicationBuilder app)
                {
                    app.UseStaticFiles().UseSession();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Direct().WithLocation(0).WithArguments("UseSession()", "session set-up"));
    }

    [Fact]
    public async Task Different_builder_variables_are_not_compared()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app, IApplicationBuilder files)
                {
                    app.UseAuthentication();
                    files.UseStaticFiles();
                    app.UseWhen(context => context.Request.Path.StartsWithSegments("/assets"), branch => branch.UseStaticFiles());
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Calls_in_other_methods_and_lambdas_are_other_bodies()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Security(IApplicationBuilder app) { }

                public static void Configure(IApplicationBuilder app)
                {
                    app.UseAuthentication();
                    app.MapWhen(context => true, branch =>
                    {
                        branch.UseStaticFiles();
                        branch.UseAuthorization();
                    });
                }

                public static void Files(IApplicationBuilder app) => app.UseStaticFiles();
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Branch_pipeline_inside_a_lambda_is_analyzed_on_its_own()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.MapWhen(context => true, branch =>
                    {
                        branch.UseAuthorization();
                        {|#0:branch.UseStaticFiles()|};
                    });
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Direct().WithLocation(0).WithArguments("UseAuthorization()", "authorization"));
    }

    [Fact]
    public async Task Every_late_UseStaticFiles_of_a_body_is_reported_and_a_local_function_is_a_body_of_its_own()
    {
        // Each body is read once, at its first pipeline call; every UseStaticFiles it holds is still reported.
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app, IApplicationBuilder files)
                {
                    files.UseStaticFiles();
                    app.UseRouting();
                    {|#0:app.UseStaticFiles()|};
                    {|#1:app.UseStaticFiles()|};
                    Branch(files);

                    void Branch(IApplicationBuilder branch)
                    {
                        branch.UseAuthorization();
                        {|#2:branch.UseStaticFiles()|};
                    }
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Direct().WithLocation(0).WithArguments("UseRouting()", "endpoint routing"),
            Direct().WithLocation(1).WithArguments("UseRouting()", "endpoint routing"),
            Direct().WithLocation(2).WithArguments("UseAuthorization()", "authorization"));
    }

    [Fact]
    public async Task A_helper_whose_builder_is_not_its_first_parameter_is_followed()
    {
        var source = Usings + """
            public static class Security
            {
                public static void Apply(int order, string name, IApplicationBuilder pipeline) => pipeline.UseAuthentication();
            }

            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    Security.Apply(1, "auth", app);
                    {|#0:app.UseStaticFiles()|};
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Helper().WithLocation(0).WithArguments("UseAuthentication()", "Apply()", "authentication"));
    }

    [Fact]
    public async Task User_method_named_UseStaticFiles_on_another_type_is_not_reported()
    {
        var source = Usings + """
            public sealed class FakeBuilder
            {
                public FakeBuilder UseAuthentication() => this;
                public FakeBuilder UseStaticFiles() => this;
            }

            public static class MyExtensions
            {
                public static IApplicationBuilder UseStaticFiles(this IApplicationBuilder app, int cacheSeconds) => app;
            }

            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app, FakeBuilder fake)
                {
                    fake.UseAuthentication();
                    fake.UseStaticFiles();
                    app.UseAuthentication();
                    app.UseStaticFiles(cacheSeconds: 60);
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Use_without_a_delegate_argument_is_not_expensive()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app, Func<RequestDelegate, RequestDelegate> middleware)
                {
                    app.Use(middleware);
                    app.UseStaticFiles();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task MapStaticAssets_is_not_reported()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    app.UseAuthentication();
                    app.UseAuthorization();
                    app.MapStaticAssets();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Project_without_AspNetCore_is_not_analyzed()
    {
        var test = new AnalyzerTest<StaticFilesOrderAnalyzer>(withAspNetCore: false)
        {
            TestCode = """
                namespace Microsoft.AspNetCore.Builder
                {
                    public interface IApplicationBuilder { }

                    public static class AuthAppBuilderExtensions
                    {
                        public static IApplicationBuilder UseAuthentication(this IApplicationBuilder app) => app;
                    }

                    public static class StaticFileExtensions
                    {
                        public static IApplicationBuilder UseStaticFiles(this IApplicationBuilder app) => app;
                    }
                }

                namespace App
                {
                    using Microsoft.AspNetCore.Builder;

                    public static class Pipeline
                    {
                        public static void Configure(IApplicationBuilder app)
                        {
                            app.UseAuthentication();
                            app.UseStaticFiles();
                        }
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Code_with_errors_does_not_throw_and_is_not_reported()
    {
        var test = new AnalyzerTest<StaticFilesOrderAnalyzer>
        {
            TestCode = Usings + """
                public static class Pipeline
                {
                    public static void Configure(IApplicationBuilder app)
                    {
                        app.UseAuthentication(
                        app.UseStaticFiles(
                        missing.UseAuthorization();
                        missing.UseStaticFiles();
                        app.UseNothing();
                        app.UseStaticFiles();
                        app.UseSession(;
                        app.UseStaticFiles()
                    }

                    public static void Broken(IApplicationBuilder app, Unknown other)
                    {
                        other.UseAuthentication();
                        app.UseAuthorization();
                        app.UseStaticFiles(
                """,
        };
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        await test.RunAsync();
    }

    [Fact]
    public async Task Expensive_middleware_registered_by_a_helper_extension_is_reported()
    {
        var source = Usings + """
            public static class SecurityExtensions
            {
                public static IApplicationBuilder UseSecurity(this IApplicationBuilder app)
                {
                    app.UseAuthentication();
                    return app.UseAuthorization();
                }

                public static IApplicationBuilder UseHeaders(this IApplicationBuilder app) => app;

                public static WebApplication UseEverything(this WebApplication app)
                {
                    app.UseSecurity();
                    return app;
                }
            }

            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    app.UseHeaders();
                    app.UseSecurity();
                    {|#0:app.UseStaticFiles()|};
                }

                public static void ConfigureDeep(WebApplication app)
                {
                    app.UseEverything();
                    {|#1:app.UseStaticFiles()|};
                }

                public static void ConfigureFine(WebApplication app)
                {
                    app.UseHeaders();
                    app.UseStaticFiles();
                    app.UseSecurity();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(
            source,
            Helper().WithLocation(0).WithArguments("UseAuthentication()", "UseSecurity()", "authentication"),
            Helper().WithLocation(1).WithArguments("UseAuthentication()", "UseEverything()", "authentication"));
    }

    [Fact]
    public async Task Fix_moves_UseStaticFiles_before_the_first_expensive_middleware()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseHttpsRedirection();
                    app.UseAuthentication();
                    app.UseAuthorization();
                    {|#0:app.UseStaticFiles()|};
                    app.UseSession();
                }
            }
            """;
        var fixedSource = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseHttpsRedirection();
                    app.UseStaticFiles();
                    app.UseAuthentication();
                    app.UseAuthorization();
                    app.UseSession();
                }
            }
            """;
        await VerifyCS.FixAsync<StaticFilesOrderFixer>(
            source,
            fixedSource,
            StaticFilesOrderFixer.MoveBeforeKey,
            Direct().WithLocation(0).WithArguments("UseAuthentication()", "authentication"));
    }

    [Fact]
    public async Task Fix_keeps_the_comments_of_the_moved_statement_and_of_the_others()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    // who is calling
                    app.UseAuthentication();
                    app.UseAuthorization(); // may they
                    // css, js and images
                    {|#0:app.UseStaticFiles()|}; // from wwwroot
                    app.UseSession();
                }
            }
            """;
        var fixedSource = Usings + """
            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    // css, js and images
                    app.UseStaticFiles(); // from wwwroot
                    // who is calling
                    app.UseAuthentication();
                    app.UseAuthorization(); // may they
                    app.UseSession();
                }
            }
            """;
        await VerifyCS.FixAsync<StaticFilesOrderFixer>(
            source,
            fixedSource,
            StaticFilesOrderFixer.MoveBeforeKey,
            Direct().WithLocation(0).WithArguments("UseAuthentication()", "authentication"));
    }

    [Fact]
    public async Task Fix_works_on_top_level_statements()
    {
        var test = new CodeFixTest<StaticFilesOrderAnalyzer, StaticFilesOrderFixer>
        {
            TestCode = Usings + """
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.Build();

                app.UseRouting();
                app.UseAuthorization();
                {|#0:app.UseStaticFiles()|};

                app.Run();
                """,
            FixedCode = Usings + """
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.Build();
                app.UseStaticFiles();

                app.UseRouting();
                app.UseAuthorization();

                app.Run();
                """,
            CodeActionEquivalenceKey = StaticFilesOrderFixer.MoveBeforeKey,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Direct().WithLocation(0).WithArguments("UseRouting()", "endpoint routing"));
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_when_the_middleware_comes_from_a_helper()
    {
        var source = Usings + """
            public static class SecurityExtensions
            {
                public static IApplicationBuilder UseSecurity(this IApplicationBuilder app) => app.UseAuthentication();
            }

            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseSecurity();
                    {|#0:app.UseStaticFiles()|};
                }
            }
            """;

        // The report is a compilation-end (non-local) diagnostic: the harness must be told to hand it to the fixer at all.
        var test = new CodeFixTest<StaticFilesOrderAnalyzer, StaticFilesOrderFixer>
        {
            TestCode = source,
            FixedCode = source,
            CodeActionEquivalenceKey = StaticFilesOrderFixer.MoveBeforeKey,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.ExpectedDiagnostics.Add(Helper().WithLocation(0).WithArguments("UseAuthentication()", "UseSecurity()", "authentication"));
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_across_blocks()
    {
        var source = Usings + """
            public static class Pipeline
            {
                public static void Configure(WebApplication app)
                {
                    app.UseAuthentication();
                    if (!app.Environment.IsDevelopment())
                    {
                        {|#0:app.UseStaticFiles()|};
                    }

                    {|#1:app.UseSession().UseStaticFiles()|};
                }
            }
            """;
        var test = new CodeFixTest<StaticFilesOrderAnalyzer, StaticFilesOrderFixer>
        {
            TestCode = source,
            FixedCode = source,
            CodeActionEquivalenceKey = StaticFilesOrderFixer.MoveBeforeKey,
        };
        test.ExpectedDiagnostics.Add(Direct().WithLocation(0).WithArguments("UseAuthentication()", "authentication"));
        test.ExpectedDiagnostics.Add(Direct().WithLocation(1).WithArguments("UseAuthentication()", "authentication"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_fixes_every_file()
    {
        const string first = Usings + """
            public static class FirstPipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseAuthentication();
                    {|#0:app.UseStaticFiles()|};
                }
            }
            """;
        const string second = Usings + """
            public static class SecondPipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseResponseCompression();
                    app.UseSession();
                    {|#1:app.UseStaticFiles()|};
                }
            }
            """;
        const string firstFixed = Usings + """
            public static class FirstPipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseStaticFiles();
                    app.UseAuthentication();
                }
            }
            """;
        const string secondFixed = Usings + """
            public static class SecondPipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseStaticFiles();
                    app.UseResponseCompression();
                    app.UseSession();
                }
            }
            """;
        var test = new CodeFixTest<StaticFilesOrderAnalyzer, StaticFilesOrderFixer>
        {
            CodeActionEquivalenceKey = StaticFilesOrderFixer.MoveBeforeKey,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 2,
        };
        test.TestState.Sources.Add(("First.cs", first));
        test.TestState.Sources.Add(("Second.cs", second));
        test.FixedState.Sources.Add(("First.cs", firstFixed));
        test.FixedState.Sources.Add(("Second.cs", secondFixed));
        test.ExpectedDiagnostics.Add(Direct().WithLocation(0).WithArguments("UseAuthentication()", "authentication"));
        test.ExpectedDiagnostics.Add(Direct().WithLocation(1).WithArguments("UseResponseCompression()", "on-the-fly response compression"));
        await test.RunAsync();
    }

    // The additional location (the call UseStaticFiles is moved before) is exercised by the fix tests.
    private static DiagnosticResult Direct() => new DiagnosticResult(StaticFilesOrderAnalyzer.Rule).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static DiagnosticResult Helper() => new DiagnosticResult(StaticFilesOrderAnalyzer.HelperRule).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
