using DiagnosticResult = Microsoft.CodeAnalysis.Testing.DiagnosticResult;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.SynchronousWorkInRequestHandlerAnalyzer>;

namespace PerfRules.Tests.Rules;

public sealed class SynchronousWorkInRequestHandlerAnalyzerTests
{
    internal const string Usings = """
        using System;
        using System.IO;
        using System.Linq;
        using System.Net;
        using System.Net.Http;
        using System.Net.Mail;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.RazorPages;
        using Microsoft.Extensions.Hosting;

        """;

    /// <summary>
    /// EF Core is not referenced by the tests: these look-alikes declare the few members PERF004 reads under their real
    /// namespace and names (DbContext, DbSet&lt;T&gt;, EntityFrameworkQueryableExtensions).
    /// </summary>
    internal const string EfCoreLookAlike = """

        namespace Microsoft.EntityFrameworkCore
        {
            using System.Collections;
            using System.Collections.Generic;
            using System.Linq;
            using System.Linq.Expressions;
            using System.Threading;
            using System.Threading.Tasks;

            public class DbContext
            {
                public virtual int SaveChanges() => 0;
                public virtual Task<int> SaveChangesAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);
                public virtual object Add(object entity) => entity;
                public virtual ValueTask<object> AddAsync(object entity, CancellationToken cancellationToken = default) => new(entity);
            }

            public abstract class DbSet<TEntity> : IQueryable<TEntity> where TEntity : class
            {
                public abstract Type ElementType { get; }
                public abstract Expression Expression { get; }
                public abstract IQueryProvider Provider { get; }
                public abstract IEnumerator<TEntity> GetEnumerator();
                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
                public virtual object Add(TEntity entity) => entity;
                public virtual ValueTask<object> AddAsync(TEntity entity, CancellationToken cancellationToken = default) => new(entity);
                public virtual void AddRange(params TEntity[] entities) { }
                public virtual Task AddRangeAsync(params TEntity[] entities) => Task.CompletedTask;
            }

            public static class EntityFrameworkQueryableExtensions
            {
                public static Task<List<TSource>> ToListAsync<TSource>(this IQueryable<TSource> source, CancellationToken cancellationToken = default) => Task.FromResult(new List<TSource>());
                public static Task<TSource> FirstAsync<TSource>(this IQueryable<TSource> source, Expression<Func<TSource, bool>> predicate, CancellationToken cancellationToken = default) => Task.FromResult(default(TSource)!);
                public static Task<int> CountAsync<TSource>(this IQueryable<TSource> source, CancellationToken cancellationToken = default) => Task.FromResult(0);
            }
        }
        """;

    private static DiagnosticResult Reported(int markup) => new DiagnosticResult(SynchronousWorkInRequestHandlerAnalyzer.Rule).WithLocation(markup);

