using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using PerfRules.Offload;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Rules;

/// <summary>The offload fix in a project that references Quartz 4: a generated job scheduled through ISchedulerFactory.</summary>
public sealed partial class OffloadToBackgroundQueueFixerTests
{
    private static readonly string QuartzUsings = Usings.Replace("using Microsoft.Extensions.Hosting;", "using Microsoft.Extensions.DependencyInjection;\nusing Microsoft.Extensions.Hosting;\nusing Quartz;", StringComparison.Ordinal);

    internal const string QuartzRegisteredProgram = """
        using Microsoft.AspNetCore.Builder;
        using Quartz;

        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddQuartz();
                builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
                var app = builder.Build();
                app.Run();
            }
        }
        """;

    internal static SourceText GeneratedJob => SourceText.From(QuartzJobSource.Generate(null), Encoding.UTF8);

    private static MetadataReference QuartzReference => MetadataReference.CreateFromFile(typeof(Quartz.IJob).Assembly.Location);

    /// <summary>A test whose projects reference Quartz (and Hangfire too when asked).</summary>
    private static CodeFixTest<TAnalyzer, OffloadToBackgroundQueueFixer> QuartzTest<TAnalyzer>(bool withHangfire = false)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
    {
        var test = new CodeFixTest<TAnalyzer, OffloadToBackgroundQueueFixer> { CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey };
        test.TestState.AdditionalReferences.Add(QuartzReference);
        test.FixedState.AdditionalReferences.Add(QuartzReference);
        if (withHangfire)
        {
            var hangfire = MetadataReference.CreateFromFile(typeof(Hangfire.BackgroundJob).Assembly.Location);
            test.TestState.AdditionalReferences.Add(hangfire);
            test.FixedState.AdditionalReferences.Add(hangfire);
        }

        return test;
    }

    [Fact]
    public async Task In_a_project_with_Quartz_a_discarded_send_in_an_action_becomes_a_scheduled_job_and_the_action_becomes_async()
    {
        var test = QuartzTest<FireAndForgetInRequestHandlerAnalyzer>();
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + Mailer + """
            public class OrdersController : ControllerBase
            {
                private readonly IMailer _mailer;

                public OrdersController(IMailer mailer) => _mailer = mailer;

                public IActionResult Confirm(int id, string to, CancellationToken cancellationToken)
                {
                    _ = {|#0:_mailer.SendAsync(to, cancellationToken)|};
                    return Accepted(id);
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Program.cs", Program));
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.Sources.Add(("/0/Test0.cs", QuartzUsings + Mailer + """
            public class OrdersController : ControllerBase
            {
                private readonly IMailer _mailer;

                public OrdersController(IMailer mailer) => _mailer = mailer;

                public async Task<IActionResult> Confirm(int id, string to, CancellationToken cancellationToken)
                {
                    await OffloadedWorkJob.ScheduleAsync(HttpContext.RequestServices.GetRequiredService<ISchedulerFactory>(), async (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        await mailer.SendAsync(to, cancellationToken);
                    });
                    return Accepted(id);
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Program.cs", QuartzRegisteredProgram));
        test.FixedState.Sources.Add(("/0/OffloadedWorkJob.cs", GeneratedJob));
        await test.RunAsync();
    }

    /// <summary>Fixes Test0.cs in a Quartz project whose Program.cs does not register Quartz yet.</summary>
    private static async Task QuartzFixAsync<TAnalyzer>(string source, string fixedSource, params DiagnosticResult[] expected)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
    {
        var test = QuartzTest<TAnalyzer>();
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + Mailer + source));
        test.TestState.Sources.Add(("/0/Program.cs", Program));
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.Sources.Add(("/0/Test0.cs", QuartzUsings + Mailer + fixedSource));
        test.FixedState.Sources.Add(("/0/Program.cs", QuartzRegisteredProgram));
        test.FixedState.Sources.Add(("/0/OffloadedWorkJob.cs", GeneratedJob));
        await test.RunAsync();
    }

