using System.Linq;
using Microsoft.CodeAnalysis;
using PerfRules.Infrastructure;
using PerfRules.Notions;

namespace PerfRules.Offload;

/// <summary>The symbols the offload fix needs, resolved once per fix request. Null when the project lacks ASP.NET Core or DI.</summary>
internal sealed class OffloadSymbols
{
    private OffloadSymbols(WellKnownTypes types, RequestHandlers handlers, IMethodSymbol getRequiredService)
    {
        Compilation = types.Compilation;
        Handlers = handlers;
        GetRequiredService = getRequiredService;
        Task = types.Get(WellKnownType.System_Threading_Tasks_Task);
        TaskOfT = WellKnownTypes.Resolve(Compilation, "System.Threading.Tasks.Task`1");
        ValueTask = types.Get(WellKnownType.System_Threading_Tasks_ValueTask);
        ValueTaskOfT = WellKnownTypes.Resolve(Compilation, "System.Threading.Tasks.ValueTask`1");
        TaskFactory = types.Get(WellKnownType.System_Threading_Tasks_TaskFactory);
        TaskFactoryOfT = WellKnownTypes.Resolve(Compilation, "System.Threading.Tasks.TaskFactory`1");
        ThreadPool = types.Get(WellKnownType.System_Threading_ThreadPool);
        Thread = types.Get(WellKnownType.System_Threading_Thread);
        CancellationToken = types.Get(WellKnownType.System_Threading_CancellationToken);
        HttpContext = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpContext);
        HttpRequest = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpRequest);
        HttpResponse = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponse);
        HttpContextAccessor = types.Get(WellKnownType.Microsoft_AspNetCore_Http_IHttpContextAccessor);
        FromServices = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_FromServicesAttribute);
        ControllerBase = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ControllerBase);
        PageModel = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_RazorPages_PageModel);
        ServiceCollectionExtensions = types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_ServiceCollectionServiceExtensions);
        HostedServiceExtensions = types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_ServiceCollectionHostedServiceExtensions);
        ServiceCollection = types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_IServiceCollection);
        BackgroundService = types.Get(WellKnownType.Microsoft_Extensions_Hosting_BackgroundService);
        Channel = types.Get(WellKnownType.System_Threading_Channels_Channel);
        Guid = types.Get(WellKnownType.System_Guid);
        TimeSpan = types.Get(WellKnownType.System_TimeSpan);
        DateTimeOffset = types.Get(WellKnownType.System_DateTimeOffset);
        DateOnly = types.Get(WellKnownType.System_DateOnly);
        TimeOnly = types.Get(WellKnownType.System_TimeOnly);
        Uri = types.Get(WellKnownType.System_Uri);
        HangfireBackgroundJob = WellKnownTypes.Resolve(Compilation, "Hangfire.BackgroundJob");
        QuartzJob = WellKnownTypes.Resolve(Compilation, "Quartz.IJob");
        QuartzSchedulerFactory = WellKnownTypes.Resolve(Compilation, "Quartz.ISchedulerFactory");
        QuartzServiceCollectionExtensions = WellKnownTypes.Resolve(Compilation, "Quartz.QuartzServiceCollectionExtensions");
        QuartzBuilder = WellKnownTypes.Resolve(Compilation, "Quartz.IQuartzBuilder");
        QuartzHostApplicationBuilderExtensions = WellKnownTypes.Resolve(Compilation, "Quartz.QuartzHostApplicationBuilderExtensions");
    }

    public Compilation Compilation { get; }

    public RequestHandlers Handlers { get; }

    /// <summary><c>ServiceProviderServiceExtensions.GetRequiredService&lt;T&gt;(IServiceProvider)</c>.</summary>
    public IMethodSymbol GetRequiredService { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? TaskFactory { get; }

    public INamedTypeSymbol? TaskFactoryOfT { get; }

    public INamedTypeSymbol? ThreadPool { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? HttpContext { get; }

    public INamedTypeSymbol? HttpRequest { get; }

    public INamedTypeSymbol? HttpResponse { get; }

    public INamedTypeSymbol? HttpContextAccessor { get; }

    public INamedTypeSymbol? FromServices { get; }

    public INamedTypeSymbol? ControllerBase { get; }

    public INamedTypeSymbol? PageModel { get; }

    public INamedTypeSymbol? ServiceCollectionExtensions { get; }

    public INamedTypeSymbol? HostedServiceExtensions { get; }

    public INamedTypeSymbol? ServiceCollection { get; }

    public INamedTypeSymbol? BackgroundService { get; }

    public INamedTypeSymbol? Channel { get; }

    public INamedTypeSymbol? Guid { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? DateOnly { get; }

    public INamedTypeSymbol? TimeOnly { get; }

    public INamedTypeSymbol? Uri { get; }

    /// <summary><c>Hangfire.BackgroundJob</c> when the project references Hangfire.</summary>
    public INamedTypeSymbol? HangfireBackgroundJob { get; }

    /// <summary><c>Quartz.IJob</c> when the project references Quartz (any version).</summary>
    public INamedTypeSymbol? QuartzJob { get; }

    public INamedTypeSymbol? QuartzSchedulerFactory { get; }

    /// <summary><c>Quartz.QuartzServiceCollectionExtensions</c> (<c>AddQuartz</c>, <c>AddQuartzHostedService</c>), in the Quartz 4 package itself.</summary>
    public INamedTypeSymbol? QuartzServiceCollectionExtensions { get; }

    /// <summary><c>Quartz.IQuartzBuilder</c>, whose <c>UsePersistentStore</c> makes jobs serialised.</summary>
    public INamedTypeSymbol? QuartzBuilder { get; }

    /// <summary><c>Quartz.QuartzHostApplicationBuilderExtensions</c>: <c>AddQuartzHostedService</c> on <c>IHostApplicationBuilder</c>.</summary>
    public INamedTypeSymbol? QuartzHostApplicationBuilderExtensions { get; }

    /// <summary>
    /// The project references Quartz with the API the generated job is written against (Quartz 4): <c>ValueTask
    /// IJob.Execute(IJobExecutionContext, CancellationToken)</c>, <c>ISchedulerFactory.GetScheduler(CancellationToken)</c>,
    /// and <c>AddQuartz</c>/<c>AddQuartzHostedService</c> on <c>IServiceCollection</c>.
    /// </summary>
    public bool HasQuartz4
    {
        get
        {
            var execute = QuartzJob?.GetMembers("Execute").OfType<IMethodSymbol>()
                .FirstOrDefault(m => m.Parameters.Length == 2 && Is(m.ReturnType, ValueTask) && Is(m.Parameters[1].Type, CancellationToken));
            var getScheduler = QuartzSchedulerFactory?.GetMembers("GetScheduler").OfType<IMethodSymbol>()
                .FirstOrDefault(m => m.Parameters.Length == 1 && Is(m.Parameters[0].Type, CancellationToken) && m.Parameters[0].IsOptional);
            return execute is not null && getScheduler is not null && QuartzServiceCollectionExtensions is { } extensions
                && !extensions.GetMembers("AddQuartz").IsEmpty && !extensions.GetMembers("AddQuartzHostedService").IsEmpty;
        }
    }

    public static OffloadSymbols? Create(Compilation compilation)
    {
        var types = WellKnownTypes.GetOrCreate(compilation);
        var handlers = RequestHandlers.Create(types);
        IMethodSymbol? getRequiredService = null;
        foreach (var member in types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_ServiceProviderServiceExtensions)?.GetMembers("GetRequiredService") ?? default)
        {
            if (member is IMethodSymbol { Arity: 1, Parameters.Length: 1 } method)
            {
                getRequiredService = method;
            }
        }

        return handlers is null || getRequiredService is null ? null : new OffloadSymbols(types, handlers, getRequiredService);
    }

    public bool Is(ITypeSymbol? type, INamedTypeSymbol? target)
        => type is not null && target is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target);

    public bool IsTaskLike(ITypeSymbol? type)
        => Is(type, Task) || Is(type, TaskOfT) || Is(type, ValueTask) || Is(type, ValueTaskOfT);

    /// <summary>A request-bound type that must never reach the background work: HttpContext, HttpRequest, HttpResponse.</summary>
    public bool IsRequestObject(ITypeSymbol? type)
        => type.IsOrInherits(HttpContext) || type.IsOrInherits(HttpRequest) || type.IsOrInherits(HttpResponse);

    /// <summary>
    /// A value that can be copied into the work item as it is: primitives, strings, enums, date/time types, Guid, Uri,
    /// nullable forms of these, and records (immutable by convention).
    /// </summary>
    public bool IsCopyable(ITypeSymbol? type)
    {
        if (type is null || type.TypeKind == TypeKind.Error || type.IsRefLikeType)
        {
            return false;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_String:
            case SpecialType.System_DateTime:
                return true;
            case SpecialType.System_Nullable_T:
                return type is INamedTypeSymbol { TypeArguments.Length: 1 } nullable && IsCopyable(nullable.TypeArguments[0]);
        }

        if (type.TypeKind == TypeKind.Enum || type.IsRecord)
        {
            return true;
        }

        return Is(type, Guid) || Is(type, TimeSpan) || Is(type, DateTimeOffset) || Is(type, DateOnly) || Is(type, TimeOnly) || Is(type, Uri);
    }

    /// <summary>A service type the worker can resolve from its own scope: an interface or a class that is not a plain value nor request-bound.</summary>
    public bool IsResolvableService(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Interface or TypeKind.Class } named
            && !named.IsStatic && !IsCopyable(named) && !IsRequestObject(named)
            && !Is(named, HttpContextAccessor) && named.SpecialType == SpecialType.None
            && !IsTaskLike(named) && named.TypeKind != TypeKind.Error;
}
