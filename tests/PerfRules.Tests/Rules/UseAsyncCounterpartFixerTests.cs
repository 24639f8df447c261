using Microsoft.CodeAnalysis;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using CodeFixTestBehaviors = Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors;
using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;

namespace PerfRules.Tests.Rules;

public sealed class UseAsyncCounterpartFixerTests
{
    private const string Usings = SynchronousWorkInRequestHandlerAnalyzerTests.Usings;

    private static DiagnosticResult Reported(int markup) => new DiagnosticResult(SynchronousWorkInRequestHandlerAnalyzer.Rule.Id, DiagnosticSeverity.Warning).WithLocation(markup);

    private static async Task FixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new CodeFixTest<SynchronousWorkInRequestHandlerAnalyzer, UseAsyncCounterpartFixer>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
            CodeActionEquivalenceKey = UseAsyncCounterpartFixer.UseAsyncKey,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_synchronous_file_read_in_an_action_becomes_an_awaited_async_read_with_RequestAborted()
    {
        await FixAsync("""
            public class ReportsController : ControllerBase
            {
                public IActionResult Get(string path)
                {
                    var text = {|#0:System.IO.File.ReadAllText(path)|};
                    return Ok(text);
                }
            }
            """, """
            public class ReportsController : ControllerBase
            {
                public async Task<IActionResult> Get(string path)
                {
                    var text = await System.IO.File.ReadAllTextAsync(path, HttpContext.RequestAborted);
                    return Ok(text);
                }
            }
            """, Reported(0));
    }

    [Fact]
    public async Task A_handler_CancellationToken_parameter_is_passed_and_a_void_action_returns_Task()
    {
        await FixAsync("""
            public class ReportsController : ControllerBase
            {
                public void Save(string path, CancellationToken token)
                {
                    {|#0:System.IO.File.WriteAllText(path, "x")|};
                }
            }
            """, """
            public class ReportsController : ControllerBase
            {
                public async Task Save(string path, CancellationToken token)
                {
                    await System.IO.File.WriteAllTextAsync(path, "x", token);
                }
            }
            """, Reported(0));
    }

    [Fact]
    public async Task Thread_Sleep_in_an_endpoint_lambda_becomes_Task_Delay_with_a_new_cancellation_token_parameter()
    {
        await FixAsync("""
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/slow", () =>
                    {
                        {|#0:Thread.Sleep(100)|};
                        return "done";
                    });
                }
            }
            """, """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/slow", async (CancellationToken cancellationToken) =>
                    {
                        await Task.Delay(100, cancellationToken);
                        return "done";
                    });
                }
            }
            """, Reported(0));
    }

    [Fact]
    public async Task Result_in_middleware_is_awaited_and_the_returned_task_is_awaited_too()
    {
        await FixAsync("""
            public class GreetingMiddleware
            {
                private readonly RequestDelegate _next;
                public GreetingMiddleware(RequestDelegate next) => _next = next;
                public Task InvokeAsync(HttpContext context, HttpClient client)
                {
                    context.Items["greeting"] = {|#0:client.GetStringAsync("http://localhost/").Result|};
                    return _next(context);
                }
            }
            """, """
            public class GreetingMiddleware
            {
                private readonly RequestDelegate _next;
                public GreetingMiddleware(RequestDelegate next) => _next = next;
                public async Task InvokeAsync(HttpContext context, HttpClient client)
                {
                    context.Items["greeting"] = await client.GetStringAsync("http://localhost/");
                    await _next(context);
                    return;
                }
            }
            """, Reported(0));
    }

    [Fact]
    public async Task A_result_used_as_a_receiver_is_parenthesized_and_an_expression_bodied_page_handler_is_fixed()
    {
        await FixAsync("""
            public class IndexModel : PageModel
            {
                public string Text { get; set; } = "";
                public void OnGet(Stream body) => Text = {|#0:new StreamReader(body).ReadToEnd()|}.Trim();
            }
            """, """
            public class IndexModel : PageModel
            {
                public string Text { get; set; } = "";
                public async Task OnGet(Stream body) => Text = (await new StreamReader(body).ReadToEndAsync(HttpContext.RequestAborted)).Trim();
            }
            """, Reported(0));
    }