    /// <summary>In a Quartz project the fix is not offered: the fixed state equals the source.</summary>
    private static async Task QuartzNotOfferedAsync<TAnalyzer>(string source, string program, params DiagnosticResult[] expected)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
    {
        var test = QuartzTest<TAnalyzer>();
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + Mailer + source));
        test.TestState.Sources.Add(("/0/Program.cs", program));
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.Sources.Add(("/0/Test0.cs", Usings + Mailer + source));
        test.FixedState.Sources.Add(("/0/Program.cs", program));
        test.FixedState.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    [Fact]
    public async Task In_a_project_with_Quartz_a_synchronous_write_in_a_void_page_handler_becomes_a_job_and_the_handler_returns_Task()
    {
        await QuartzFixAsync<SynchronousWorkInRequestHandlerAnalyzer>("""
            public class ContactModel : PageModel
            {
                public void OnPost(string email)
                {
                    {|#0:System.IO.File.AppendAllText("/var/log/contacts.txt", email)|};
                }
            }
            """, """
            public class ContactModel : PageModel
            {
                public async Task OnPost(string email)
                {
                    await OffloadedWorkJob.ScheduleAsync(HttpContext.RequestServices.GetRequiredService<ISchedulerFactory>(), (services, cancellationToken) =>
                    {
                        System.IO.File.AppendAllText("/var/log/contacts.txt", email);
                        return ValueTask.CompletedTask;
                    });
                }
            }
            """, Perf004(0));
    }

    [Fact]
    public async Task In_a_project_with_Quartz_Task_Run_in_an_endpoint_lambda_gets_a_scheduler_factory_parameter_and_the_lambda_becomes_async()
    {
        await QuartzFixAsync<FireAndForgetInRequestHandlerAnalyzer>("""
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/orders/{id}", (int id, IMailer mailer) =>
                    {
                        _ = {|#0:Task.Run(async () => await mailer.SendAsync("orders@example.com"))|};
                        return Results.Accepted();
                    });
                }
            }
            """, """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/orders/{id}", async (int id, IMailer mailer, ISchedulerFactory schedulerFactory) =>
                    {
                        await OffloadedWorkJob.ScheduleAsync(schedulerFactory, async (services, cancellationToken) =>
                        {
                            var mailer = services.GetRequiredService<IMailer>();
                            await mailer.SendAsync("orders@example.com");
                        });
                        return Results.Accepted();
                    });
                }
            }
            """, Perf007(0));
    }

    [Fact]
    public async Task In_a_project_with_Quartz_middleware_that_returns_the_next_task_becomes_async_and_awaits_it()
    {
        await QuartzFixAsync<FireAndForgetInRequestHandlerAnalyzer>("""
            public sealed class AuditMiddleware
            {
                private readonly RequestDelegate _next;

                public AuditMiddleware(RequestDelegate next) => _next = next;

                public Task InvokeAsync(HttpContext context, [FromServices] IMailer mailer)
                {
                    var path = context.Request.Path.Value ?? "/";
                    {|#0:ThreadPool.QueueUserWorkItem(_ => mailer.Send(path))|};
                    return _next(context);
                }
            }
            """, """
            public sealed class AuditMiddleware
            {
                private readonly RequestDelegate _next;

                public AuditMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context, [FromServices] IMailer mailer)
                {
                    var path = context.Request.Path.Value ?? "/";
                    await OffloadedWorkJob.ScheduleAsync(context.RequestServices.GetRequiredService<ISchedulerFactory>(), (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        mailer.Send(path);
                        return ValueTask.CompletedTask;
                    });
                    await _next(context);
                    return;
                }
            }
            """, Perf007(0));
    }

    [Fact]
    public async Task In_a_project_with_Quartz_an_async_action_keeps_its_signature()
    {
        await QuartzFixAsync<FireAndForgetInRequestHandlerAnalyzer>("""
            public class OrdersController : ControllerBase
            {
                public async Task<IActionResult> Confirm(string to, [FromServices] IMailer mailer)
                {
                    await Task.Yield();
                    {|#0:mailer.SendAsync(to)|};
                    return Accepted();
                }
            }
            """, """
            public class OrdersController : ControllerBase
            {
                public async Task<IActionResult> Confirm(string to, [FromServices] IMailer mailer)
                {
                    await Task.Yield();
                    await OffloadedWorkJob.ScheduleAsync(HttpContext.RequestServices.GetRequiredService<ISchedulerFactory>(), async (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        await mailer.SendAsync(to);
                    });
                    return Accepted();
                }
            }
            """, Perf007(0));
    }

    [Fact]
    public async Task In_a_project_with_Quartz_fix_all_schedules_every_site_and_generates_the_job_and_the_registration_once()
    {
        var test = QuartzTest<FireAndForgetInRequestHandlerAnalyzer>();
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 2;
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + Mailer + """
            public class MailController : ControllerBase
            {
                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    _ = {|#0:mailer.SendAsync(to)|};
                    _ = {|#1:Task.Run(() => System.IO.File.WriteAllText(to, "sent"))|};
                    return Accepted();
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Test1.cs", Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/a", (string to, IMailer mailer) =>
                    {
                        {|#2:mailer.SendAsync(to)|};
                        return Results.Accepted();
                    });
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Program.cs", Program));
        test.ExpectedDiagnostics.AddRange(new[] { Perf007(0), Perf007(1), Perf007(2) });
        test.FixedState.Sources.Add(("/0/Test0.cs", QuartzUsings + Mailer + """
            public class MailController : ControllerBase
            {
                public async Task<IActionResult> Send(string to, [FromServices] IMailer mailer)
                {
                    await OffloadedWorkJob.ScheduleAsync(HttpContext.RequestServices.GetRequiredService<ISchedulerFactory>(), async (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        await mailer.SendAsync(to);
                    });
                    await OffloadedWorkJob.ScheduleAsync(HttpContext.RequestServices.GetRequiredService<ISchedulerFactory>(), (services, cancellationToken) =>
                    {
                        System.IO.File.WriteAllText(to, "sent");
                        return ValueTask.CompletedTask;
                    });
                    return Accepted();
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Test1.cs", QuartzUsings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/a", async (string to, IMailer mailer, ISchedulerFactory schedulerFactory) =>
                    {
                        await OffloadedWorkJob.ScheduleAsync(schedulerFactory, async (services, cancellationToken) =>
                        {
                            var mailer = services.GetRequiredService<IMailer>();
                            await mailer.SendAsync(to);
                        });
                        return Results.Accepted();
                    });
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Program.cs", QuartzRegisteredProgram));
        test.FixedState.Sources.Add(("/0/OffloadedWorkJob.cs", GeneratedJob));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("builder.Services.AddQuartz(q => q.UseDefaultThreadPool(4)); builder.Services.AddQuartzHostedService();")]
    [InlineData("builder.Services.AddQuartz(); builder.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);")]
    public async Task In_a_project_that_registers_Quartz_already_the_registration_is_left_alone_and_only_the_job_is_added(string registration)
    {
        var registered = $$"""
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Quartz;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    {{registration}}
                    var app = builder.Build();
                    app.Run();
                }
            }
            """;
        var test = QuartzTest<FireAndForgetInRequestHandlerAnalyzer>();
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + Mailer + """
            public class MailController : ControllerBase
            {
                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    _ = {|#0:mailer.SendAsync(to)|};
                    return Accepted();
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Program.cs", registered));
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.Sources.Add(("/0/Test0.cs", QuartzUsings + Mailer + """
            public class MailController : ControllerBase
            {
                public async Task<IActionResult> Send(string to, [FromServices] IMailer mailer)
                {
                    await OffloadedWorkJob.ScheduleAsync(HttpContext.RequestServices.GetRequiredService<ISchedulerFactory>(), async (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        await mailer.SendAsync(to);
                    });
                    return Accepted();
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Program.cs", registered));
        test.FixedState.Sources.Add(("/0/OffloadedWorkJob.cs", GeneratedJob));
        await test.RunAsync();
    }

    [Fact]
    public async Task In_a_project_that_adds_Quartz_without_its_hosted_service_only_the_hosted_service_is_registered()
    {
        var test = QuartzTest<FireAndForgetInRequestHandlerAnalyzer>();
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + Mailer + """
            public class MailController : ControllerBase
            {
                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    _ = {|#0:mailer.SendAsync(to)|};
                    return Accepted();
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Program.cs", """
            using Microsoft.AspNetCore.Builder;
            using Quartz;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.Services.AddQuartz();
                    var app = builder.Build();
                    app.Run();
                }
            }
            """));
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.Sources.Add(("/0/Test0.cs", QuartzUsings + Mailer + """
            public class MailController : ControllerBase
            {
                public async Task<IActionResult> Send(string to, [FromServices] IMailer mailer)
                {
                    await OffloadedWorkJob.ScheduleAsync(HttpContext.RequestServices.GetRequiredService<ISchedulerFactory>(), async (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        await mailer.SendAsync(to);
                    });
                    return Accepted();
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Program.cs", """
            using Microsoft.AspNetCore.Builder;
            using Quartz;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
                    builder.Services.AddQuartz();
                    var app = builder.Build();
                    app.Run();
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/OffloadedWorkJob.cs", GeneratedJob));
        await test.RunAsync();
    }

    [Fact]
    public async Task In_a_project_with_the_job_and_the_registration_already_a_second_site_reuses_them()
    {
        var test = QuartzTest<FireAndForgetInRequestHandlerAnalyzer>();
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + Mailer + """
            public class MailController : ControllerBase
            {
                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    _ = {|#0:mailer.SendAsync(to)|};
                    return Accepted();
                }
            }
            """));
        test.TestState.Sources.Add(("/0/Program.cs", QuartzRegisteredProgram));
        test.TestState.Sources.Add(("/0/OffloadedWorkJob.cs", GeneratedJob));
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.Sources.Add(("/0/Test0.cs", QuartzUsings + Mailer + """
            public class MailController : ControllerBase
            {
                public async Task<IActionResult> Send(string to, [FromServices] IMailer mailer)
                {
                    await OffloadedWorkJob.ScheduleAsync(HttpContext.RequestServices.GetRequiredService<ISchedulerFactory>(), async (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        await mailer.SendAsync(to);
                    });
                    return Accepted();
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Program.cs", QuartzRegisteredProgram));
        test.FixedState.Sources.Add(("/0/OffloadedWorkJob.cs", GeneratedJob));
        await test.RunAsync();
    }

    [Fact]
    public async Task In_a_project_with_both_Hangfire_and_Quartz_Hangfire_is_the_target()
    {
        var test = QuartzTest<FireAndForgetInRequestHandlerAnalyzer>(withHangfire: true);
        test.TestCode = Usings + """
            public static class AuditLog { public static void Write(int id, string user) { } }

            public class OrdersController : ControllerBase
            {
                public IActionResult Delete(int id, string user)
                {
                    _ = {|#0:Task.Run(() => AuditLog.Write(id, user))|};
                    return NoContent();
                }
            }
            """;
        test.FixedCode = Usings.Replace("using System.Threading.Tasks;", "using System.Threading.Tasks;\nusing Hangfire;", StringComparison.Ordinal) + """
            public static class AuditLog { public static void Write(int id, string user) { } }

            public class OrdersController : ControllerBase
            {
                public IActionResult Delete(int id, string user)
                {
                    BackgroundJob.Enqueue(() => AuditLog.Write(id, user));
                    return NoContent();
                }
            }
            """;
        test.ExpectedDiagnostics.Add(Perf007(0));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("_ = {|#0:Task.Run(() => Response.WriteAsync(to))|};", "uses the response")]
    [InlineData("lock (_gate) { _ = {|#0:mailer.SendAsync(to)|}; }", "await is not allowed in a lock")]
    [InlineData("Span<int> digits = stackalloc int[4]; _ = {|#0:mailer.SendAsync(to)|}; digits[0] = 1;", "a ref struct local cannot live in an async method")]
    public async Task In_a_project_with_Quartz_work_that_cannot_move_or_be_awaited_gets_no_offload_fix(string statements, string reason)
    {
        _ = reason;
        await QuartzNotOfferedAsync<FireAndForgetInRequestHandlerAnalyzer>($$"""
            public class MailController : ControllerBase
            {
                private readonly object _gate = new();

                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    {{statements}}
                    return Accepted();
                }
            }
            """, Program, Perf007(0));
    }

    [Fact]
    public async Task In_a_project_with_Quartz_an_action_with_an_out_parameter_and_an_interface_implementation_get_no_offload_fix()
    {
        await QuartzNotOfferedAsync<FireAndForgetInRequestHandlerAnalyzer>("""
            public interface ISender { IActionResult Send(string to); }

            public class MailController : ControllerBase, ISender
            {
                private readonly IMailer _mailer;

                public MailController(IMailer mailer) => _mailer = mailer;

                public IActionResult Send(string to)
                {
                    _ = {|#0:_mailer.SendAsync(to)|};
                    return Accepted();
                }

                public IActionResult Count(string to, out int count)
                {
                    count = 1;
                    _ = {|#1:_mailer.SendAsync(to)|};
                    return Accepted();
                }
            }
            """, Program, Perf007(0), Perf007(1));
    }

    [Fact]
    public async Task In_a_project_with_a_persistent_Quartz_store_the_work_delegate_cannot_be_stored_so_no_offload_fix_is_offered()
    {
        await QuartzNotOfferedAsync<FireAndForgetInRequestHandlerAnalyzer>("""
            public class MailController : ControllerBase
            {
                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    _ = {|#0:mailer.SendAsync(to)|};
                    return Accepted();
                }
            }
            """, """
            using Microsoft.AspNetCore.Builder;
            using Quartz;

            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.Services.AddQuartz(q => q.UsePersistentStore(store => { }));
                    builder.Services.AddQuartzHostedService();
                    var app = builder.Build();
                    app.Run();
                }
            }
            """, Perf007(0));
    }

    [Fact]
    public async Task In_a_project_with_Quartz_handlers_with_syntax_errors_get_no_fix_and_no_exception()
    {
        var source = Usings + Mailer + """
            public class MailController : ControllerBase
            {
                public IActionResult Broken(string to, [FromServices] IMailer mailer)
                {
                    _ = {|#1:mailer.SendAsync(to)|}
                    return Accepted(
                }
            }
            """;
        var test = QuartzTest<FireAndForgetInRequestHandlerAnalyzer>();
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        test.TestState.Sources.Add(("/0/Test0.cs", source));
        test.TestState.Sources.Add(("/0/Program.cs", Program));
        test.FixedState.Sources.Add(("/0/Test0.cs", source));
        test.FixedState.Sources.Add(("/0/Program.cs", Program));
        test.ExpectedDiagnostics.Add(Perf007(1));
        test.FixedState.ExpectedDiagnostics.Add(Perf007(1));
        await test.RunAsync();
    }

    [Fact]
    public async Task In_a_project_with_Quartz_and_a_root_namespace_the_job_joins_the_startup_document_after_the_top_level_statements()
    {
        var test = QuartzTest<FireAndForgetInRequestHandlerAnalyzer>();
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectDefaultNamespace(projectId, "Shop"));
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.TestState.Sources.Add(("/0/Program.cs", """
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.MapPost("/audit/{id}", (int id) =>
            {
                _ = {|#0:Task.Run(() => File.AppendAllText("audit.log", id.ToString()))|};
                return Results.Accepted();
            });
            app.Run();
            """));
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.Sources.Add(("/0/Program.cs", """
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Quartz;
            using Shop;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddQuartz();
            builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
            var app = builder.Build();
            app.MapPost("/audit/{id}", async (int id, ISchedulerFactory schedulerFactory) =>
            {
                await OffloadedWorkJob.ScheduleAsync(schedulerFactory, (services, cancellationToken) =>
                {
                    File.AppendAllText("audit.log", id.ToString());
                    return ValueTask.CompletedTask;
                });
                return Results.Accepted();
            });
            app.Run();

            """ + "\n" + QuartzJobSource.GenerateNamespaceBlock("Shop")));
        await test.RunAsync();
    }

    [Fact]
    public async Task In_a_project_with_a_Quartz_3_style_IJob_the_offload_fix_is_not_offered()
    {
        // Quartz 3's shapes (Task Execute(IJobExecutionContext), no AddQuartz in the Quartz package), declared in source:
        // the generated job is written for Quartz 4, so neither it nor a second engine is added.
        var source = Usings + Mailer + """
            public class MailController : ControllerBase
            {
                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    _ = {|#0:mailer.SendAsync(to)|};
                    return Accepted();
                }
            }

            namespace Quartz
            {
                public interface IJobExecutionContext { }

                public interface IJob { Task Execute(IJobExecutionContext context); }

                public interface ISchedulerFactory { }
            }
            """;
        var test = new CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer> { CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey };
        test.TestState.Sources.Add(("/0/Test0.cs", source));
        test.TestState.Sources.Add(("/0/Program.cs", Program));
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.Sources.Add(("/0/Test0.cs", source));
        test.FixedState.Sources.Add(("/0/Program.cs", Program));
        test.FixedState.ExpectedDiagnostics.Add(Perf007(0));
        await test.RunAsync();
    }
}
