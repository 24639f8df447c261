using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;
using PerfRules.Notions;

namespace PerfRules.Rules;

/// <summary>
/// PERF004: heavy synchronous work in a request handler (MVC action, page handler, endpoint handler, middleware):
/// blocking waits, synchronous I/O or network calls that have an equivalent async counterpart (found by symbol),
/// synchronous EF Core queries and <c>SaveChanges</c>, <c>Process.WaitForExit</c>, key derivation with a large
/// iteration count, and symbols configured in <c>perfrules.PERF004.additional_blocking_symbols</c>.
/// Code in lambdas and local functions nested in the handler counts (it usually runs synchronously: <c>Select</c>,
/// <c>ForEach</c>), except the work item handed to <c>Task.Run</c>, <c>Task.Factory.StartNew</c>,
/// <c>ThreadPool.QueueUserWorkItem</c> or <c>new Thread</c>, which runs off the request thread (PERF007's business), a
/// Hangfire job (<c>BackgroundJob.Enqueue/Schedule</c>), and a background-queue work item
/// (a lambda of <c>IServiceProvider</c> and <c>CancellationToken</c> returning <c>ValueTask</c>, as the offload fix writes).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SynchronousWorkInRequestHandlerAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: how the "Use async" fix rewrites the site (absent: no fix).</summary>
    internal const string FixProperty = "Fix";

    /// <summary>Diagnostic property: the async counterpart's name (<see cref="FixCounterpart"/>).</summary>
    internal const string NameProperty = "Name";

    /// <summary>Diagnostic property: "true" when the counterpart takes a trailing CancellationToken.</summary>
    internal const string TokenProperty = "Token";

    /// <summary>Replace the call's method name by the counterpart's and await it.</summary>
    internal const string FixCounterpart = "Counterpart";

    /// <summary><c>t.Wait()</c>, <c>t.Result</c>, <c>t.GetAwaiter().GetResult()</c>: await the task.</summary>
    internal const string FixAwaitTask = "AwaitTask";

    /// <summary><c>Thread.Sleep(x)</c>: <c>await Task.Delay(x)</c>.</summary>
    internal const string FixDelay = "Delay";

    /// <summary><c>Task.WaitAll(a, b)</c>: <c>await Task.WhenAll(a, b)</c>.</summary>
    internal const string FixWhenAll = "WhenAll";

    internal const string ExcludedSymbolsKey = "perfrules.PERF004.excluded_symbols";
    internal const string AdditionalBlockingSymbolsKey = "perfrules.PERF004.additional_blocking_symbols";

    /// <summary>Iteration count from which key derivation is reported (a judgement call in the range OWASP recommends for PBKDF2, not a measured cut-off).</summary>
    internal const int KeyDerivationIterationThreshold = 100_000;

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.SynchronousWorkInRequestHandler,
        "Heavy synchronous work in a request handler",
        messageFormat: "'{0}' {1} in {2}; {3}",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A request handler that blocks a thread-pool thread on I/O, on a task or on long CPU work holds that thread for the whole wait; under load the pool starves and every request slows down. Await the async counterpart, or move the work to a background worker and answer the user at once.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.SynchronousWorkInRequestHandler));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
        {
            var symbols = BlockingSymbols.Create(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            var analysis = new Analysis(symbols, start.Options.AnalyzerConfigOptionsProvider);
            start.RegisterOperationAction(analysis.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(analysis.AnalyzePropertyReference, OperationKind.PropertyReference);
            start.RegisterOperationAction(analysis.AnalyzeObjectCreation, OperationKind.ObjectCreation);
        });
    }

    /// <summary>What one report says and how it can be fixed.</summary>
    private readonly record struct Finding(string What, string Problem, string Advice, string? Fix, string? Name = null, bool Token = false);

    private sealed class Analysis
    {
        private readonly BlockingSymbols _symbols;
        private readonly AnalyzerConfigOptionsProvider _options;
        // The options of the file last asked about: the driver hands over a body's operations one after the other, so nearly
        // every call asks about the same file as the call before it (a table of every file cost more, its adds locking).
        private FileConfiguration? _last;

        public Analysis(BlockingSymbols symbols, AnalyzerConfigOptionsProvider options)
        {
            _symbols = symbols;
            _options = options;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            var configuration = GetConfiguration(invocation.Syntax.SyntaxTree);
            if (configuration.IsExcluded(method))
            {
                return;
            }

            var finding = _symbols.Classify(invocation);
            if (finding is null && configuration.IsAdditional(method))
            {
                finding = _symbols.CounterpartFinding(invocation, describeAsConfigured: true)
                    ?? new Finding(Display(method), "is configured as blocking (perfrules.PERF004.additional_blocking_symbols)", "await an async alternative or move the work off the request path", null);
            }

            Report(context, finding);
        }

        public void AnalyzePropertyReference(OperationAnalysisContext context)
        {
            var reference = (IPropertyReferenceOperation)context.Operation;
            if (reference.Property.Name != "Result" || !_symbols.IsGenericTask(reference.Property.ContainingType)
                || GetConfiguration(reference.Syntax.SyntaxTree).IsExcluded(reference.Property))
            {
                return;
            }

            Report(context, new Finding(reference.Property.ContainingType.Name + ".Result", "blocks the request thread until the task completes", "await the task instead", FixAwaitTask));
        }

        public void AnalyzeObjectCreation(OperationAnalysisContext context)
        {
            // Asked of every object creation of the project: the created type (held by the operation) by name first; the
            // constructor's containing type is a symbol made when first asked for.
            var creation = (IObjectCreationOperation)context.Operation;
            if (creation.Type is not { Name: "Rfc2898DeriveBytes" } type
                || !SymbolEqualityComparer.Default.Equals(type, _symbols.Rfc2898DeriveBytes)
                || creation.Constructor is not { } constructor
                || GetConfiguration(creation.Syntax.SyntaxTree).IsExcluded(constructor))
            {
                return;
            }

            Report(context, _symbols.KeyDerivation("new Rfc2898DeriveBytes", creation.Arguments));
        }

        private void Report(OperationAnalysisContext context, Finding? finding)
        {
            if (finding is not { } found)
            {
                return;
            }

            var handler = _symbols.Handlers.FindEnclosing(context.Operation, context.ContainingSymbol, includeMiddleware: true, context.CancellationToken);
            if (handler is not { } enclosing || IsOffloadedWorkItem(context.Operation, enclosing))
            {
                return;
            }

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            if (found.Fix is not null && !enclosing.IsInNestedFunction)
            {
                properties[FixProperty] = found.Fix;
                if (found.Name is not null)
                {
                    properties[NameProperty] = found.Name;
                }

                properties[TokenProperty] = found.Token ? "true" : "false";
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), properties.ToImmutable(), found.What, found.Problem, Describe(enclosing), found.Advice));
        }

        /// <summary>The operation sits in a lambda handed to Task.Run &amp; co.: it does not run on the request thread.</summary>
        private bool IsOffloadedWorkItem(IOperation operation, RequestHandler handler)
        {
            if (!handler.IsInNestedFunction)
            {
                return false;
            }

            for (var current = operation.Parent; current is not null && current != handler.Body; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation workItem && _symbols.IsQueuedWorkItem(workItem.Symbol))
                {
                    return true;
                }

                if (current is IAnonymousFunctionOperation or IDelegateCreationOperation)
                {
                    var argument = current.Parent;
                    while (argument is IConversionOperation or IDelegateCreationOperation)
                    {
                        argument = argument.Parent;
                    }

                    if (argument is IArgumentOperation { Parent: IInvocationOperation invocation } && _symbols.IsBackgroundLauncher(invocation.TargetMethod)
                        || argument is IArgumentOperation { Parent: IObjectCreationOperation creation } && SymbolEqualityComparer.Default.Equals(creation.Type, _symbols.Thread))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private Configuration GetConfiguration(SyntaxTree tree)
        {
            var last = Volatile.Read(ref _last);
            if (last is not null && last.Tree == tree)
            {
                return last.Configuration;
            }

            var configuration = Configuration.Read(_options.GetOptions(tree));
            Volatile.Write(ref _last, new FileConfiguration(tree, configuration));
            return configuration;
        }
    }

    private sealed record FileConfiguration(SyntaxTree Tree, Configuration Configuration);

    internal static string Describe(RequestHandler handler) => handler.Kind switch
    {
        RequestHandlerKind.MvcAction => $"action '{handler.Method.ContainingType?.Name}.{handler.Method.Name}'",
        RequestHandlerKind.PageHandler => $"page handler '{handler.Method.ContainingType?.Name}.{handler.Method.Name}'",
        RequestHandlerKind.Middleware => $"middleware '{handler.Method.ContainingType?.Name}.{handler.Method.Name.Substring(handler.Method.Name.LastIndexOf('.') + 1)}'",
        _ => handler.Method.MethodKind == MethodKind.AnonymousFunction ? "an endpoint handler" : $"endpoint handler '{handler.Method.Name}'",
    };

    internal static string Display(IMethodSymbol method)
        => method.MethodKind == MethodKind.Constructor ? "new " + method.ContainingType.Name : method.ContainingType.Name + "." + method.Name;

    /// <summary>The editorconfig options of one file: documentation-comment ids of methods, properties or whole types.</summary>
    private sealed class Configuration
    {
        private static readonly Configuration Empty = new(ImmutableHashSet<string>.Empty, ImmutableHashSet<string>.Empty);
        private readonly ImmutableHashSet<string> _excluded;
        private readonly ImmutableHashSet<string> _additional;

        private Configuration(ImmutableHashSet<string> excluded, ImmutableHashSet<string> additional)
        {
            _excluded = excluded;
            _additional = additional;
        }

        public static Configuration Read(AnalyzerConfigOptions options)
        {
            var excluded = Parse(options, ExcludedSymbolsKey);
            var additional = Parse(options, AdditionalBlockingSymbolsKey);
            return excluded.IsEmpty && additional.IsEmpty ? Empty : new Configuration(excluded, additional);
        }

        public bool IsExcluded(ISymbol symbol) => Matches(_excluded, symbol);

        public bool IsAdditional(ISymbol symbol) => Matches(_additional, symbol);

        private static bool Matches(ImmutableHashSet<string> ids, ISymbol symbol)
        {
            if (ids.IsEmpty)
            {
                return false;
            }

            var definition = symbol.OriginalDefinition;
            var id = DocumentationCommentId.CreateDeclarationId(definition) ?? string.Empty;
            return ids.Contains(id)
                || ids.Contains(WithoutReturnType(id))
                || (definition.ContainingType is { } type && ids.Contains(DocumentationCommentId.CreateDeclarationId(type) ?? string.Empty));
        }

        // Roslyn's DocumentationCommentId appends "~ReturnType" to the ids of methods that return a value; the C# compiler
        // writes it into XML documentation files only for conversion operators, and users copy ids from there.
        private static string WithoutReturnType(string id)
        {
            var tilde = id.LastIndexOf('~');
            return tilde > 0 && id.StartsWith("M:", StringComparison.Ordinal) && id.LastIndexOf(')') < tilde ? id.Substring(0, tilde) : id;
        }

        private static ImmutableHashSet<string> Parse(AnalyzerConfigOptions options, string key)
        {
            if (!options.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
            {
                return ImmutableHashSet<string>.Empty;
            }

            // Ids are separated by commas or whitespace; a comma inside a parameter list "(…)" belongs to the id.
            // (';' and '#' start comments in .editorconfig, so they cannot be separators.)
            var builder = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            var depth = 0;
            var start = 0;
            for (var i = 0; i <= value.Length; i++)
            {
                var c = i < value.Length ? value[i] : ',';
                if (c is '(' or '{' or '[')
                {
                    depth++;
                }
                else if (c is ')' or '}' or ']')
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if (depth == 0 && (c == ',' || char.IsWhiteSpace(c)))
                {
                    var id = value.Substring(start, i - start).Trim();
                    if (id.Length > 0)
                    {
                        builder.Add(id);
                    }

                    start = i + 1;
                }
            }

            return builder.ToImmutable();
        }
    }

    /// <summary>The symbols PERF004 recognises, resolved once per compilation.</summary>
    private sealed class BlockingSymbols
    {
        private readonly Compilation _compilation;
        private readonly HashSet<INamedTypeSymbol> _awaiters = new(SymbolEqualityComparer.Default);
        private readonly HashSet<INamedTypeSymbol> _inMemory = new(SymbolEqualityComparer.Default);

        // Per called method definition: can it have an async twin (an ordinary method, not itself "…Async", whose type or a
        // base type has a member of the async name)? Apps call the same methods thousands of times, and almost none can.
        // Keyed by the definition's object: a definition's symbol object is kept by the compilation, so the same method is found
        // again without hashing its signature (at worst, a method met as two objects is answered twice).
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _mayHaveTwin = new(IdentityComparer<IMethodSymbol>.Instance);
        private readonly Func<IMethodSymbol, bool> _computeMayHaveTwin;

        private BlockingSymbols(Compilation compilation, WellKnownTypes types, RequestHandlers handlers, INamedTypeSymbol task)
        {
            _compilation = compilation;
            _computeMayHaveTwin = MayHaveTwin;
            Handlers = handlers;
            Task = task;
            TaskOfT = WellKnownTypes.Resolve(compilation, "System.Threading.Tasks.Task`1");
            ValueTask = types.Get(WellKnownType.System_Threading_Tasks_ValueTask);
            ValueTaskOfT = WellKnownTypes.Resolve(compilation, "System.Threading.Tasks.ValueTask`1");
            Thread = types.Get(WellKnownType.System_Threading_Thread);
            ThreadPool = types.Get(WellKnownType.System_Threading_ThreadPool);
            TaskFactory = types.Get(WellKnownType.System_Threading_Tasks_TaskFactory);
            CancellationToken = types.Get(WellKnownType.System_Threading_CancellationToken);
            CancellationTokenSource = types.Get(WellKnownType.System_Threading_CancellationTokenSource);
            Process = types.Get(WellKnownType.System_Diagnostics_Process);
            SmtpClient = types.Get(WellKnownType.System_Net_Mail_SmtpClient);
            WebClient = types.Get(WellKnownType.System_Net_WebClient);
            Rfc2898DeriveBytes = types.Get(WellKnownType.System_Security_Cryptography_Rfc2898DeriveBytes);
            AspNetKeyDerivation = types.Get(WellKnownType.Microsoft_AspNetCore_Cryptography_KeyDerivation_KeyDerivation);
            Obsolete = types.Get(WellKnownType.System_ObsoleteAttribute);
            Enumerable = WellKnownTypes.Resolve(compilation, "System.Linq.Enumerable");
            Queryable = WellKnownTypes.Resolve(compilation, "System.Linq.Queryable");
            ImageProcessing = WellKnownTypes.Resolve(compilation, "SixLabors.ImageSharp.Processing.ProcessingExtensions");
            DbContext = WellKnownTypes.Resolve(compilation, "Microsoft.EntityFrameworkCore.DbContext");
            DbSet = WellKnownTypes.Resolve(compilation, "Microsoft.EntityFrameworkCore.DbSet`1");
            EfQueryableExtensions = WellKnownTypes.Resolve(compilation, "Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions");
            ServiceProvider = WellKnownTypes.Resolve(compilation, "System.IServiceProvider");
            HangfireBackgroundJob = WellKnownTypes.Resolve(compilation, "Hangfire.BackgroundJob");
            HangfireClientExtensions = WellKnownTypes.Resolve(compilation, "Hangfire.BackgroundJobClientExtensions");
            foreach (var name in new[]
            {
                "System.Runtime.CompilerServices.TaskAwaiter", "System.Runtime.CompilerServices.TaskAwaiter`1",
                "System.Runtime.CompilerServices.ValueTaskAwaiter", "System.Runtime.CompilerServices.ValueTaskAwaiter`1",
                "System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter",
                "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter",
                "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter",
                "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter",
            })
            {
                if (WellKnownTypes.Resolve(compilation, name) is { } awaiter)
                {
                    _awaiters.Add(awaiter);
                }
            }

            foreach (var inMemory in new[] { WellKnownType.System_IO_MemoryStream, WellKnownType.System_IO_StringReader, WellKnownType.System_IO_StringWriter })
            {
                if (types.Get(inMemory) is { } type)
                {
                    _inMemory.Add(type);
                }
            }

            // Process.WaitForExitAsync only waits for redirected output to be read, like WaitForExit(), from .NET 6 on.
            ProcessWaitForExitAsyncIsEquivalent = task.ContainingAssembly.Identity.Version.Major >= 6;
        }

        public RequestHandlers Handlers { get; }

        public INamedTypeSymbol Task { get; }

        public INamedTypeSymbol? TaskOfT { get; }

        public INamedTypeSymbol? ValueTask { get; }

        public INamedTypeSymbol? ValueTaskOfT { get; }

        public INamedTypeSymbol? Thread { get; }

        public INamedTypeSymbol? ThreadPool { get; }

        public INamedTypeSymbol? TaskFactory { get; }

        public INamedTypeSymbol? CancellationToken { get; }

        public INamedTypeSymbol? CancellationTokenSource { get; }

        public INamedTypeSymbol? Process { get; }

        public INamedTypeSymbol? SmtpClient { get; }

        public INamedTypeSymbol? WebClient { get; }

        public INamedTypeSymbol? Rfc2898DeriveBytes { get; }

        public INamedTypeSymbol? AspNetKeyDerivation { get; }

        public INamedTypeSymbol? Obsolete { get; }

        public INamedTypeSymbol? Enumerable { get; }

        public INamedTypeSymbol? Queryable { get; }

        /// <summary>ImageSharp's <c>Mutate</c>/<c>Clone</c> (resize, crop, filters): CPU work that grows with the image.</summary>
        public INamedTypeSymbol? ImageProcessing { get; }

        public INamedTypeSymbol? DbContext { get; }

        public INamedTypeSymbol? DbSet { get; }

        public INamedTypeSymbol? EfQueryableExtensions { get; }

        public bool ProcessWaitForExitAsyncIsEquivalent { get; }

        public static BlockingSymbols? Create(Compilation compilation)
        {
            var types = WellKnownTypes.GetOrCreate(compilation);
            var handlers = RequestHandlers.Create(types);
            var task = types.Get(WellKnownType.System_Threading_Tasks_Task);
            return handlers is null || task is null ? null : new BlockingSymbols(compilation, types, handlers, task);
        }

        private bool IsTask(ITypeSymbol type)
            => type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named
               && (SymbolEqualityComparer.Default.Equals(named, Task) || SymbolEqualityComparer.Default.Equals(named, ValueTask) || IsGenericTask(named));

        public bool IsGenericTask(INamedTypeSymbol? type)
            => type is { IsGenericType: true }
            && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, TaskOfT) || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, ValueTaskOfT));

        public bool IsBackgroundLauncher(IMethodSymbol method)
        {
            var type = method.ContainingType;
            return (SymbolEqualityComparer.Default.Equals(type, Task) && method.Name == "Run")
                || (SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, TaskFactory) && method.Name == "StartNew")
                || (SymbolEqualityComparer.Default.Equals(type, ThreadPool) && method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem")
                || ((SymbolEqualityComparer.Default.Equals(type, HangfireBackgroundJob) || SymbolEqualityComparer.Default.Equals(type, HangfireClientExtensions))
                    && method.Name is "Enqueue" or "Schedule");
        }

        /// <summary>
        /// A work item of a background queue (the shape the offload fix generates): a function of an
        /// <c>IServiceProvider</c> and a <c>CancellationToken</c> returning <c>ValueTask</c>, run later by a worker.
        /// </summary>
        public bool IsQueuedWorkItem(IMethodSymbol function)
            => ServiceProvider is not null && ValueTask is not null && function.Parameters.Length == 2
                && SymbolEqualityComparer.Default.Equals(function.Parameters[0].Type, ServiceProvider)
                && IsCancellationToken(function.Parameters[1].Type)
                && SymbolEqualityComparer.Default.Equals(function.ReturnType, ValueTask);

        public Finding? Classify(IInvocationOperation invocation)
        {
            // The name first: asked of every call of the project, and each known blocking call has its own name; the called
            // method's type (a symbol made when first asked for, such as List<Product>) only for those names.
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "Sleep" when SymbolEqualityComparer.Default.Equals(method.ContainingType, Thread):
                    return new Finding("Thread.Sleep", "blocks the request thread while it sleeps", "await Task.Delay instead", FixDelay, Token: true);
                case "Wait" when SymbolEqualityComparer.Default.Equals(method.ContainingType, Task):
                    return new Finding("Task.Wait", "blocks the request thread until the task completes", "await the task instead", method.Parameters.Length == 0 ? FixAwaitTask : null);
                case "WaitAll" when SymbolEqualityComparer.Default.Equals(method.ContainingType, Task):
                    var whenAll = method.Parameters.Length == 1 && method.Parameters[0].IsParams;
                    return new Finding("Task.WaitAll", "blocks the request thread until every task completes", "await Task.WhenAll instead", whenAll ? FixWhenAll : null);
                case "WaitAny" when SymbolEqualityComparer.Default.Equals(method.ContainingType, Task):
                    return new Finding("Task.WaitAny", "blocks the request thread until a task completes", "await Task.WhenAny instead", null);
                case "GetResult" when method.ContainingType is { } awaiter && _awaiters.Contains(awaiter.OriginalDefinition):
                    var fix = invocation.Instance?.WalkDownConversions() is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } ? FixAwaitTask : null;
                    return new Finding("GetAwaiter().GetResult()", "blocks the request thread until the task completes", "await the task instead", fix);
                case "WaitForExit" when SymbolEqualityComparer.Default.Equals(method.ContainingType, Process):
                    var counterpart = method.Parameters.Length == 0 && ProcessWaitForExitAsyncIsEquivalent ? FindCounterpart(method, "WaitForExitAsync") : null;
                    return counterpart is null
                        ? new Finding("Process.WaitForExit", "blocks the request thread until the process exits", "await Process.WaitForExitAsync (.NET 6 or later) or start the process from a background worker", null)
                        : new Finding("Process.WaitForExit", "blocks the request thread until the process exits", "await WaitForExitAsync instead", FixCounterpart, counterpart.Value.Method.Name, counterpart.Value.Token);
                case "Mutate" or "Clone" when SymbolEqualityComparer.Default.Equals(method.ContainingType, ImageProcessing):
                    return new Finding("ImageSharp " + method.Name, "processes the image on the request thread (CPU work that grows with the image's size)", "process images in a background worker (or once, caching the result) and answer at once", null);
                case "Pbkdf2" when SymbolEqualityComparer.Default.Equals(method.ContainingType, Rfc2898DeriveBytes) || SymbolEqualityComparer.Default.Equals(method.ContainingType, AspNetKeyDerivation):
                    return KeyDerivation(method.ContainingType.Name + ".Pbkdf2", invocation.Arguments);
            }

            if (IsEntityFrameworkQuery(invocation) is { } query)
            {
                return query;
            }

            return CounterpartFinding(invocation, describeAsConfigured: false);
        }

        /// <summary>A synchronous call whose async counterpart is equivalent (by symbol); null when there is none.</summary>
        public Finding? CounterpartFinding(IInvocationOperation invocation, bool describeAsConfigured)
        {
            var method = invocation.TargetMethod;
            // Asked of every call of the project: whether the called method can have an async twin at all. That it is an ordinary
            // method without an "…Async" name is read from the method; whether its type has a member of the async name is
            // answered once per method definition, and almost no method has one. Only then is the call's own return type asked
            // for (a task has nothing blocking to replace): asked first, of every call, it cost about 7 ms of the 4x benchmark app.
            if (method.MethodKind != MethodKind.Ordinary || method.Name.EndsWith("Async", StringComparison.Ordinal)
                || !_mayHaveTwin.GetOrAdd(method.OriginalDefinition, _computeMayHaveTwin)
                || IsTask(method.ReturnType) || IsKnownNonEquivalent(invocation))
            {
                return null;
            }

            if (FindCounterpart(method, AsyncName(method)) is not { } counterpart)
            {
                return null;
            }

            var problem = describeAsConfigured
                ? "is configured as blocking (perfrules.PERF004.additional_blocking_symbols)"
                : "blocks the request thread on I/O";
            return new Finding(Display(method), problem, $"await '{counterpart.Method.Name}' instead", FixCounterpart, counterpart.Method.Name, counterpart.Token);
        }

        public Finding? KeyDerivation(string what, ImmutableArray<IArgumentOperation> arguments)
        {
            foreach (var argument in arguments)
            {
                if (argument.Parameter?.Name is "iterations" or "iterationCount"
                    && argument.Value.ConstantValue is { HasValue: true, Value: int iterations }
                    && iterations >= KeyDerivationIterationThreshold)
                {
                    return new Finding(what, $"runs {iterations:N0} key-derivation iterations on the request thread", "move the work off the request path (or cache the derived key)", null);
                }
            }

            return null;
        }

        /// <summary>
        /// Calls whose "Async" twin exists but is not an equivalent replacement (documented in PERF004.md):
        /// <c>CancellationTokenSource.Cancel</c> (CancelAsync only changes how callbacks run), EF Core
        /// <c>Add</c>/<c>AddRange</c> (AddAsync is for special value generators), <c>Dispose</c> (DisposeAsync is
        /// an <c>await using</c> rewrite), calls on in-memory streams and readers.
        /// </summary>
        private bool IsKnownNonEquivalent(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var type = method.ContainingType;
            if (method.Name == "Dispose"
                || (method.Name == "Cancel" && SymbolEqualityComparer.Default.Equals(type, CancellationTokenSource))
                || (method.Name is "Add" or "AddRange"
                    && (type.IsOrInherits(DbContext) || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, DbSet))))
            {
                return true;
            }

            var receiverType = invocation.GetReceiver()?.WalkDownConversions().Type;
            for (var current = receiverType as INamedTypeSymbol; current is not null; current = current.BaseType)
            {
                if (_inMemory.Contains(current))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>Enumerable</c>/<c>Queryable</c> ToList, First, Count … over a query that starts at an EF Core <c>DbSet</c>.</summary>
        private Finding? IsEntityFrameworkQuery(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (EfQueryableExtensions is null || DbSet is null || !method.IsExtensionMethod
                || !(SymbolEqualityComparer.Default.Equals(method.ContainingType, Enumerable) || SymbolEqualityComparer.Default.Equals(method.ContainingType, Queryable)))
            {
                return null;
            }

            IOperation? source = invocation.GetReceiver()?.WalkDownConversions();
            while (source is IInvocationOperation inner && inner.TargetMethod.IsExtensionMethod)
            {
                source = inner.GetReceiver()?.WalkDownConversions();
            }

            if (source?.Type is not INamedTypeSymbol sourceType || !IsDbSet(sourceType))
            {
                return null;
            }

            foreach (var member in EfQueryableExtensions.GetMembers(method.Name + "Async"))
            {
                if (member is IMethodSymbol candidate && candidate.Arity == method.Arity
                    && candidate.Parameters.Length == method.Parameters.Length + 1
                    && IsCancellationToken(candidate.Parameters[candidate.Parameters.Length - 1].Type))
                {
                    return new Finding(Display(method), "runs a synchronous database query on the request thread", $"await '{candidate.Name}' instead", FixCounterpart, candidate.Name, Token: true);
                }
            }

            return null;
        }

        private bool IsDbSet(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, DbSet))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The name of a method's async counterpart (SmtpClient.Send and WebClient have their own pattern).</summary>
        private string AsyncName(IMethodSymbol method)
        {
            var type = method.ContainingType.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(type, SmtpClient) && method.Name == "Send")
            {
                return "SendMailAsync";
            }

            return SymbolEqualityComparer.Default.Equals(type, WebClient) ? method.Name + "TaskAsync" : method.Name + "Async";
        }

        // Of an ordinary method without an "…Async" name (CounterpartFinding asks that first).
        private bool MayHaveTwin(IMethodSymbol method)
        {
            if (method.ContainingType is null)
            {
                return false;
            }

            var asyncName = AsyncName(method);
            for (var type = method.ContainingType; type is not null; type = type.BaseType)
            {
                if (!type.GetMembers(asyncName).IsEmpty)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The async counterpart by symbol: a method of the same type (or a base type) named <paramref name="asyncName"/>,
        /// as static as the original, not obsolete, with the same parameters (types and ref kinds) plus, optionally, a
        /// trailing CancellationToken, returning Task/ValueTask for void or Task&lt;R&gt;/ValueTask&lt;R&gt; for R.
        /// </summary>
        public (IMethodSymbol Method, bool Token)? FindCounterpart(IMethodSymbol method, string asyncName)
        {
            // An overload that takes a CancellationToken is preferred (ReadToEndAsync(CancellationToken) over ReadToEndAsync()).
            (IMethodSymbol Method, bool Token)? found = null;
            for (var type = method.ContainingType; type is not null; type = type.BaseType)
            {
                foreach (var member in type.GetMembers(asyncName))
                {
                    if (member is not IMethodSymbol candidate || candidate.IsStatic != method.IsStatic || candidate.Arity != method.Arity
                        || candidate.HasAttribute(Obsolete) || !_compilation.IsSymbolAccessibleWithin(candidate, _compilation.Assembly))
                    {
                        continue;
                    }

                    var constructed = candidate.Arity > 0 ? candidate.Construct(method.TypeArguments, method.TypeArgumentNullableAnnotations) : candidate;
                    if (ParametersMatch(method, constructed, out var token) && ReturnMatches(method, constructed))
                    {
                        if (token)
                        {
                            return (constructed, true);
                        }

                        found ??= (constructed, false);
                    }
                }
            }

            return found;
        }

        private bool ParametersMatch(IMethodSymbol method, IMethodSymbol candidate, out bool token)
        {
            token = false;
            var count = method.Parameters.Length;
            if (candidate.Parameters.Length == count + 1 && IsCancellationToken(candidate.Parameters[count].Type))
            {
                token = true;
            }
            else if (candidate.Parameters.Length != count)
            {
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                var left = method.Parameters[i];
                var right = candidate.Parameters[i];
                if (left.RefKind != right.RefKind || !SymbolEqualityComparer.Default.Equals(left.Type, right.Type))
                {
                    return false;
                }
            }

            return true;
        }

        private bool ReturnMatches(IMethodSymbol method, IMethodSymbol candidate)
        {
            if (candidate.ReturnType is not INamedTypeSymbol returned)
            {
                return false;
            }

            if (method.ReturnsVoid)
            {
                return SymbolEqualityComparer.Default.Equals(returned, Task) || SymbolEqualityComparer.Default.Equals(returned, ValueTask);
            }

            return IsGenericTask(returned) && SymbolEqualityComparer.Default.Equals(returned.TypeArguments[0], method.ReturnType);
        }

        private bool IsCancellationToken(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type, CancellationToken);

        private INamedTypeSymbol? ServiceProvider { get; }

        private INamedTypeSymbol? HangfireBackgroundJob { get; }

        private INamedTypeSymbol? HangfireClientExtensions { get; }
    }
}