    [Fact]
    public async Task Fix_all_rewrites_several_calls_of_one_handler_and_keeps_it_compiling()
    {
        var test = new CodeFixTest<SynchronousWorkInRequestHandlerAnalyzer, UseAsyncCounterpartFixer>
        {
            TestCode = Usings + """
                public class FilesController : ControllerBase
                {
                    public string Copy(string from, string to)
                    {
                        var text = {|#0:System.IO.File.ReadAllText(from)|};
                        {|#1:System.IO.File.WriteAllText(to, text)|};
                        {|#2:Thread.Sleep(10)|};
                        return text;
                    }

                    public int Length(Task<string> pending) => {|#3:pending.GetAwaiter().GetResult()|}.Length;
                }
                """,
            FixedCode = Usings + """
                public class FilesController : ControllerBase
                {
                    public async Task<string> Copy(string from, string to)
                    {
                        var text = await System.IO.File.ReadAllTextAsync(from, HttpContext.RequestAborted);
                        await System.IO.File.WriteAllTextAsync(to, text, HttpContext.RequestAborted);
                        await Task.Delay(10, HttpContext.RequestAborted);
                        return text;
                    }

                    public async Task<int> Length(Task<string> pending) => (await pending).Length;
                }
                """,
            CodeActionEquivalenceKey = UseAsyncCounterpartFixer.UseAsyncKey,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllInProjectCheck | CodeFixTestBehaviors.SkipFixAllInSolutionCheck,
            NumberOfFixAllIterations = 1,
            NumberOfIncrementalIterations = 4,
        };
        test.ExpectedDiagnostics.AddRange(new[] { Reported(0), Reported(1), Reported(2), Reported(3) });
        await test.RunAsync();
    }

    [Fact]
    public async Task EF_Core_query_and_SaveChanges_become_awaited_async_calls()
    {
        var test = new CodeFixTest<SynchronousWorkInRequestHandlerAnalyzer, UseAsyncCounterpartFixer>
        {
            TestCode = Usings + """
                using Microsoft.EntityFrameworkCore;

                public class Order { public int Id { get; set; } }
                public class ShopContext : DbContext { public DbSet<Order> Orders { get; set; } = null!; }

                public class OrdersController : ControllerBase
                {
                    public int Touch(ShopContext db)
                    {
                        var orders = {|#0:db.Orders.ToList()|};
                        return {|#1:db.SaveChanges()|} + orders.Count;
                    }
                }
                """ + SynchronousWorkInRequestHandlerAnalyzerTests.EfCoreLookAlike,
            FixedCode = Usings + """
                using Microsoft.EntityFrameworkCore;

                public class Order { public int Id { get; set; } }
                public class ShopContext : DbContext { public DbSet<Order> Orders { get; set; } = null!; }

                public class OrdersController : ControllerBase
                {
                    public async Task<int> Touch(ShopContext db)
                    {
                        var orders = await db.Orders.ToListAsync(HttpContext.RequestAborted);
                        return await db.SaveChangesAsync(HttpContext.RequestAborted) + orders.Count;
                    }
                }
                """ + SynchronousWorkInRequestHandlerAnalyzerTests.EfCoreLookAlike,
            CodeActionEquivalenceKey = UseAsyncCounterpartFixer.UseAsyncKey,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllInProjectCheck | CodeFixTestBehaviors.SkipFixAllInSolutionCheck,
            NumberOfFixAllIterations = 1,
            NumberOfIncrementalIterations = 2,
        };
        test.ExpectedDiagnostics.AddRange(new[] { Reported(0), Reported(1) });
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_in_a_nested_lambda_an_override_or_with_a_timeout()
    {
        var source = Usings + """
            public abstract class BaseController : ControllerBase { public abstract string Get(string path); }

            public class FilesController : BaseController
            {
                public override string Get(string path) => {|#0:System.IO.File.ReadAllText(path)|};

                public object All(string[] paths) => paths.Select(p => {|#1:System.IO.File.ReadAllText(p)|}).ToList();

                public bool Wait(Task pending) => {|#2:pending.Wait(100)|};
            }
            """;
        var test = new CodeFixTest<SynchronousWorkInRequestHandlerAnalyzer, UseAsyncCounterpartFixer>
        {
            TestCode = source,
            FixedCode = source,
        };
        test.ExpectedDiagnostics.AddRange(new[] { Reported(0), Reported(1), Reported(2) });
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_for_a_lambda_with_an_explicit_return_type()
    {
        // Making it async would also need its declared return type rewritten to a task type.
        var source = Usings + """
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                    => app.MapGet("/site.css", string (string path) => {|#0:System.IO.File.ReadAllText(path)|});
            }
            """;
        var test = new CodeFixTest<SynchronousWorkInRequestHandlerAnalyzer, UseAsyncCounterpartFixer>
        {
            TestCode = source,
            FixedCode = source,
        };
        test.ExpectedDiagnostics.Add(Reported(0));
        await test.RunAsync();
    }
}
