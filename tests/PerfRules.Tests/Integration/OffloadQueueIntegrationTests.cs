using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Integration;

/// <summary>
/// The in-process queue of the offload fix, proven with the real framework: an app whose endpoint was rewritten BY THE
/// FIXER (the fixer runs on the source below; its output, generated queue and registration included, is compiled with
/// Roslyn, nullable enabled and no warning allowed, and loaded) runs on TestServer. Work and test synchronise through
/// TaskCompletionSource signals only; nothing is timed. docs/rules/PERF004.md and PERF007.md cite these tests.
/// </summary>
public sealed class OffloadQueueIntegrationTests
{
    /// <summary>An app with a fire-and-forget call in a minimal-API endpoint (PERF007).</summary>
    private const string AppSource = """
        using System;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.TestHost;
        using Microsoft.Extensions.DependencyInjection;
        using PerfRules.Tests.Integration;

        namespace OffloadApp;

        public static class AppFactory
        {
            public static WebApplication Build()
            {
                var builder = WebApplication.CreateBuilder();
                builder.WebHost.UseTestServer();
                builder.Services.AddScoped<ScopeProbe>();
                builder.Services.AddScoped<IWorkRecorder, WorkRecorder>();
                var app = builder.Build();
                app.MapPost("/orders/{id}", (int id, ScopeProbe probe, IWorkRecorder recorder) =>
                {
                    _ = recorder.RecordAsync(id);
                    return Results.Text(probe.Id.ToString());
                });
                return app;
            }
        }
        """;

    /// <summary>The same endpoint in an app that uses Hangfire (in-memory storage, DI job activation).</summary>
    private const string HangfireAppSource = """
        using System;
        using Hangfire;
        using Hangfire.InMemory;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.TestHost;
        using Microsoft.Extensions.DependencyInjection;
        using PerfRules.Tests.Integration;

        namespace OffloadHangfireApp;

        public static class AppFactory
        {
            public static WebApplication Build()
            {
                var builder = WebApplication.CreateBuilder();
                builder.WebHost.UseTestServer();
                builder.Services.AddHangfire(configuration => configuration.UseInMemoryStorage());
                builder.Services.AddHangfireServer();
                builder.Services.AddScoped<ScopeProbe>();
                builder.Services.AddScoped<IWorkRecorder, WorkRecorder>();
                var app = builder.Build();
                app.MapPost("/orders/{id}", (int id, ScopeProbe probe, IWorkRecorder recorder) =>
                {
                    _ = recorder.RecordAsync(id);
                    return Results.Text(probe.Id.ToString());
                });
                return app;
            }
        }
        """;

    /// <summary>
    /// The same endpoint in an app that references Quartz but does not register it: the fixer adds <c>AddQuartz()</c>, the
    /// hosted service (WaitForJobsToComplete) and the job type.
    /// </summary>
    private const string QuartzAppSource = """
        using System;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.TestHost;
        using Microsoft.Extensions.DependencyInjection;
        using PerfRules.Tests.Integration;

        namespace OffloadQuartzApp;

        public static class AppFactory
        {
            public static WebApplication Build()
            {
                var builder = WebApplication.CreateBuilder();
                builder.WebHost.UseTestServer();
                builder.Services.AddScoped<ScopeProbe>();
                builder.Services.AddScoped<IWorkRecorder, WorkRecorder>();
                var app = builder.Build();
                app.MapPost("/orders/{id}", (int id, ScopeProbe probe, IWorkRecorder recorder) =>
                {
                    _ = recorder.RecordAsync(id);
                    return Results.Text(probe.Id.ToString());
                });
                return app;
            }
        }
        """;

    private static readonly Lazy<Task<(Assembly Assembly, string FixedSource)>> FixedApp = new(() => BuildFixedAppAsync(AppSource, "OffloadApp", Engine.Queue));

    private static readonly Lazy<Task<(Assembly Assembly, string FixedSource)>> FixedHangfireApp = new(() => BuildFixedAppAsync(HangfireAppSource, "OffloadHangfireApp", Engine.Hangfire));

