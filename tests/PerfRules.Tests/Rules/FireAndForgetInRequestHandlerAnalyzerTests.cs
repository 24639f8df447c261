using Microsoft.CodeAnalysis;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.FireAndForgetInRequestHandlerAnalyzer>;

namespace PerfRules.Tests.Rules;

public sealed class FireAndForgetInRequestHandlerAnalyzerTests
{
    private const string Usings = SynchronousWorkInRequestHandlerAnalyzerTests.Usings;

    private const string Consequences = "it is lost when the app shuts down, escapes the request's scope and may use the HttpContext or a scoped DbContext after they are disposed";

    private const string Queue = "queue it to a background worker (a hosted service reading a Channel, Hangfire, Quartz)";

    private static DiagnosticResult Reported(int markup) => new DiagnosticResult(FireAndForgetInRequestHandlerAnalyzer.Rule).WithLocation(markup);

    private static DiagnosticResult ReportedAt(int markup) => new DiagnosticResult(FireAndForgetInRequestHandlerAnalyzer.Rule.Id, DiagnosticSeverity.Warning).WithLocation(markup);

    [Fact]
    public async Task Discarded_Task_Run_StartNew_QueueUserWorkItem_and_Thread_Start_in_an_action_are_reported()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
            public class MailController : ControllerBase
            {
                public IActionResult Send()
                {
                    _ = {|#0:Task.Run(() => Thread.Sleep(1))|};
                    {|#1:Task.Factory.StartNew(() => { })|};
                    {|#2:ThreadPool.QueueUserWorkItem(_ => { })|};
                    {|#3:new Thread(() => { }).Start()|};
                    return Accepted();
                }
            }
            """,
            Reported(0).WithArguments("Task.Run", "action 'MailController.Send'", Consequences, Queue),
            Reported(1).WithArguments("TaskFactory.StartNew", "action 'MailController.Send'", Consequences, Queue),
            Reported(2).WithArguments("ThreadPool.QueueUserWorkItem", "action 'MailController.Send'", Consequences, Queue),
            Reported(3).WithArguments("Thread.Start", "action 'MailController.Send'", Consequences, Queue));
    }

    [Fact]
    public async Task Discarded_and_unawaited_task_returning_calls_in_handlers_are_reported()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
            public class Mailer { public Task SendAsync(string to) => Task.CompletedTask; public ValueTask<int> CountAsync() => new(1); }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPost("/mail", (Mailer mailer) =>
                    {
                        {|#0:mailer.SendAsync("a@b.c")|};
                        _ = {|#1:mailer.CountAsync()|};
                        return Results.Accepted();
                    });
                }
            }

            public class AuditMiddleware
            {
                private readonly RequestDelegate _next;
                public AuditMiddleware(RequestDelegate next) => _next = next;
                public async Task InvokeAsync(HttpContext context)
                {
                    {|#2:context.Response.WriteAsync("x")|};
                    await _next(context);
                }
            }
            """,
            Reported(0).WithArguments("Mailer.SendAsync", "an endpoint handler", Consequences, "await it, or " + Queue),
            ReportedAt(1),
            Reported(2).WithArguments("HttpResponseWritingExtensions.WriteAsync", "middleware 'AuditMiddleware.InvokeAsync'", Consequences, "await it, or " + Queue));
    }

    [Fact]
    public async Task Awaited_returned_or_stored_tasks_are_not_reported()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
            public class Mailer { public Task SendAsync(string to) => Task.CompletedTask; }

            public class MailController : ControllerBase
            {
                public async Task<IActionResult> Send(Mailer mailer)
                {
                    await mailer.SendAsync("a");
                    await Task.Run(() => 1);
                    var pending = mailer.SendAsync("b");
                    var started = Task.Run(() => 2);
                    await Task.WhenAll(pending, started);
                    return Ok();
                }

                public Task Forward(Mailer mailer) => mailer.SendAsync("c");
            }
            """);
    }

    [Fact]
    public async Task Fire_and_forget_outside_request_handlers_is_not_reported()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
            public class Worker : BackgroundService
            {
                protected override Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    _ = Task.Run(() => { });
                    ThreadPool.QueueUserWorkItem(_ => { });
                    return Task.CompletedTask;
                }
            }

            public class MailController : ControllerBase
            {
                private void Helper() => Task.Run(() => { });
            }

            public static class Startup
            {
                public static void Configure(WebApplication app)
                {
                    _ = Task.Run(() => { });
                    app.MapGet("/", () => "x");
                }
            }
            """);
    }

    [Fact]
    public async Task A_discarded_call_inside_a_reported_work_item_is_reported_once_at_the_launcher()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
            public class Mailer { public Task SendAsync(string to) => Task.CompletedTask; }

            public class MailController : ControllerBase
            {
                public IActionResult Send(Mailer mailer)
                {
                    {|#0:Task.Run(() => { mailer.SendAsync("a"); })|};
                    return Accepted();
                }
            }
            """,
            ReportedAt(0));
    }

    [Fact]
    public async Task A_project_without_AspNetCore_gets_no_analysis()
    {
        var test = new AnalyzerTest<FireAndForgetInRequestHandlerAnalyzer>(withAspNetCore: false)
        {
            TestCode = "public class HomeController { public void Index() { System.Threading.Tasks.Task.Run(() => { }); } }",
        };

        await test.RunAsync();
    }
}
