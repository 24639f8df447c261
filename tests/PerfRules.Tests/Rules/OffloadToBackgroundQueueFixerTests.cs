using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using PerfRules.Offload;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Rules;

public sealed partial class OffloadToBackgroundQueueFixerTests
{
    internal const string Usings = SynchronousWorkInRequestHandlerAnalyzerTests.Usings;

    internal static readonly string FixedUsings = Usings.Replace("using Microsoft.Extensions.Hosting;", "using Microsoft.Extensions.DependencyInjection;\nusing Microsoft.Extensions.Hosting;", StringComparison.Ordinal);

    internal const string Program = """
        using Microsoft.AspNetCore.Builder;

        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.Build();
                app.Run();
            }
        }
        """;

    internal const string RegisteredProgram = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;

        public static class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddSingleton<IBackgroundWorkQueue, BackgroundWorkQueue>();
                builder.Services.AddHostedService<QueuedWorkService>();
                var app = builder.Build();
                app.Run();
            }
        }
        """;

    internal const string Mailer = """

        public interface IMailer { Task SendAsync(string to, CancellationToken cancellationToken = default); void Send(string to); }
        public sealed record Order(int Id, string Email);

        """;

    internal static SourceText GeneratedQueue => SourceText.From(BackgroundQueueSource.Generate(null), Encoding.UTF8);

    private static DiagnosticResult Perf007(int markup) => new DiagnosticResult(FireAndForgetInRequestHandlerAnalyzer.Rule.Id, DiagnosticSeverity.Warning).WithLocation(markup);

    private static DiagnosticResult Perf004(int markup) => new DiagnosticResult(SynchronousWorkInRequestHandlerAnalyzer.Rule.Id, DiagnosticSeverity.Warning).WithLocation(markup);

    /// <summary>Fixes the first document; Program.cs gets the registration and BackgroundWorkQueue.cs the generated queue.</summary>
    private static async Task FixAsync<TAnalyzer>(string source, string fixedSource, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CodeFixTest<TAnalyzer, OffloadToBackgroundQueueFixer> { CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey };
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + Mailer + source));
        test.TestState.Sources.Add(("/0/Program.cs", Program));
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.Sources.Add(("/0/Test0.cs", FixedUsings + Mailer + fixedSource));
        test.FixedState.Sources.Add(("/0/Program.cs", RegisteredProgram));
        test.FixedState.Sources.Add(("/0/BackgroundWorkQueue.cs", GeneratedQueue));
        await test.RunAsync();
    }

    /// <summary>The fix is not offered: the fixed state equals the source.</summary>
    private static async Task NotOfferedAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CodeFixTest<TAnalyzer, OffloadToBackgroundQueueFixer> { CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey };
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + Mailer + source));
        test.TestState.Sources.Add(("/0/Program.cs", Program));
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.Sources.Add(("/0/Test0.cs", Usings + Mailer + source));
        test.FixedState.Sources.Add(("/0/Program.cs", Program));
        test.FixedState.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_discarded_send_on_an_injected_service_in_an_action_is_queued_with_the_service_resolved_in_the_worker_scope()
    {
        await FixAsync<FireAndForgetInRequestHandlerAnalyzer>("""
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
            """, """
            public class OrdersController : ControllerBase
            {
                private readonly IMailer _mailer;

                public OrdersController(IMailer mailer) => _mailer = mailer;

                public IActionResult Confirm(int id, string to, CancellationToken cancellationToken)
                {
                    HttpContext.RequestServices.GetRequiredService<IBackgroundWorkQueue>().Enqueue(async (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        await mailer.SendAsync(to, cancellationToken);
                    });
                    return Accepted(id);
                }
            }
            """, Perf007(0));
    }

    [Fact]
    public async Task Task_Run_in_an_endpoint_lambda_gets_a_queue_parameter_and_its_interface_service_parameter_resolved_in_the_worker()
    {
        await FixAsync<FireAndForgetInRequestHandlerAnalyzer>("""
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
                    app.MapPost("/orders/{id}", (int id, IMailer mailer, IBackgroundWorkQueue backgroundWorkQueue) =>
                    {
                        backgroundWorkQueue.Enqueue(async (services, cancellationToken) =>
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
    public async Task A_synchronous_send_in_a_page_handler_becomes_a_work_item_that_returns_a_completed_ValueTask()
    {
        await FixAsync<SynchronousWorkInRequestHandlerAnalyzer>("""
            public class ContactModel : PageModel
            {
                public IActionResult OnPost(string email)
                {
                    {|#0:System.IO.File.AppendAllText("/var/log/contacts.txt", email)|};
                    return RedirectToPage("/Thanks");
                }
            }
            """, """
            public class ContactModel : PageModel
            {
                public IActionResult OnPost(string email)
                {
                    HttpContext.RequestServices.GetRequiredService<IBackgroundWorkQueue>().Enqueue((services, cancellationToken) =>
                    {
                        System.IO.File.AppendAllText("/var/log/contacts.txt", email);
                        return ValueTask.CompletedTask;
                    });
                    return RedirectToPage("/Thanks");
                }
            }
            """, Perf004(0));
    }

    [Fact]
    public async Task A_block_lambda_given_to_QueueUserWorkItem_in_middleware_uses_the_context_parameter_and_its_bare_returns_return_a_completed_ValueTask()
    {
        await FixAsync<FireAndForgetInRequestHandlerAnalyzer>("""
            public sealed class AuditMiddleware
            {
                private readonly RequestDelegate _next;

                public AuditMiddleware(RequestDelegate next) => _next = next;

                public Task InvokeAsync(HttpContext context, [FromServices] IMailer mailer)
                {
                    var path = context.Request.Path.Value;
                    {|#0:ThreadPool.QueueUserWorkItem(_ =>
                    {
                        if (path is null)
                        {
                            return;
                        }

                        mailer.Send(path);
                    })|};
                    return _next(context);
                }
            }
            """, """
            public sealed class AuditMiddleware
            {
                private readonly RequestDelegate _next;

                public AuditMiddleware(RequestDelegate next) => _next = next;

                public Task InvokeAsync(HttpContext context, [FromServices] IMailer mailer)
                {
                    var path = context.Request.Path.Value;
                    context.RequestServices.GetRequiredService<IBackgroundWorkQueue>().Enqueue((services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        if (path is null)
                        {
                            return ValueTask.CompletedTask;
                        }

                        mailer.Send(path);
                        return ValueTask.CompletedTask;
                    });
                    return _next(context);
                }
            }
            """, Perf007(0));
    }

    [Fact]
    public async Task A_new_thread_started_in_an_action_is_queued_and_a_value_the_handler_changes_afterwards_is_copied_first()
    {
        await FixAsync<FireAndForgetInRequestHandlerAnalyzer>("""
            public class ReportsController : ControllerBase
            {
                public IActionResult Build(int year)
                {
                    var name = "report-" + year;
                    {|#0:new Thread(() => System.IO.File.WriteAllText(name, "...")).Start()|};
                    name = "done";
                    return Ok(name);
                }
            }
            """, """
            public class ReportsController : ControllerBase
            {
                public IActionResult Build(int year)
                {
                    var name = "report-" + year;
                    var nameCopy = name;
                    HttpContext.RequestServices.GetRequiredService<IBackgroundWorkQueue>().Enqueue((services, cancellationToken) =>
                    {
                        System.IO.File.WriteAllText(nameCopy, "...");
                        return ValueTask.CompletedTask;
                    });
                    name = "done";
                    return Ok(name);
                }
            }
            """, Perf007(0));
    }

    [Fact]
    public async Task A_bare_unawaited_call_with_HttpContext_RequestAborted_gets_the_worker_token_and_a_record_argument_is_captured()
    {
        await FixAsync<FireAndForgetInRequestHandlerAnalyzer>("""
            public interface IOrderNotifier { Task NotifyAsync(Order order, CancellationToken cancellationToken); }

            public class OrdersController(IOrderNotifier notifier) : ControllerBase
            {
                [HttpPost]
                public IActionResult Place(Order order)
                {
                    {|#0:notifier.NotifyAsync(order, HttpContext.RequestAborted)|};
                    return Accepted();
                }
            }
            """, """
            public interface IOrderNotifier { Task NotifyAsync(Order order, CancellationToken cancellationToken); }

            public class OrdersController(IOrderNotifier notifier) : ControllerBase
            {
                [HttpPost]
                public IActionResult Place(Order order)
                {
                    HttpContext.RequestServices.GetRequiredService<IBackgroundWorkQueue>().Enqueue(async (services, cancellationToken) =>
                    {
                        var notifier = services.GetRequiredService<IOrderNotifier>();
                        await notifier.NotifyAsync(order, cancellationToken);
                    });
                    return Accepted();
                }
            }
            """, Perf007(0));
    }

    [Theory]
    [InlineData("_ = {|#0:Task.Run(() => Response.WriteAsync(\"late\"))|};", "the response")]
    [InlineData("_ = {|#0:Task.Run(() => Log(to))|};", "a method of the controller")]
    [InlineData("_ = {|#0:Task.Run(() => _mailer.SendAsync(HttpContext.User.Identity!.Name!))|};", "HttpContext")]
    [InlineData("var message = new System.Net.Mail.MailMessage(); _ = {|#0:Task.Run(() => _mailer.SendAsync(message.Subject))|};", "a local the worker cannot copy")]
    [InlineData("_mailer.Send(to); _ = {|#0:_mailer.SendAsync(to)|};", "a service the handler also uses (its state)")]
    [InlineData("var sent = 0; _ = {|#0:Task.Run(() => sent++)|};", "a write to a handler variable")]
    [InlineData("_ = {|#0:Task.Run(() => Helper())|}; void Helper() { }", "a local function of the handler")]
    [InlineData("{|#0:ThreadPool.QueueUserWorkItem(state => _mailer.Send((string)state!), to)|};", "the launcher's state parameter")]
    public async Task Work_that_cannot_move_safely_gets_no_offload_fix(string statements, string reason)
    {
        _ = reason;
        await NotOfferedAsync<FireAndForgetInRequestHandlerAnalyzer>($$"""
            public class MailController : ControllerBase
            {
                private readonly IMailer _mailer;

                public MailController(IMailer mailer) => _mailer = mailer;

                public IActionResult Send(string to)
                {
                    {{statements}}
                    return Accepted();
                }

                private void Log(string value) { }
            }
            """, Perf007(0));
    }

    [Fact]
    public async Task A_PERF004_call_whose_result_the_handler_uses_gets_no_offload_fix()
    {
        await NotOfferedAsync<SynchronousWorkInRequestHandlerAnalyzer>("""
            public class FilesController : ControllerBase
            {
                public IActionResult Read(string path)
                {
                    var text = {|#0:System.IO.File.ReadAllText(path)|};
                    return Ok(text);
                }
            }
            """, Perf004(0));
    }

    [Fact]
    public async Task A_site_inside_a_nested_lambda_and_work_reading_the_request_through_an_HttpContext_parameter_get_no_offload_fix()
    {
        await NotOfferedAsync<FireAndForgetInRequestHandlerAnalyzer>("""
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/a", (IMailer mailer) =>
                    {
                        new[] { "a", "b" }.ToList().ForEach(to => { _ = {|#0:mailer.SendAsync(to)|}; });
                        return Results.Accepted();
                    });
                    app.MapPost("/b", ([FromServices] IMailer mailer, HttpContext context) =>
                    {
                        _ = {|#1:mailer.SendAsync(context.Request.Path)|};
                        return Results.Accepted();
                    });
                }
            }
            """, Perf007(0), Perf007(1));
    }

    [Fact]
    public async Task An_existing_queue_in_the_project_is_reused_without_a_second_type_or_registration()
    {
        var test = new CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer> { CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey };
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
        test.TestState.Sources.Add(("/0/Program.cs", RegisteredProgram));
        test.TestState.Sources.Add(("/0/BackgroundWorkQueue.cs", GeneratedQueue));
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.Sources.Add(("/0/Test0.cs", FixedUsings + Mailer + """
            public class MailController : ControllerBase
            {
                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    HttpContext.RequestServices.GetRequiredService<IBackgroundWorkQueue>().Enqueue(async (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        await mailer.SendAsync(to);
                    });
                    return Accepted();
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Program.cs", RegisteredProgram));
        test.FixedState.Sources.Add(("/0/BackgroundWorkQueue.cs", GeneratedQueue));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_the_project_offloads_sites_of_several_documents_with_one_queue_type_and_one_registration()
    {
        var test = new CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer>
        {
            CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey,
            // One at a time, the second and third fixes reuse the queue the first one generated; Fix All generates it once.
            NumberOfIncrementalIterations = 3,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 2,
        };
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
        test.FixedState.Sources.Add(("/0/Test0.cs", FixedUsings + Mailer + """
            public class MailController : ControllerBase
            {
                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    HttpContext.RequestServices.GetRequiredService<IBackgroundWorkQueue>().Enqueue(async (services, cancellationToken) =>
                    {
                        var mailer = services.GetRequiredService<IMailer>();
                        await mailer.SendAsync(to);
                    });
                    HttpContext.RequestServices.GetRequiredService<IBackgroundWorkQueue>().Enqueue((services, cancellationToken) =>
                    {
                        System.IO.File.WriteAllText(to, "sent");
                        return ValueTask.CompletedTask;
                    });
                    return Accepted();
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Test1.cs", FixedUsings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/a", (string to, IMailer mailer, IBackgroundWorkQueue backgroundWorkQueue) =>
                    {
                        backgroundWorkQueue.Enqueue(async (services, cancellationToken) =>
                        {
                            var mailer = services.GetRequiredService<IMailer>();
                            await mailer.SendAsync(to);
                        });
                        return Results.Accepted();
                    });
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/Program.cs", RegisteredProgram));
        test.FixedState.Sources.Add(("/0/BackgroundWorkQueue.cs", GeneratedQueue));
        await test.RunAsync();
    }

    [Fact]
    public async Task An_endpoint_mapped_in_Main_is_fixed_and_the_queue_registered_in_the_same_file()
    {
        var test = new CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer> { CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey };
        test.TestState.Sources.Add(("/0/Program.cs", """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            public interface INotifier { Task NotifyAsync(int id); }

            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    var app = builder.Build();
                    app.MapPost("/orders/{id}", (int id, INotifier notifier) =>
                    {
                        {|#0:notifier.NotifyAsync(id)|};
                        return Results.Accepted();
                    });
                    app.Run();
                }
            }
            """));
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.Sources.Add(("/0/Program.cs", """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.Extensions.DependencyInjection;

            public interface INotifier { Task NotifyAsync(int id); }

            public static class Program
            {
                public static void Main(string[] args)
                {
                    var builder = WebApplication.CreateBuilder(args);
                    builder.Services.AddSingleton<IBackgroundWorkQueue, BackgroundWorkQueue>();
                    builder.Services.AddHostedService<QueuedWorkService>();
                    var app = builder.Build();
                    app.MapPost("/orders/{id}", (int id, INotifier notifier, IBackgroundWorkQueue backgroundWorkQueue) =>
                    {
                        backgroundWorkQueue.Enqueue(async (services, cancellationToken) =>
                        {
                            var notifier = services.GetRequiredService<INotifier>();
                            await notifier.NotifyAsync(id);
                        });
                        return Results.Accepted();
                    });
                    app.Run();
                }
            }
            """));
        test.FixedState.Sources.Add(("/0/BackgroundWorkQueue.cs", GeneratedQueue));
        await test.RunAsync();
    }

    [Fact]
    public async Task An_endpoint_in_top_level_statements_is_fixed_and_the_registration_goes_after_the_builder()
    {
        var test = new CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer> { CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey };
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
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddSingleton<IBackgroundWorkQueue, BackgroundWorkQueue>();
            builder.Services.AddHostedService<QueuedWorkService>();
            var app = builder.Build();
            app.MapPost("/audit/{id}", (int id, IBackgroundWorkQueue backgroundWorkQueue) =>
            {
                backgroundWorkQueue.Enqueue((services, cancellationToken) =>
                {
                    File.AppendAllText("audit.log", id.ToString());
                    return ValueTask.CompletedTask;
                });
                return Results.Accepted();
            });
            app.Run();
            """));
        test.FixedState.Sources.Add(("/0/BackgroundWorkQueue.cs", GeneratedQueue));
        await test.RunAsync();
    }

    [Fact]
    public async Task With_a_root_namespace_no_file_declares_yet_the_queue_joins_the_startup_and_the_endpoint_uses_short_names()
    {
        var test = new CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer> { CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey };
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
            using Microsoft.Extensions.DependencyInjection;
            using Shop;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddSingleton<IBackgroundWorkQueue, BackgroundWorkQueue>();
            builder.Services.AddHostedService<QueuedWorkService>();
            var app = builder.Build();
            app.MapPost("/audit/{id}", (int id, IBackgroundWorkQueue backgroundWorkQueue) =>
            {
                backgroundWorkQueue.Enqueue((services, cancellationToken) =>
                {
                    File.AppendAllText("audit.log", id.ToString());
                    return ValueTask.CompletedTask;
                });
                return Results.Accepted();
            });
            app.Run();

            """ + "\n" + BackgroundQueueSource.GenerateNamespaceBlock("Shop")));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_project_without_a_startup_to_register_the_queue_in_gets_no_offload_fix()
    {
        var source = Usings + Mailer + """
            public class MailController : ControllerBase
            {
                public IActionResult Send(string to, [FromServices] IMailer mailer)
                {
                    _ = {|#0:mailer.SendAsync(to)|};
                    return Accepted();
                }
            }
            """;
        var test = new CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer>
        {
            CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey,
            TestCode = source,
            FixedCode = source,
        };
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.ExpectedDiagnostics.Add(Perf007(0));
        await test.RunAsync();
    }

    [Fact]
    public async Task Handlers_with_syntax_errors_and_expression_bodied_handlers_get_no_fix_and_no_exception()
    {
        var source = Usings + Mailer + """
            public class MailController : ControllerBase
            {
                public Task Send(string to, [FromServices] IMailer mailer) => mailer.SendAsync(to);

                public IActionResult Broken(string to, [FromServices] IMailer mailer)
                {
                    _ = {|#1:mailer.SendAsync(to)|}
                    return Accepted(
                }
            }
            """;
        var test = new CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer>
        {
            CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.TestState.Sources.Add(("/0/Test0.cs", source));
        test.TestState.Sources.Add(("/0/Program.cs", Program));
        test.FixedState.Sources.Add(("/0/Test0.cs", source));
        test.FixedState.Sources.Add(("/0/Program.cs", Program));
        test.ExpectedDiagnostics.Add(Perf007(1));
        test.FixedState.ExpectedDiagnostics.Add(Perf007(1));
        await test.RunAsync();
    }

    private static CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer> HangfireTest(string source, string fixedSource)
    {
        var hangfire = MetadataReference.CreateFromFile(typeof(Hangfire.BackgroundJob).Assembly.Location);
        var test = new CodeFixTest<FireAndForgetInRequestHandlerAnalyzer, OffloadToBackgroundQueueFixer>
        {
            CodeActionEquivalenceKey = OffloadToBackgroundQueueFixer.OffloadKey,
            TestCode = source,
            FixedCode = fixedSource,
        };
        test.TestState.AdditionalReferences.Add(hangfire);
        test.FixedState.AdditionalReferences.Add(hangfire);
        return test;
    }

    [Fact]
    public async Task In_a_project_with_Hangfire_a_call_on_an_injected_service_becomes_a_Hangfire_job_with_the_token_left_to_Hangfire()
    {
        var test = HangfireTest(Usings + Mailer + """
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
            """, Usings.Replace("using System.Threading.Tasks;", "using System.Threading.Tasks;\nusing Hangfire;", StringComparison.Ordinal) + Mailer + """
            public class OrdersController : ControllerBase
            {
                private readonly IMailer _mailer;

                public OrdersController(IMailer mailer) => _mailer = mailer;

                public IActionResult Confirm(int id, string to, CancellationToken cancellationToken)
                {
                    BackgroundJob.Enqueue<IMailer>(mailer => mailer.SendAsync(to, CancellationToken.None));
                    return Accepted(id);
                }
            }
            """);
        test.ExpectedDiagnostics.Add(Perf007(0));
        await test.RunAsync();
    }

    [Fact]
    public async Task In_a_project_with_Hangfire_Task_Run_of_a_public_static_method_becomes_a_Hangfire_job()
    {
        var test = HangfireTest(Usings + """
            public static class AuditLog { public static void Write(int id, string user) { } }

            public class OrdersController : ControllerBase
            {
                public IActionResult Delete(int id, string user)
                {
                    _ = {|#0:Task.Run(() => AuditLog.Write(id, user))|};
                    return NoContent();
                }
            }
            """, Usings.Replace("using System.Threading.Tasks;", "using System.Threading.Tasks;\nusing Hangfire;", StringComparison.Ordinal) + """
            public static class AuditLog { public static void Write(int id, string user) { } }

            public class OrdersController : ControllerBase
            {
                public IActionResult Delete(int id, string user)
                {
                    BackgroundJob.Enqueue(() => AuditLog.Write(id, user));
                    return NoContent();
                }
            }
            """);
        test.ExpectedDiagnostics.Add(Perf007(0));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("_ = {|#0:Task.Run(() => { _mailer.Send(to); _mailer.Send(to); })|};")]
    [InlineData("_ = {|#0:Counter.NextAsync()|};")]
    [InlineData("_ = {|#0:Task.Run(() => Counter.Hidden(to))|};")]
    public async Task In_a_project_with_Hangfire_work_that_is_not_one_public_call_returning_void_or_Task_gets_no_fix(string statement)
    {
        var source = Usings + Mailer + $$"""
            public static class Counter { public static ValueTask<int> NextAsync() => new(1); internal static void Hidden(string value) { } }

            public class MailController : ControllerBase
            {
                private readonly IMailer _mailer;

                public MailController(IMailer mailer) => _mailer = mailer;

                public IActionResult Send(string to)
                {
                    {{statement}}
                    return Accepted();
                }
            }
            """;
        var test = HangfireTest(source, source);
        test.ExpectedDiagnostics.Add(Perf007(0));
        test.FixedState.ExpectedDiagnostics.Add(Perf007(0));
        await test.RunAsync();
    }
}