    private static readonly Lazy<Task<(Assembly Assembly, string FixedSource)>> FixedQuartzApp = new(() => BuildFixedAppAsync(QuartzAppSource, "OffloadQuartzApp", Engine.Quartz));

    private enum Engine
    {
        Queue,
        Hangfire,
        Quartz,
    }

    [Fact]
    public async Task The_fixed_endpoint_answers_before_the_queued_work_completes_and_the_work_runs_in_its_own_scope()
    {
        var recorder = WorkRecorder.Reset();
        var app = await StartAsync(Engine.Queue);
        try
        {
            var response = await app.GetTestClient().PostAsync("/orders/7", null);
            var requestScope = Guid.Parse(await response.Content.ReadAsStringAsync());

            // The response is here; the work has started in the worker and is held at the gate: it cannot have completed.
            var started = await recorder.Started(7);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(recorder.Completed(7).IsCompleted);

            recorder.OpenGate();
            var completed = await recorder.Completed(7);
            Assert.Equal(started, completed);
            Assert.NotEqual(requestScope, completed); // a scoped service of the work is not the request's instance
        }
        finally
        {
            recorder.OpenGate();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Work_still_queued_when_the_app_stops_gracefully_runs_before_the_queue_service_stops()
    {
        var recorder = WorkRecorder.Reset();
        var app = await StartAsync(Engine.Queue);
        try
        {
            var client = app.GetTestClient();
            var scopes = new List<Guid>();
            foreach (var id in new[] { 1, 2, 3 })
            {
                var response = await client.PostAsync($"/orders/{id}", null);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                scopes.Add(Guid.Parse(await response.Content.ReadAsStringAsync()));
            }

            // Item 1 holds the single reader at the gate: items 2 and 3 are still in the channel.
            await recorder.Started(1);
            Assert.False(recorder.Started(2).IsCompleted);
            Assert.False(recorder.Started(3).IsCompleted);

            // Graceful shutdown reaches the queue service through its StopAsync, which cancels its stopping token at once.
            var service = app.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "QueuedWorkService");
            var stopping = service.StopAsync(CancellationToken.None);
            Assert.False(stopping.IsCompleted);

            recorder.OpenGate();
            await stopping;
            var done = new[] { await recorder.Completed(1), await recorder.Completed(2), await recorder.Completed(3) };
            Assert.Equal(3, done.Distinct().Count()); // each item had its own scope
            Assert.Empty(done.Intersect(scopes));
        }
        finally
        {
            recorder.OpenGate();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_fixer_rewrote_the_endpoint_and_added_the_queue_and_its_registration()
    {
        var (assembly, fixedSource) = await FixedApp.Value;
        Assert.NotNull(assembly.GetType("OffloadApp.QueuedWorkService"));
        Assert.Contains("IBackgroundWorkQueue backgroundWorkQueue", fixedSource, StringComparison.Ordinal);
        Assert.Contains("backgroundWorkQueue.Enqueue(async (services, cancellationToken) =>", fixedSource, StringComparison.Ordinal);
        Assert.Contains("services.GetRequiredService<IWorkRecorder>()", fixedSource, StringComparison.Ordinal);
        Assert.Contains("builder.Services.AddHostedService<QueuedWorkService>();", fixedSource, StringComparison.Ordinal);
        Assert.DoesNotContain("_ = recorder.RecordAsync(id);", fixedSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Hangfire_the_fixed_endpoint_answers_before_the_job_completes_and_the_job_runs_in_its_own_scope()
    {
        var (_, fixedSource) = await FixedHangfireApp.Value;
        Assert.Contains("BackgroundJob.Enqueue<IWorkRecorder>(recorder => recorder.RecordAsync(id));", fixedSource, StringComparison.Ordinal);

        var recorder = WorkRecorder.Reset();
        var app = await StartAsync(Engine.Hangfire);
        try
        {
            var response = await app.GetTestClient().PostAsync("/orders/11", null);
            var requestScope = Guid.Parse(await response.Content.ReadAsStringAsync());

            var started = await recorder.Started(11);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(recorder.Completed(11).IsCompleted);

            recorder.OpenGate();
            var completed = await recorder.Completed(11);
            Assert.Equal(started, completed);
            Assert.NotEqual(requestScope, completed); // Hangfire's DI activator gives each job its own scope
        }
        finally
        {
            recorder.OpenGate();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_Quartz_the_fixer_made_the_endpoint_async_scheduled_a_job_and_registered_Quartz()
    {
        var (assembly, fixedSource) = await FixedQuartzApp.Value;
        Assert.NotNull(assembly.GetType("OffloadQuartzApp.OffloadedWorkJob"));
        Assert.Contains("async (int id, ScopeProbe probe, IWorkRecorder recorder, ISchedulerFactory schedulerFactory) =>", fixedSource, StringComparison.Ordinal);
        Assert.Contains("await OffloadedWorkJob.ScheduleAsync(schedulerFactory, async (services, cancellationToken) =>", fixedSource, StringComparison.Ordinal);
        Assert.Contains("services.GetRequiredService<IWorkRecorder>()", fixedSource, StringComparison.Ordinal);
        Assert.Contains("builder.Services.AddQuartz();", fixedSource, StringComparison.Ordinal);
        Assert.Contains("builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);", fixedSource, StringComparison.Ordinal);
        Assert.DoesNotContain("_ = recorder.RecordAsync(id);", fixedSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Quartz_the_fixed_endpoint_answers_before_the_job_completes_and_the_job_runs_in_its_own_scope()
    {
        var recorder = WorkRecorder.Reset();
        var app = await StartAsync(Engine.Quartz);
        try
        {
            var client = app.GetTestClient();
            var first = await client.PostAsync("/orders/21", null);
            var firstScope = Guid.Parse(await first.Content.ReadAsStringAsync());

            // The response is here; the job has started and is held at the gate: it cannot have completed.
            var started = await recorder.Started(21);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.False(recorder.Completed(21).IsCompleted);

            var second = await client.PostAsync("/orders/22", null);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            var secondScope = Guid.Parse(await second.Content.ReadAsStringAsync());
            var secondStarted = await recorder.Started(22);

            recorder.OpenGate();
            var completed = await recorder.Completed(21);
            Assert.Equal(started, completed);
            Assert.Equal(secondStarted, await recorder.Completed(22));

            // Quartz's job factory built each job in a DI scope of its own: not the request's, not the other job's.
            Assert.Equal(4, new[] { firstScope, secondScope, started, secondStarted }.Distinct().Count());
        }
        finally
        {
            recorder.OpenGate();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_Quartz_a_running_job_completes_before_graceful_shutdown_returns()
    {
        var recorder = WorkRecorder.Reset();
        var app = await StartAsync(Engine.Quartz);
        try
        {
            // The registration the fixer added sets WaitForJobsToComplete for the app's scheduler. (Checked on the options
            // because Quartz 4 also lets in-flight jobs settle for a short window when it is false: with a gate opened at
            // once, the behaviour below alone would not tell the two apart without timing.)
            var scheduler = await app.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
            var hostedOptions = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Quartz.QuartzHostedServiceOptions>>();
            Assert.True(hostedOptions.Get(scheduler.SchedulerName).WaitForJobsToComplete);

            var response = await app.GetTestClient().PostAsync("/orders/31", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await recorder.Started(31);

            // Stopping the host waits for the job held at the gate, and the job has completed when the stop returns.
            var stopping = app.StopAsync(CancellationToken.None);
            Assert.False(stopping.IsCompleted);

            recorder.OpenGate();
            await stopping;
            Assert.True(recorder.Completed(31).IsCompletedSuccessfully);
        }
        finally
        {
            recorder.OpenGate();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartAsync(Engine engine)
    {
        var (assembly, _) = await (engine switch { Engine.Hangfire => FixedHangfireApp, Engine.Quartz => FixedQuartzApp, _ => FixedApp }).Value;
        var factory = assembly.GetType(assembly.GetName().Name + ".AppFactory", throwOnError: true)!;
        var app = (WebApplication)factory.GetMethod("Build")!.Invoke(null, null)!;
        await app.StartAsync();
        return app;
    }

    /// <summary>Runs the analyzer and the offload fix on <see cref="AppSource"/>, then compiles and loads the result.</summary>
    private static async Task<(Assembly, string)> BuildFixedAppAsync(string source, string name, Engine engine)
    {
        var references = TestReferences.AspNetCore
            .Add(MetadataReference.CreateFromFile(typeof(TestServer).Assembly.Location))
            .Add(MetadataReference.CreateFromFile(typeof(WorkRecorder).Assembly.Location));
        if (engine == Engine.Quartz)
        {
            references = references.Add(MetadataReference.CreateFromFile(typeof(Quartz.IJob).Assembly.Location));
        }

        if (engine == Engine.Hangfire)
        {
            references = references
                .Add(MetadataReference.CreateFromFile(typeof(Hangfire.BackgroundJob).Assembly.Location))
                .Add(MetadataReference.CreateFromFile(typeof(Hangfire.HangfireServiceCollectionExtensions).Assembly.Location))
                .Add(MetadataReference.CreateFromFile(typeof(Hangfire.InMemory.InMemoryStorage).Assembly.Location));
        }

        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Create(), name, name, LanguageNames.CSharp,
                // CS1701/CS1702 (a package built against an older framework assembly version) are off in every SDK project by default.
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                    .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }),
                parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12),
                metadataReferences: references).WithDefaultNamespace(name));
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "App.cs", SourceText.From(source));
        var document = solution.GetDocument(documentId)!;
        var compilation = (await document.Project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));

        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new FireAndForgetInRequestHandlerAnalyzer())).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics);
        var actions = new List<CodeAction>();
        var fixer = new OffloadToBackgroundQueueFixer();
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var offload = Assert.Single(actions, a => a.EquivalenceKey == OffloadToBackgroundQueueFixer.OffloadKey);
        var operations = await offload.GetOperationsAsync(CancellationToken.None);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;

        var project = changed.GetProject(projectId)!;
        var fixedCompilation = (await project.GetCompilationAsync())!;
        Assert.Empty(fixedCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        using var image = new MemoryStream();
        var emitted = fixedCompilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        var fixedSource = (await changed.GetDocument(documentId)!.GetTextAsync()).ToString();
        return (Assembly.Load(image.ToArray()), fixedSource);
    }
}

/// <summary>A scoped service: one instance per DI scope, told apart by its id.</summary>
public sealed class ScopeProbe
{
    public Guid Id { get; } = Guid.NewGuid();
}

public interface IWorkRecorder
{
    Task RecordAsync(int id);
}

/// <summary>
/// The work the endpoint offloads: it reports that it started (with its scope's probe id), waits at a gate the test opens,
/// then reports completion. Signals only: the test never sleeps or times.
/// </summary>
public sealed class WorkRecorder(ScopeProbe probe) : IWorkRecorder
{
    private static Signals _signals = new();

    public static Signals Reset() => _signals = new Signals();

    public async Task RecordAsync(int id)
    {
        var signals = _signals;
        signals.Of(id).Started.TrySetResult(probe.Id);
        await signals.Gate.Task.ConfigureAwait(false);
        signals.Of(id).Completed.TrySetResult(probe.Id);
    }

    public sealed class Signals
    {
        private readonly ConcurrentDictionary<int, (TaskCompletionSource<Guid> Started, TaskCompletionSource<Guid> Completed)> _items = new();

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OpenGate() => Gate.TrySetResult();

        public Task<Guid> Started(int id) => Of(id).Started.Task;

        public Task<Guid> Completed(int id) => Of(id).Completed.Task;

        internal (TaskCompletionSource<Guid> Started, TaskCompletionSource<Guid> Completed) Of(int id)
            => _items.GetOrAdd(id, _ => (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)));
    }
}