    /// <summary>A report whose message is checked by other tests: only the id and the location matter here.</summary>
    private static DiagnosticResult ReportedAt(int markup) => new DiagnosticResult(SynchronousWorkInRequestHandlerAnalyzer.Rule.Id, Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(markup);

    private static Task AnalyzeAsync(string body, params DiagnosticResult[] expected) => VerifyCS.AnalyzerAsync(Usings + body, expected);

    // ---- blocking waits ----

    [Fact]
    public async Task Thread_Sleep_in_an_action_is_reported_with_the_action_named()
    {
        await AnalyzeAsync("""
            public class OrdersController : ControllerBase
            {
                public IActionResult List() { {|#0:Thread.Sleep(100)|}; return Ok(); }
            }
            """,
            Reported(0).WithArguments("Thread.Sleep", "blocks the request thread while it sleeps", "action 'OrdersController.List'", "await Task.Delay instead"));
    }

    [Fact]
    public async Task Task_Wait_Result_and_GetAwaiter_GetResult_in_an_endpoint_lambda_are_reported()
    {
        await AnalyzeAsync("""
            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/a", (HttpClient client) =>
                    {
                        var t = client.GetStringAsync("http://x");
                        {|#0:t.Wait()|};
                        var a = {|#1:t.Result|};
                        var b = {|#2:client.GetStringAsync("http://y").GetAwaiter().GetResult()|};
                        {|#3:Task.WaitAll(t)|};
                        {|#4:Task.WaitAny(t)|};
                        return a + b;
                    });
                }
            }
            """,
            ReportedAt(0), ReportedAt(1), ReportedAt(2), ReportedAt(3), ReportedAt(4));
    }

    [Fact]
    public async Task Blocking_in_a_page_handler_and_in_middleware_is_reported()
    {
        await AnalyzeAsync("""
            public class EditModel : PageModel
            {
                public void OnGet() { {|#0:Thread.Sleep(1)|}; }
            }

            public class TimingMiddleware
            {
                private readonly RequestDelegate _next;
                public TimingMiddleware(RequestDelegate next) => _next = next;
                public Task InvokeAsync(HttpContext context) { {|#1:Thread.Sleep(1)|}; return _next(context); }
            }

            public class FactoryMiddleware : IMiddleware
            {
                Task IMiddleware.InvokeAsync(HttpContext context, RequestDelegate next) { {|#2:Thread.Sleep(1)|}; return next(context); }
            }
            """,
            Reported(0).WithArguments("Thread.Sleep", "blocks the request thread while it sleeps", "page handler 'EditModel.OnGet'", "await Task.Delay instead"),
            Reported(1).WithArguments("Thread.Sleep", "blocks the request thread while it sleeps", "middleware 'TimingMiddleware.InvokeAsync'", "await Task.Delay instead"),
            ReportedAt(2));
    }

    // ---- synchronous I/O with an async counterpart found by symbol ----

    [Fact]
    public async Task Synchronous_file_stream_and_http_calls_are_reported_with_their_counterpart()
    {
        await AnalyzeAsync("""
            public class FilesController : ControllerBase
            {
                public string Read(string path, HttpClient client, Stream stream, HttpRequestMessage request)
                {
                    var text = {|#0:System.IO.File.ReadAllText(path)|};
                    using var reader = new StreamReader(stream);
                    var rest = {|#1:reader.ReadToEnd()|};
                    {|#2:stream.Flush()|};
                    using var response = {|#3:client.Send(request)|};
                    return text + rest;
                }
            }
            """,
            Reported(0).WithArguments("File.ReadAllText", "blocks the request thread on I/O", "action 'FilesController.Read'", "await 'ReadAllTextAsync' instead"),
            Reported(1).WithArguments("StreamReader.ReadToEnd", "blocks the request thread on I/O", "action 'FilesController.Read'", "await 'ReadToEndAsync' instead"),
            Reported(2).WithArguments("Stream.Flush", "blocks the request thread on I/O", "action 'FilesController.Read'", "await 'FlushAsync' instead"),
            Reported(3).WithArguments("HttpClient.Send", "blocks the request thread on I/O", "action 'FilesController.Read'", "await 'SendAsync' instead"));
    }

    [Fact]
    public async Task Every_call_of_a_method_with_a_counterpart_is_reported_and_calls_without_one_are_not()
    {
        // The same methods called many times, on different constructed types: what is decided once per method must hold
        // for each call, whichever comes first.
        await AnalyzeAsync("""
            public class FilesController : ControllerBase
            {
                public string First(Stream stream)
                {
                    using var reader = new StreamReader(stream);
                    stream.Position = 0;
                    var text = reader.Peek().ToString();
                    return text + {|#0:reader.ReadToEnd()|};
                }

                public string Second(Stream stream, System.Collections.Generic.List<int> a, System.Collections.Generic.List<string> b)
                {
                    using var reader = new StreamReader(stream);
                    a.Add(1);
                    b.Add("x");
                    {|#1:stream.Flush()|};
                    return reader.Peek() + {|#2:reader.ReadToEnd()|} + {|#3:reader.ReadToEnd()|};
                }
            }
            """,
            ReportedAt(0),
            ReportedAt(1),
            ReportedAt(2),
            ReportedAt(3));
    }

    [Fact]
    public async Task SmtpClient_Send_WebClient_and_WebRequest_are_reported()
    {
        await AnalyzeAsync("""
            #pragma warning disable SYSLIB0014
            public class MailController : ControllerBase
            {
                public void Send(SmtpClient smtp, MailMessage message, WebClient web, WebRequest request)
                {
                    {|#0:smtp.Send(message)|};
                    var page = {|#1:web.DownloadString("http://x")|};
                    using var response = {|#2:request.GetResponse()|};
                }
            }
            """,
            Reported(0).WithArguments("SmtpClient.Send", "blocks the request thread on I/O", "action 'MailController.Send'", "await 'SendMailAsync' instead"),
            Reported(1).WithArguments("WebClient.DownloadString", "blocks the request thread on I/O", "action 'MailController.Send'", "await 'DownloadStringTaskAsync' instead"),
            Reported(2).WithArguments("WebRequest.GetResponse", "blocks the request thread on I/O", "action 'MailController.Send'", "await 'GetResponseAsync' instead"));
    }

    [Fact]
    public async Task AdoNet_Open_and_Execute_calls_are_reported()
    {
        await AnalyzeAsync("""
            public class ReportsController : ControllerBase
            {
                public object Get(System.Data.Common.DbConnection connection)
                {
                    {|#0:connection.Open()|};
                    using var command = connection.CreateCommand();
                    {|#1:command.ExecuteNonQuery()|};
                    using var reader = {|#2:command.ExecuteReader()|};
                    while ({|#3:reader.Read()|}) { }
                    return {|#4:command.ExecuteScalar()|}!;
                }
            }
            """,
            ReportedAt(0), ReportedAt(1), ReportedAt(2), ReportedAt(3), ReportedAt(4));
    }

    [Fact]
    public async Task EF_Core_synchronous_queries_and_SaveChanges_are_reported_but_not_Add()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
            using Microsoft.EntityFrameworkCore;

            public class Order { public int Id { get; set; } }

            public class ShopContext : DbContext { public DbSet<Order> Orders { get; set; } = null!; }

            public class OrdersController : ControllerBase
            {
                public object List(ShopContext db)
                {
                    var all = {|#0:db.Orders.Where(o => o.Id > 0).ToList()|};
                    var first = {|#1:db.Orders.First(o => o.Id == 1)|};
                    var count = {|#2:db.Orders.Count()|};
                    db.Add(new Order());
                    db.Orders.Add(new Order());
                    db.Orders.AddRange(new Order());
                    {|#3:db.SaveChanges()|};
                    var inMemory = new[] { 1, 2 }.AsQueryable().ToList();
                    return all;
                }
            }
            """ + EfCoreLookAlike,
            Reported(0).WithArguments("Enumerable.ToList", "runs a synchronous database query on the request thread", "action 'OrdersController.List'", "await 'ToListAsync' instead"),
            Reported(1).WithArguments("Queryable.First", "runs a synchronous database query on the request thread", "action 'OrdersController.List'", "await 'FirstAsync' instead"),
            ReportedAt(2),
            Reported(3).WithArguments("DbContext.SaveChanges", "blocks the request thread on I/O", "action 'OrdersController.List'", "await 'SaveChangesAsync' instead"));
    }

    [Fact]
    public async Task Process_WaitForExit_and_key_derivation_with_many_iterations_are_reported()
    {
        await AnalyzeAsync("""
            using System.Diagnostics;
            using System.Security.Cryptography;

            public class ToolsController : ControllerBase
            {
                public byte[] Run(Process process, byte[] salt)
                {
                    {|#0:process.WaitForExit()|};
                    {|#1:process.WaitForExit(1000)|};
                    var key = {|#2:Rfc2898DeriveBytes.Pbkdf2("password", salt, 600_000, HashAlgorithmName.SHA256, 32)|};
                    using var legacy = {|#3:new Rfc2898DeriveBytes("password", salt, 200_000, HashAlgorithmName.SHA256)|};
                    var cheap = Rfc2898DeriveBytes.Pbkdf2("password", salt, 1_000, HashAlgorithmName.SHA256, 32);
                    return key;
                }
            }
            """,
            Reported(0).WithArguments("Process.WaitForExit", "blocks the request thread until the process exits", "action 'ToolsController.Run'", "await WaitForExitAsync instead"),
            ReportedAt(1),
            Reported(2).WithArguments("Rfc2898DeriveBytes.Pbkdf2", "runs 600,000 key-derivation iterations on the request thread", "action 'ToolsController.Run'", "move the work off the request path (or cache the derived key)"),
            ReportedAt(3));
    }

    // ---- look-alikes and lessons from other analyzers ----

    [Fact]
    public async Task A_class_of_the_project_named_Rfc2898DeriveBytes_is_not_key_derivation()
    {
        await AnalyzeAsync("""
            namespace Legacy
            {
                public sealed class Rfc2898DeriveBytes
                {
                    public Rfc2898DeriveBytes(string password, byte[] salt, int iterations) { }
                }
            }

            public class LegacyController : ControllerBase
            {
                public object Run(byte[] salt)
                    => new Legacy.Rfc2898DeriveBytes("password", salt, 600_000);
            }
            """);
    }

    [Fact]
    public async Task A_parameterless_method_is_not_matched_to_an_Async_twin_with_a_different_result()
    {
        await AnalyzeAsync("""
            public class Cache
            {
                public void Refresh() { }
                public Task<int> RefreshAsync() => Task.FromResult(1);
                public int Load(string key) => 0;
                public Task<int> LoadAsync(string key, int retries) => Task.FromResult(1);
                public string Name() => "";
                public Task<string> NameAsync(CancellationToken token) => Task.FromResult("");
            }

            public class CacheController : ControllerBase
            {
                public string Get(Cache cache)
                {
                    cache.Refresh();
                    cache.Load("k");
                    return {|#0:cache.Name()|};
                }
            }
            """,
            Reported(0).WithArguments("Cache.Name", "blocks the request thread on I/O", "action 'CacheController.Get'", "await 'NameAsync' instead"));
    }

    [Fact]
    public async Task CancellationTokenSource_Cancel_Dispose_and_in_memory_streams_are_not_reported()
    {
        await AnalyzeAsync("""
            public class StreamsController : ControllerBase
            {
                public string Get(CancellationTokenSource source)
                {
                    source.Cancel();
                    using var memory = new MemoryStream();
                    memory.Write(new byte[1], 0, 1);
                    memory.Flush();
                    using var reader = new StringReader("x");
                    var text = reader.ReadToEnd();
                    var stream = new MemoryStream();
                    stream.Dispose();
                    return text;
                }
            }
            """);
    }

    [Fact]
    public async Task Blocking_code_outside_request_handlers_is_not_reported()
    {
        await AnalyzeAsync("""
            public class Worker : BackgroundService
            {
                protected override Task ExecuteAsync(CancellationToken stoppingToken) { Thread.Sleep(1); System.IO.File.ReadAllText("x"); return Task.CompletedTask; }
            }

            public class OrdersController : ControllerBase
            {
                [NonAction] public void Helper() => Thread.Sleep(1);
                private void Private() => Thread.Sleep(1);
                public static void Static() => Thread.Sleep(1);
            }

            public class OrderService { public string Load() => System.IO.File.ReadAllText("x"); }

            public static class Startup
            {
                public static void Configure(WebApplication app)
                {
                    Thread.Sleep(1);
                    app.Use(async (context, next) => { await next(context); });
                    app.MapGet("/", () => "x");
                }
            }
            """);
    }

    [Fact]
    public async Task A_project_without_AspNetCore_gets_no_analysis()
    {
        var test = new AnalyzerTest<SynchronousWorkInRequestHandlerAnalyzer>(withAspNetCore: false)
        {
            TestCode = "public class HomeController { public void Index() => System.Threading.Thread.Sleep(1); }",
        };

        await test.RunAsync();
    }

    // ---- nested functions ----

    [Fact]
    public async Task Blocking_in_a_lambda_that_runs_synchronously_is_reported_but_not_in_Task_Run_work_items()
    {
        await AnalyzeAsync("""
            public class FilesController : ControllerBase
            {
                public object Get(string[] paths)
                {
                    var texts = paths.Select(p => {|#0:System.IO.File.ReadAllText(p)|}).ToList();
                    _ = Task.Run(() => Thread.Sleep(1));
                    ThreadPool.QueueUserWorkItem(_ => Thread.Sleep(1));
                    new Thread(() => Thread.Sleep(1)).Start();
                    return texts;
                }
            }
            """,
            ReportedAt(0));
    }

    [Fact]
    public async Task Blocking_in_a_background_queue_work_item_is_not_reported_but_in_a_look_alike_lambda_it_is()
    {
        await AnalyzeAsync("""
            public interface IWorkQueue { void Enqueue(Func<IServiceProvider, CancellationToken, ValueTask> work); }

            public class FilesController : ControllerBase
            {
                public IActionResult Save(string path, [FromServices] IWorkQueue queue)
                {
                    queue.Enqueue((services, cancellationToken) =>
                    {
                        System.IO.File.WriteAllText(path, "x");
                        return ValueTask.CompletedTask;
                    });
                    Func<IServiceProvider, CancellationToken, Task> notAWorkItem = (services, cancellationToken) =>
                    {
                        {|#0:System.IO.File.WriteAllText(path, "y")|};
                        return Task.CompletedTask;
                    };
                    return Accepted(notAWorkItem);
                }
            }
            """,
            ReportedAt(0));
    }

    [Fact]
    public async Task Method_groups_mapped_in_the_same_file_are_handlers()
    {
        await AnalyzeAsync("""
            public static class Endpoints
            {
                public static void Map(WebApplication app) => app.MapGet("/", Get);

                public static string Get() { {|#0:Thread.Sleep(1)|}; return "x"; }

                public static string NotMapped() { Thread.Sleep(1); return "x"; }
            }
            """,
            Reported(0).WithArguments("Thread.Sleep", "blocks the request thread while it sleeps", "endpoint handler 'Get'", "await Task.Delay instead"));
    }

    // ---- configuration ----

    [Fact]
    public async Task Excluded_symbols_from_editorconfig_are_not_reported()
    {
        var test = new AnalyzerTest<SynchronousWorkInRequestHandlerAnalyzer>
        {
            TestCode = Usings + """
                public class FilesController : ControllerBase
                {
                    public string Get(string path)
                    {
                        Thread.Sleep(1);
                        System.IO.File.WriteAllText(path, "x");
                        return {|#0:System.IO.File.ReadAllText(path)|};
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            perfrules.PERF004.excluded_symbols = M:System.Threading.Thread.Sleep(System.Int32), M:System.IO.File.WriteAllText(System.String,System.String)
            """));
        test.ExpectedDiagnostics.Add(ReportedAt(0));

        await test.RunAsync();
    }

    [Fact]
    public async Task Options_apply_to_the_files_their_editorconfig_covers_as_files_alternate()
    {
        // Three files, the first and the last under an .editorconfig that excludes Thread.Sleep: each file's calls are judged
        // by that file's options, whichever file was analysed before it.
        var test = new AnalyzerTest<SynchronousWorkInRequestHandlerAnalyzer>();
        test.TestState.Sources.Add(("/src/Legacy/AController.cs", Usings + """
            public class AController : ControllerBase
            {
                public string Get() { Thread.Sleep(1); return "a"; }
            }
            """));
        test.TestState.Sources.Add(("/src/BController.cs", Usings + """
            public class BController : ControllerBase
            {
                public string Get() { {|#0:Thread.Sleep(1)|}; return "b"; }
            }
            """));
        test.TestState.Sources.Add(("/src/Legacy/CController.cs", Usings + """
            public class CController : ControllerBase
            {
                public string Get() { Thread.Sleep(1); return {|#1:System.IO.File.ReadAllText("c")|}; }
            }
            """));
        test.TestState.AnalyzerConfigFiles.Add(("/src/Legacy/.editorconfig", """
            [*.cs]
            perfrules.PERF004.excluded_symbols = M:System.Threading.Thread.Sleep(System.Int32)
            """));
        test.ExpectedDiagnostics.Add(ReportedAt(0));
        test.ExpectedDiagnostics.Add(ReportedAt(1));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_whole_type_can_be_excluded_and_additional_blocking_symbols_are_reported()
    {
        var test = new AnalyzerTest<SynchronousWorkInRequestHandlerAnalyzer>
        {
            TestCode = Usings + """
                public class Legacy { public void Compute() { } }
                public class Gateway { public string Fetch(string id) => id; public Task<string> FetchAsync(string id, CancellationToken token = default) => Task.FromResult(id); }

                public class FilesController : ControllerBase
                {
                    public string Get(Legacy legacy, Gateway gateway, string path)
                    {
                        {|#0:legacy.Compute()|};
                        System.IO.File.ReadAllText(path);
                        return gateway.Fetch("1");
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            perfrules.PERF004.excluded_symbols = T:System.IO.File, T:Gateway
            perfrules.PERF004.additional_blocking_symbols = M:Legacy.Compute
            """));
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments("Legacy.Compute", "is configured as blocking (perfrules.PERF004.additional_blocking_symbols)", "action 'FilesController.Get'", "await an async alternative or move the work off the request path"));

        await test.RunAsync();
    }

    [Fact]
    public async Task An_additional_blocking_method_id_with_a_parameter_list_is_reported_in_a_namespace()
    {
        var test = new AnalyzerTest<SynchronousWorkInRequestHandlerAnalyzer>
        {
            TestCode = Usings + """
                namespace App.Samples
                {
                    public sealed class LegacyGateway { public string Fetch(string key) => key; }

                    public sealed class CheckoutController : ControllerBase
                    {
                        private readonly LegacyGateway _gateway = new();

                        [HttpGet("/checkout")]
                        public string Get()
                        {
                            Thread.Sleep(100);
                            return {|#0:_gateway.Fetch("basket")|};
                        }
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            perfrules.PERF004.excluded_symbols = M:System.Threading.Thread.Sleep(System.Int32)
            perfrules.PERF004.additional_blocking_symbols = M:App.Samples.LegacyGateway.Fetch(System.String)
            """));
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments("LegacyGateway.Fetch", "is configured as blocking (perfrules.PERF004.additional_blocking_symbols)", "action 'CheckoutController.Get'", "await an async alternative or move the work off the request path"));

        await test.RunAsync();
    }

    private const string ImageSharpLookAlike = """

        namespace SixLabors.ImageSharp
        {
            public class Image { public int Width => 0; }
        }

        namespace SixLabors.ImageSharp.Processing
        {
            public interface IImageProcessingContext { IImageProcessingContext Resize(int width, int height); }

            public static class ProcessingExtensions
            {
                public static void Mutate(this SixLabors.ImageSharp.Image source, System.Action<IImageProcessingContext> operation) { }
                public static SixLabors.ImageSharp.Image Clone(this SixLabors.ImageSharp.Image source, System.Action<IImageProcessingContext> operation) => source;
            }
        }

        namespace Other
        {
            public static class ProcessingExtensions
            {
                public static void Mutate(this SixLabors.ImageSharp.Image source, System.Action<SixLabors.ImageSharp.Processing.IImageProcessingContext> operation) { }
            }
        }

        """;

    [Fact]
    public async Task ImageSharp_processing_in_a_handler_is_reported_and_a_look_alike_Mutate_is_not()
    {
        var test = new AnalyzerTest<SynchronousWorkInRequestHandlerAnalyzer>
        {
            TestCode = Usings + """
                public class ThumbnailsController : ControllerBase
                {
                    public int Get(SixLabors.ImageSharp.Image image)
                    {
                        {|#0:SixLabors.ImageSharp.Processing.ProcessingExtensions.Mutate(image, x => x.Resize(64, 64))|};
                        var copy = {|#1:SixLabors.ImageSharp.Processing.ProcessingExtensions.Clone(image, x => x.Resize(32, 32))|};
                        Other.ProcessingExtensions.Mutate(image, x => x.Resize(16, 16));
                        return copy.Width;
                    }
                }

                public class Worker
                {
                    public void Run(SixLabors.ImageSharp.Image image) => SixLabors.ImageSharp.Processing.ProcessingExtensions.Mutate(image, x => x.Resize(64, 64));
                }
                """ + ImageSharpLookAlike,
        };
        test.ExpectedDiagnostics.Add(Reported(0).WithArguments("ImageSharp Mutate", "processes the image on the request thread (CPU work that grows with the image's size)", "action 'ThumbnailsController.Get'", "process images in a background worker (or once, caching the result) and answer at once"));
        test.ExpectedDiagnostics.Add(Reported(1).WithArguments("ImageSharp Clone", "processes the image on the request thread (CPU work that grows with the image's size)", "action 'ThumbnailsController.Get'", "process images in a background worker (or once, caching the result) and answer at once"));

        await test.RunAsync();
    }

    // ---- bad input ----

    [Fact]
    public async Task Incomplete_code_in_a_handler_does_not_throw()
    {
        var test = new AnalyzerTest<SynchronousWorkInRequestHandlerAnalyzer>
        {
            TestCode = Usings + """
                public class FilesController : ControllerBase
                {
                    public string Get(string path)
                    {
                        var x = System.IO.File.ReadEverything(path);
                        Thread.Sleep(unknown);
                        return {|#0:System.IO.File.ReadAllText(path)|};
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(ReportedAt(0));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS0117").WithSpan(18, 32, 18, 46));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS0103").WithSpan(19, 22, 19, 29));

        await test.RunAsync();
    }
}
