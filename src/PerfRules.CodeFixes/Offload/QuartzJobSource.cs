namespace PerfRules.Offload;

/// <summary>
/// The Quartz job the offload fix adds to a project that references Quartz 4, once: <c>OffloadedWorkJob</c> runs one
/// work item (<c>Func&lt;IServiceProvider, CancellationToken, ValueTask&gt;</c>) carried in its <c>JobDataMap</c>, with the
/// services of the job's own DI scope, and logs failures; its static <c>ScheduleAsync</c> schedules one such job to start now.
/// </summary>
/// <remarks>
/// Quartz's default job factory (<c>MicrosoftDependencyInjectionJobFactory</c>) builds a job in a DI scope of its own only
/// when the job takes something from the container: the constructor therefore takes the scope's <c>IServiceProvider</c>
/// and a logger. The work delegate travels in the <c>JobDataMap</c> as an object, which the in-memory store (Quartz's
/// default) keeps as it is; a persistent store would have to serialise it, so the fix is not offered in a project that
/// calls <c>UsePersistentStore</c>.
/// </remarks>
internal static class QuartzJobSource
{
    public const string JobName = "OffloadedWorkJob";
    public const string ScheduleMethod = "ScheduleAsync";
    public const string FileName = "OffloadedWorkJob.cs";

    public static string Generate(string? ns) => BackgroundQueueSource.Frame(ns, Imports, Body);

    /// <summary>The job as a namespace block with its own usings, to append to the startup document.</summary>
    public static string GenerateNamespaceBlock(string ns) => BackgroundQueueSource.FrameNamespaceBlock(ns, Imports, Body);

    private static readonly string[] Imports =
    [
        "System", "System.Threading", "System.Threading.Tasks",
        "Microsoft.Extensions.Logging", "Quartz",
    ];

    private const string Body = """
        /// <summary>
        /// Runs work that request handlers hand over to run after the response, as a Quartz job: each firing gets its own
        /// DI scope (Quartz's job factory builds the job in it), and the work resolves the services it needs from the
        /// <see cref="IServiceProvider"/> it receives. Failures are logged. The work travels in the job's
        /// <see cref="JobDataMap"/> as a delegate, which Quartz's in-memory job store keeps as it is (a persistent store
        /// cannot serialise it).
        /// </summary>
        public sealed class OffloadedWorkJob : IJob
        {
            /// <summary>The <see cref="JobDataMap"/> key of the work delegate.</summary>
            public const string WorkKey = "OffloadedWorkJob.Work";

            private readonly IServiceProvider _services;
            private readonly ILogger<OffloadedWorkJob> _logger;

            public OffloadedWorkJob(IServiceProvider services, ILogger<OffloadedWorkJob> logger)
            {
                _services = services;
                _logger = logger;
            }

            /// <summary>Schedules one run of <paramref name="work"/>, to start now.</summary>
            public static async Task ScheduleAsync(ISchedulerFactory schedulerFactory, Func<IServiceProvider, CancellationToken, ValueTask> work)
            {
                ArgumentNullException.ThrowIfNull(schedulerFactory);
                ArgumentNullException.ThrowIfNull(work);
                var scheduler = await schedulerFactory.GetScheduler().ConfigureAwait(false);
                var job = JobBuilder.Create<OffloadedWorkJob>().UsingJobData(WorkKey, work).Build();
                await scheduler.ScheduleJob(job, TriggerBuilder.Create().StartNow().Build()).ConfigureAwait(false);
            }

            public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
            {
                if (!context.MergedJobDataMap.TryGetValue(WorkKey, out var value) || value is not Func<IServiceProvider, CancellationToken, ValueTask> work)
                {
                    _logger.LogError("Offloaded job {JobKey} carries no work.", context.JobDetail.Key);
                    return;
                }

                try
                {
                    await work(_services, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    _logger.LogError(exception, "Offloaded background work failed.");
                }
            }
        }

        """;
}
