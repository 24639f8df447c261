using System.Text;

namespace PerfRules.Offload;

/// <summary>
/// The in-process background queue the offload fix adds to a project once: a bounded <c>Channel</c> of work items
/// (<c>Func&lt;IServiceProvider, CancellationToken, ValueTask&gt;</c>) and a <c>BackgroundService</c> that runs each item in
/// its own DI scope, logs failures and, on graceful shutdown, runs the items already queued before it stops.
/// </summary>
internal static class BackgroundQueueSource
{
    public const string InterfaceName = "IBackgroundWorkQueue";
    public const string QueueName = "BackgroundWorkQueue";
    public const string ServiceName = "QueuedWorkService";
    public const string FileName = "BackgroundWorkQueue.cs";

    public static string Generate(string? ns) => Frame(ns, Imports, Body);

    /// <summary>
    /// The same types as a namespace block with its own usings, to append to an existing document (after top-level
    /// statements or other declarations), nullable-enabled for these lines only.
    /// </summary>
    public static string GenerateNamespaceBlock(string ns) => FrameNamespaceBlock(ns, Imports, Body);

    /// <summary>A generated file: nullable enabled, the usings, the file-scoped namespace (if any), the declarations.</summary>
    internal static string Frame(string? ns, string[] imports, string body)
    {
        var text = new StringBuilder();
        text.Append("#nullable enable\n");
        foreach (var import in imports)
        {
            text.Append("using ").Append(import).Append(";\n");
        }

        text.Append('\n');
        if (ns is not null)
        {
            text.Append("namespace ").Append(ns).Append(";\n\n");
        }

        text.Append(body);
        return text.ToString();
    }

    /// <summary>The declarations as a namespace block with its own usings, nullable-enabled for these lines only.</summary>
    internal static string FrameNamespaceBlock(string ns, string[] imports, string body)
    {
        var text = new StringBuilder();
        text.Append("#nullable enable\n");
        text.Append("namespace ").Append(ns).Append("\n{\n");
        foreach (var import in imports)
        {
            text.Append("    using ").Append(import).Append(";\n");
        }

        text.Append('\n');
        foreach (var line in body.Split('\n'))
        {
            text.Append(line.Length == 0 ? string.Empty : "    " + line).Append('\n');
        }

        while (text.Length > 2 && text[text.Length - 1] == '\n' && text[text.Length - 2] == '\n')
        {
            text.Length--;
        }

        text.Append("}\n#nullable restore\n");
        return text.ToString();
    }

    private static readonly string[] Imports =
    [
        "System", "System.Threading", "System.Threading.Channels", "System.Threading.Tasks",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    private const string Body = """
        /// <summary>
        /// Work that request handlers hand over to run after the response: each item runs in <see cref="QueuedWorkService"/>
        /// with its own DI scope (resolve the services it needs from the <see cref="IServiceProvider"/> it receives).
        /// </summary>
        public interface IBackgroundWorkQueue
        {
            /// <summary>Queues the work; throws <see cref="InvalidOperationException"/> when the queue is full or the app is stopping.</summary>
            void Enqueue(Func<IServiceProvider, CancellationToken, ValueTask> work);

            /// <summary>The queued work, read by <see cref="QueuedWorkService"/>.</summary>
            ChannelReader<Func<IServiceProvider, CancellationToken, ValueTask>> Reader { get; }

            /// <summary>Refuses new work (called when the app stops).</summary>
            void Complete();
        }

        /// <summary>A bounded in-memory queue: when it is full, <see cref="Enqueue"/> throws instead of growing without limit.</summary>
        public sealed class BackgroundWorkQueue : IBackgroundWorkQueue
        {
            /// <summary>How many items may wait at most.</summary>
            public const int Capacity = 1000;

            private readonly Channel<Func<IServiceProvider, CancellationToken, ValueTask>> _channel =
                Channel.CreateBounded<Func<IServiceProvider, CancellationToken, ValueTask>>(new BoundedChannelOptions(Capacity)
                {
                    SingleReader = true,
                    FullMode = BoundedChannelFullMode.Wait,
                });

            public ChannelReader<Func<IServiceProvider, CancellationToken, ValueTask>> Reader => _channel.Reader;

            public void Enqueue(Func<IServiceProvider, CancellationToken, ValueTask> work)
            {
                ArgumentNullException.ThrowIfNull(work);
                if (!_channel.Writer.TryWrite(work))
                {
                    throw new InvalidOperationException("The background work queue is full or the application is stopping.");
                }
            }

            public void Complete() => _channel.Writer.TryComplete();
        }

        /// <summary>
        /// Runs the queued work one item at a time, each in its own DI scope, and logs failures. When the app stops, new work
        /// is refused and the items already queued still run; their token is cancelled only when the host's shutdown timeout
        /// runs out.
        /// </summary>
        public sealed class QueuedWorkService : BackgroundService
        {
            private readonly IBackgroundWorkQueue _queue;
            private readonly IServiceScopeFactory _scopeFactory;
            private readonly ILogger<QueuedWorkService> _logger;
            private readonly CancellationTokenSource _shutdownTimeout = new();

            public QueuedWorkService(IBackgroundWorkQueue queue, IServiceScopeFactory scopeFactory, ILogger<QueuedWorkService> logger)
            {
                _queue = queue;
                _scopeFactory = scopeFactory;
                _logger = logger;
            }

            public override async Task StopAsync(CancellationToken cancellationToken)
            {
                // cancellationToken fires when the host's shutdown timeout runs out: only then is the running work cancelled.
                using var registration = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _shutdownTimeout);
                await base.StopAsync(cancellationToken).ConfigureAwait(false);
            }

            public override void Dispose()
            {
                _shutdownTimeout.Dispose();
                base.Dispose();
            }

            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                var reader = _queue.Reader;
                try
                {
                    while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                    {
                        while (!stoppingToken.IsCancellationRequested && reader.TryRead(out var work))
                        {
                            await RunAsync(work).ConfigureAwait(false);
                        }
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                }

                // Graceful shutdown: refuse new work, run what is already queued.
                _queue.Complete();
                while (reader.TryRead(out var work))
                {
                    await RunAsync(work).ConfigureAwait(false);
                }
            }

            private async Task RunAsync(Func<IServiceProvider, CancellationToken, ValueTask> work)
            {
                try
                {
                    await using var scope = _scopeFactory.CreateAsyncScope();
                    await work(scope.ServiceProvider, _shutdownTimeout.Token).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    _logger.LogError(exception, "Queued background work failed.");
                }
            }
        }

        """;
}
