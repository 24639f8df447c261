using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using PerfRules.Infrastructure;
using PerfRules.Notions;
using PerfRules.Offload;

namespace PerfRules.Rules;

/// <summary>
/// PERF004/PERF007 fix "Offload to a background queue": moves the reported statement (a call whose result the response
/// does not use, or the body of the lambda given to <c>Task.Run</c>, <c>Task.Factory.StartNew</c>,
/// <c>ThreadPool.QueueUserWorkItem</c>, <c>new Thread(…).Start()</c>) to the project's background engine, in this order of
/// preference: Hangfire's <c>BackgroundJob.Enqueue</c> when the project references Hangfire; else a Quartz job when it
/// references Quartz 4 (<c>OffloadedWorkJob</c>, added once per project, scheduled to start now through
/// <c>ISchedulerFactory</c>, the handler made async for the await, <c>AddQuartz</c>/<c>AddQuartzHostedService</c> registered
/// when missing); else a generated in-process queue (<c>IBackgroundWorkQueue</c> + <c>QueuedWorkService</c>, added once per
/// project and registered in the startup). Services are resolved in the worker's own scope; values are copied; the fix is
/// not offered when the work touches the request, the handler's instance, or variables it cannot copy
/// (<see cref="MovedWorkAnalysis"/>), nor when the project's Quartz is not version 4 or uses a persistent job store.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OffloadToBackgroundQueueFixer)), Shared]
public sealed class OffloadToBackgroundQueueFixer : CodeFixProvider
{
    internal const string OffloadKey = "PERF004.OffloadToBackgroundQueue";

    private const string Title = "Offload to a background queue";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.SynchronousWorkInRequestHandler, RuleIdentifiers.FireAndForgetInRequestHandler);

    public override FixAllProvider GetFixAllProvider() => OffloadFixAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || OffloadSymbols.Create(model.Compilation) is not { } symbols)
        {
            return;
        }

        Target? target = null;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (OffloadSite.Find(root, model, diagnostic, symbols, context.CancellationToken) is not { } site || Plan(site, symbols, model, context.CancellationToken) is null)
            {
                continue;
            }

            // The in-process queue must exist already or be registrable in the project's startup.
            target ??= await Target.FindAsync(document.Project, symbols, context.CancellationToken).ConfigureAwait(false);
            if (!target.CanServe)
            {
                return;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => OffloadAsync(document.Project.Solution, document.Project.Id, new[] { (document.Id, diagnostic) }, ct), OffloadKey),
                diagnostic);
        }
    }

    /// <summary>What replaces one site: the engine and, for the in-process queue, how the handler reaches it.</summary>
    private sealed record SitePlan(OffloadEngine Engine, QueueAccess Access, string? HttpContextExpression, IInvocationOperation? HangfireCall);

    private static SitePlan? Plan(OffloadSite site, OffloadSymbols symbols, SemanticModel model, CancellationToken cancellationToken)
    {
        // A handler with syntax errors is left alone: what the moved code means is not settled.
        if (!site.Analysis.CanMove || site.HandlerSyntax is not { } handlerSyntax || handlerSyntax.ContainsDiagnostics)
        {
            return null;
        }

        if (symbols.HangfireBackgroundJob is not null)
        {
            return HangfireCall(site, symbols) is { } call ? new SitePlan(OffloadEngine.Hangfire, QueueAccess.RequestServices, null, call) : null;
        }

        // Quartz (when referenced, and no Hangfire): only the Quartz 4 API the generated job is written for, with its in-memory store.
        var engine = symbols.QuartzJob is null ? OffloadEngine.InProcessQueue : OffloadEngine.Quartz;
        if (engine == OffloadEngine.Quartz && !symbols.HasQuartz4)
        {
            return null;
        }

        if (!IsStatementWork(site, model, symbols, cancellationToken)
            || (engine == OffloadEngine.Quartz && !CanAwaitAt(site, handlerSyntax, model, cancellationToken)))
        {
            return null;
        }

        var method = site.Handler.Method;
        foreach (var parameter in method.Parameters)
        {
            if (symbols.Is(parameter.Type, symbols.HttpContext))
            {
                return new SitePlan(engine, QueueAccess.RequestServices, parameter.Name, null);
            }
        }

        if (handlerSyntax is MethodDeclarationSyntax && !method.IsStatic
            && (method.ContainingType.IsOrInherits(symbols.ControllerBase) || method.ContainingType.IsOrInherits(symbols.PageModel)))
        {
            return new SitePlan(engine, QueueAccess.RequestServices, "HttpContext", null);
        }

        var parameters = handlerSyntax switch
        {
            ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList,
            LocalFunctionStatementSyntax local => local.ParameterList,
            _ => null,
        };
        if (site.Handler.Kind == RequestHandlerKind.EndpointHandler && parameters is not null
            && parameters.Parameters.All(p => p.Type is not null && p.Default is null && !p.Modifiers.Any(SyntaxKind.ParamsKeyword)))
        {
            return new SitePlan(engine, QueueAccess.HandlerParameter, null, null);
        }

        return null;
    }

    /// <summary>
    /// Scheduling a Quartz job is awaited: the site must accept <c>await</c> (not in a <c>lock</c> or unsafe code), and a
    /// handler that is not async yet must become async the way the "Use async" fix makes it (no ref/out parameters, ref
    /// or ref-struct locals, iterators, nor overrides and interface members whose return type would change).
    /// </summary>
    private static bool CanAwaitAt(OffloadSite site, SyntaxNode handlerSyntax, SemanticModel model, CancellationToken cancellationToken)
    {
        for (var node = site.Statement.Parent; node is not null && node != handlerSyntax; node = node.Parent)
        {
            if (node is LockStatementSyntax or UnsafeStatementSyntax or FixedStatementSyntax)
            {
                return false;
            }
        }

        var method = site.Handler.Method;
        if (method.IsAsync)
        {
            return true;
        }

        if (method.Parameters.Any(p => p.RefKind != RefKind.None) || (handlerSyntax is MemberDeclarationSyntax member && member.Modifiers.Any(SyntaxKind.UnsafeKeyword))
            || (handlerSyntax is LocalFunctionStatementSyntax local && local.Modifiers.Any(SyntaxKind.UnsafeKeyword)))
        {
            return false;
        }

        foreach (var node in handlerSyntax.DescendantNodes(n => n == handlerSyntax || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (node)
            {
                case YieldStatementSyntax or UnsafeStatementSyntax or StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax:
                    return false;
                case VariableDeclaratorSyntax declarator when model.GetDeclaredSymbol(declarator, cancellationToken) is ILocalSymbol variable && (variable.IsRef || variable.Type.IsRefLikeType):
                    return false;
                case SingleVariableDesignationSyntax designation when model.GetDeclaredSymbol(designation, cancellationToken) is ILocalSymbol designated && designated.Type.IsRefLikeType:
                    return false;
            }
        }

        return UseAsyncCounterpartFixer.PlanHandler(handlerSyntax, model, cancellationToken) is not null;
    }

    /// <summary>The moved code can be the body of a work item: a statement expression, or a lambda body without a returned value.</summary>
    private static bool IsStatementWork(OffloadSite site, SemanticModel model, OffloadSymbols symbols, CancellationToken cancellationToken)
    {
        if (site.WorkSyntax is BlockSyntax)
        {
            return true;
        }

        var expression = (ExpressionSyntax)site.WorkSyntax;
        if (expression is AwaitExpressionSyntax || IsTaskLike(model, expression, symbols, cancellationToken))
        {
            return true;
        }

        // A non-task expression becomes a statement: only expressions C# accepts as statements.
        return expression is InvocationExpressionSyntax or AssignmentExpressionSyntax or ObjectCreationExpressionSyntax or PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax;
    }

    private static bool IsTaskLike(SemanticModel model, ExpressionSyntax expression, OffloadSymbols symbols, CancellationToken cancellationToken)
        => symbols.IsTaskLike(model.GetTypeInfo(expression, cancellationToken).Type);

    /// <summary>Hangfire runs one public method call with serialised arguments: a static call, or a call on an injected service.</summary>
    private static IInvocationOperation? HangfireCall(OffloadSite site, OffloadSymbols symbols)
    {
        var operation = site.Work;
        if (operation is IBlockOperation block)
        {
            // An expression-bodied lambda: the expression, or its statement followed by the implicit empty return.
            var operations = block.Operations.Where(o => o is not IReturnOperation { ReturnedValue: null, IsImplicit: true }).ToList();
            operation = operations.Count != 1 ? null : operations[0] switch
            {
                IReturnOperation { ReturnedValue: { } value } => value,
                IExpressionStatementOperation statement => statement.Operation,
                _ => null,
            };
        }

        operation = operation?.WalkDownConversions();
        if (operation is IAwaitOperation awaited)
        {
            operation = awaited.Operation.WalkDownConversions();
        }

        if (operation is not IInvocationOperation call || call.TargetMethod.DeclaredAccessibility != Accessibility.Public
            || call.TargetMethod.ReturnType is var returned && !(call.TargetMethod.ReturnsVoid || symbols.Is(returned, symbols.Task) || symbols.Is(returned, symbols.TaskOfT)))
        {
            return null;
        }

        // The receiver: none (static) or a service resolved by Hangfire's activator; the arguments: values only.
        var receiver = call.Instance?.WalkDownConversions();
        if (call.TargetMethod.IsExtensionMethod || (receiver is not null && !IsServiceReference(site, receiver.Syntax)))
        {
            return null;
        }

        foreach (var argument in call.Arguments)
        {
            foreach (var inner in argument.Value.DescendantsAndSelf())
            {
                if (inner is IAnonymousFunctionOperation or IAwaitOperation || IsServiceReference(site, inner.Syntax))
                {
                    return null;
                }
            }
        }

        return call;
    }

    private static bool IsServiceReference(OffloadSite site, SyntaxNode syntax)
        => site.Analysis.References.Any(r => r.Node == syntax && r.Capture.Kind == CaptureKind.Service);

    /// <summary>Which engine the project has, where the generated queue or job lives, and whether the project can get it.</summary>
    private sealed class Target
    {
        public string? Namespace { get; private set; }

        public bool HangfireReferenced { get; private set; }

        /// <summary>The queue type is in the project already (generated by an earlier fix): neither generated nor registered again.</summary>
        public bool QueueExists { get; private set; }

        public DocumentId? StartupDocument { get; private set; }

        /// <summary>The project references Quartz (and not Hangfire): the Quartz job is the target, never the in-process queue.</summary>
        public bool QuartzReferenced { get; private set; }

        /// <summary>Quartz 4 with its in-memory store: a persistent store could not serialise the work delegate.</summary>
        public bool QuartzUsable { get; private set; }

        /// <summary>The job type is in the project already (generated by an earlier fix).</summary>
        public bool QuartzJobExists { get; private set; }

        public bool AddQuartz { get; private set; }

        public bool AddQuartzHostedService { get; private set; }

        public bool CanServe => HangfireReferenced
            || (QuartzReferenced
                ? QuartzUsable && ((QuartzJobExists && !AddQuartz && !AddQuartzHostedService) || StartupDocument is not null)
                : QueueExists || StartupDocument is not null);

        public string QualifiedName(string name) => Namespace is null ? "global::" + name : "global::" + Namespace + "." + name;

        public static async Task<Target> FindAsync(Project project, OffloadSymbols symbols, CancellationToken cancellationToken)
        {
            var ns = string.IsNullOrWhiteSpace(project.DefaultNamespace) ? null : project.DefaultNamespace;
            var target = new Target { Namespace = ns, HangfireReferenced = symbols.HangfireBackgroundJob is not null };
            if (target.HangfireReferenced)
            {
                return target;
            }

            if (symbols.QuartzJob is not null)
            {
                target.QuartzReferenced = true;
                if (!symbols.HasQuartz4)
                {
                    return target;
                }

                var (addsQuartz, addsHostedService, persistent) = await Startup.FindQuartzRegistrationAsync(project, symbols, cancellationToken).ConfigureAwait(false);
                target.QuartzUsable = !persistent;
                target.AddQuartz = !addsQuartz;
                target.AddQuartzHostedService = !addsHostedService;
                target.QuartzJobExists = FindExistingJob(symbols, ns);
                if (!target.QuartzJobExists || target.AddQuartz || target.AddQuartzHostedService)
                {
                    target.StartupDocument = (await Startup.FindAsync(project, cancellationToken).ConfigureAwait(false))?.Document;
                }

                return target;
            }

            target.QueueExists = FindExistingQueue(symbols.Compilation, ns);
            if (!target.QueueExists)
            {
                target.StartupDocument = (await Startup.FindAsync(project, cancellationToken).ConfigureAwait(false))?.Document;
            }

            return target;
        }

        /// <summary>An <c>OffloadedWorkJob</c> declared in source, in the fix's namespace, implementing <c>IJob</c> with the generated <c>ScheduleAsync</c>.</summary>
        private static bool FindExistingJob(OffloadSymbols symbols, string? ns)
        {
            foreach (var symbol in symbols.Compilation.GetSymbolsWithName(QuartzJobSource.JobName, SymbolFilter.Type))
            {
                if (symbol is INamedTypeSymbol { TypeKind: TypeKind.Class } type
                    && (type.ContainingNamespace.IsGlobalNamespace ? ns is null : type.ContainingNamespace.ToDisplayString() == ns)
                    && type.AllInterfaces.Any(i => symbols.Is(i, symbols.QuartzJob))
                    && type.GetMembers(QuartzJobSource.ScheduleMethod).OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 2 && symbols.Is(m.Parameters[0].Type, symbols.QuartzSchedulerFactory)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>An <c>IBackgroundWorkQueue</c> declared in source, in the fix's namespace, with the generated <c>Enqueue</c> shape.</summary>
        private static bool FindExistingQueue(Compilation compilation, string? ns)
        {
            foreach (var symbol in compilation.GetSymbolsWithName(BackgroundQueueSource.InterfaceName, SymbolFilter.Type))
            {
                if (symbol is INamedTypeSymbol { TypeKind: TypeKind.Interface } type
                    && (type.ContainingNamespace.IsGlobalNamespace ? ns is null : type.ContainingNamespace.ToDisplayString() == ns)
                    && type.GetMembers("Enqueue").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 1 && m.Parameters[0].Type is INamedTypeSymbol { TypeKind: TypeKind.Delegate, Arity: 3 }))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Offloads every site of the given diagnostics in one project; generates and registers the queue at most once.</summary>
    internal static async Task<Solution> OffloadAsync(Solution solution, ProjectId projectId, IReadOnlyList<(DocumentId Document, Diagnostic Diagnostic)> diagnostics, CancellationToken cancellationToken)
    {
        var project = solution.GetProject(projectId);
        if (project is null || await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation
            || OffloadSymbols.Create(compilation) is not { } symbols)
        {
            return solution;
        }

        var target = await Target.FindAsync(project, symbols, cancellationToken).ConfigureAwait(false);
        if (!target.CanServe)
        {
            return solution;
        }

        // Every edited document is simplified (imports added, names reduced) once, at the end: the generated queue or job
        // must exist by then, or a name qualified with a namespace no file declares yet stays qualified.
        var original = solution;
        var usesQueue = false;
        var edited = new List<DocumentId>();
        foreach (var group in diagnostics.GroupBy(d => d.Document))
        {
            var document = solution.GetDocument(group.Key);
            if (document is null)
            {
                continue;
            }

            var (changed, queued) = await RewriteDocumentAsync(document, group.Select(g => g.Diagnostic).ToList(), symbols, target, cancellationToken).ConfigureAwait(false);
            if (changed != document)
            {
                edited.Add(changed.Id);
            }

            solution = changed.Project.Solution;
            usesQueue |= queued;
        }

        Solution? supported;
        if (!usesQueue)
        {
            supported = solution;
        }
        else if (target.QuartzReferenced)
        {
            supported = await AddQuartzSupportAsync(solution, projectId, target, symbols, edited, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            supported = target.QueueExists ? solution : await AddQueueAsync(solution, projectId, target, symbols, edited, cancellationToken).ConfigureAwait(false);
        }

        if (supported is null)
        {
            return original;
        }

        solution = supported;
        foreach (var id in edited.Distinct())
        {
            if (solution.GetDocument(id) is { } document)
            {
                solution = (await ImportAndReduceAsync(document, cancellationToken).ConfigureAwait(false)).Project.Solution;
            }
        }

        return solution;
    }

    /// <summary>
    /// The in-process queue, generated once and registered once in the startup found before the rewrite; null when the
    /// startup cannot take the registration.
    /// </summary>
    private static async Task<Solution?> AddQueueAsync(Solution solution, ProjectId projectId, Target target, OffloadSymbols symbols, List<DocumentId> edited, CancellationToken cancellationToken)
    {
        var registered = target.StartupDocument is { } startupId && solution.GetDocument(startupId) is { } startup
            ? await Startup.RegisterAsync(startup, target.Namespace, symbols, cancellationToken).ConfigureAwait(false)
            : null;
        if (registered is null)
        {
            return null;
        }

        edited.Add(registered.Id);
        return await AddGeneratedCodeAsync(registered, projectId, target.Namespace, BackgroundQueueSource.FileName, BackgroundQueueSource.Generate, BackgroundQueueSource.GenerateNamespaceBlock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Quartz: registers the scheduler and its hosted service when the project lacks them, and adds the job type once, where
    /// the queue would go. Null when the startup cannot take them.
    /// </summary>
    private static async Task<Solution?> AddQuartzSupportAsync(Solution solution, ProjectId projectId, Target target, OffloadSymbols symbols, List<DocumentId> edited, CancellationToken cancellationToken)
    {
        if (target.QuartzJobExists && !target.AddQuartz && !target.AddQuartzHostedService)
        {
            return solution;
        }

        if (target.StartupDocument is not { } startupId || solution.GetDocument(startupId) is not { } startup
            || await Startup.RegisterQuartzAsync(startup, target.AddQuartz, target.AddQuartzHostedService, symbols, cancellationToken).ConfigureAwait(false) is not { } registered)
        {
            return null;
        }

        edited.Add(registered.Id);
        return target.QuartzJobExists
            ? registered.Project.Solution
            : await AddGeneratedCodeAsync(registered, projectId, target.Namespace, QuartzJobSource.FileName, QuartzJobSource.Generate, QuartzJobSource.GenerateNamespaceBlock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The generated types join the startup document the registration edits: dotnet format's workspace writes a new document
    /// into an SDK-style project file as a duplicate &lt;Compile&gt; item (NETSDK1022). Only a startup in a file-scoped
    /// namespace, or a project without a root namespace, gets a file of its own (editors handle that well).
    /// </summary>
    private static async Task<Solution> AddGeneratedCodeAsync(Document startup, ProjectId projectId, string? ns, string fileName, System.Func<string?, string> generate, System.Func<string, string> generateBlock, CancellationToken cancellationToken)
    {
        if (ns is not null && await AppendAsync(startup, generateBlock(ns), cancellationToken).ConfigureAwait(false) is { } appended)
        {
            return appended.Project.Solution;
        }

        var solution = startup.Project.Solution;
        var name = FreeFileName(solution.GetProject(projectId)!, fileName);
        return solution.AddDocument(DocumentId.CreateNewId(projectId), name, SourceText.From(generate(ns), Encoding.UTF8));
    }

    /// <summary>Appends the block's declarations to the document's syntax (not its text, so the annotations of the edits stay for the final simplification).</summary>
    private static async Task<Document?> AppendAsync(Document startup, string block, CancellationToken cancellationToken)
    {
        if (await startup.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root
            || root.Members.OfType<FileScopedNamespaceDeclarationSyntax>().Any())
        {
            return null;
        }

        var appended = SyntaxFactory.ParseCompilationUnit(block);
        if (appended.ContainsDiagnostics || appended.Members.Count == 0)
        {
            return null;
        }

        var text = await startup.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var separator = text.Length > 0 && text[text.Length - 1] != '\n' ? "\n\n" : "\n";
        var members = appended.Members;
        var first = members[0];
        var leading = root.EndOfFileToken.LeadingTrivia.AddRange(SyntaxFactory.ParseLeadingTrivia(separator)).AddRange(first.GetLeadingTrivia());
        members = members.Replace(first, first.WithLeadingTrivia(leading));
        var newRoot = root.WithMembers(root.Members.AddRange(members)).WithEndOfFileToken(root.EndOfFileToken.WithLeadingTrivia(appended.EndOfFileToken.LeadingTrivia));
        return startup.WithSyntaxRoot(newRoot);
    }

    private static string FreeFileName(Project project, string name)
    {
        var used = new HashSet<string>(project.Documents.Select(d => d.Name), System.StringComparer.OrdinalIgnoreCase);
        var candidate = name;
        for (var i = 2; used.Contains(candidate); i++)
        {
            candidate = System.IO.Path.GetFileNameWithoutExtension(name) + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".cs";
        }

        return candidate;
    }

    private static async Task<(Document Document, bool UsesQueue)> RewriteDocumentAsync(Document document, IReadOnlyList<Diagnostic> diagnostics, OffloadSymbols symbols, Target target, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return (document, false);
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<StatementSyntax>();
        var queueParameters = new Dictionary<SyntaxNode, string>();
        var madeAsync = new List<SyntaxNode>();
        var usesQueue = false;
        foreach (var diagnostic in diagnostics)
        {
            if (OffloadSite.Find(root, model, diagnostic, symbols, cancellationToken) is not { } site || !seen.Add(site.Statement)
                || Plan(site, symbols, model, cancellationToken) is not { } plan || seen.Any(s => s != site.Statement && (s.Span.Contains(site.Statement.Span) || site.Statement.Span.Contains(s.Span))))
            {
                continue;
            }

            string? queueExpression = null;
            if (plan.Engine is OffloadEngine.InProcessQueue or OffloadEngine.Quartz)
            {
                usesQueue = true;
                var quartz = plan.Engine == OffloadEngine.Quartz;
                if (quartz && !site.Handler.Method.IsAsync && !madeAsync.Contains(site.HandlerSyntax!))
                {
                    madeAsync.Add(site.HandlerSyntax!);
                }

                if (plan.Access == QueueAccess.HandlerParameter)
                {
                    var handler = site.HandlerSyntax!;
                    if (!queueParameters.TryGetValue(handler, out var parameterName))
                    {
                        parameterName = FreeName(model, site.Statement.SpanStart, quartz ? "schedulerFactory" : "backgroundWorkQueue", new HashSet<string>());
                        queueParameters.Add(handler, parameterName);
                        var parameterType = quartz
                            ? QualifiedType(symbols.QuartzSchedulerFactory!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                            : QualifiedType(target.QualifiedName(BackgroundQueueSource.InterfaceName));
                        var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(parameterName))
                            .WithType(parameterType.WithTrailingTrivia(SyntaxFactory.Space));
                        editor.ReplaceNode(handler, (node, _) => node switch
                        {
                            ParenthesizedLambdaExpressionSyntax lambda => lambda.AddParameterListParameters(parameter),
                            LocalFunctionStatementSyntax local => local.AddParameterListParameters(parameter),
                            _ => node,
                        });
                    }

                    queueExpression = parameterName;
                }
                else
                {
                    queueExpression = plan.HttpContextExpression + ".RequestServices";
                }
            }

            var indentation = site.Statement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
            var endOfLine = site.Statement.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n";
            var statements = Rewrite(site, plan, queueExpression, symbols, target, model, cancellationToken).Select(s => Indent(s.NormalizeWhitespace("    ", endOfLine), indentation)).ToList();
            var leading = site.Statement.GetLeadingTrivia();
            var trailing = site.Statement.GetTrailingTrivia();
            for (var i = 0; i < statements.Count; i++)
            {
                statements[i] = statements[i]
                    .WithLeadingTrivia(i == 0 ? leading : SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(indentation)))
                    .WithTrailingTrivia(i == statements.Count - 1 ? trailing : SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine(endOfLine)));
            }

            if (site.Statement.Parent is BlockSyntax or SwitchSectionSyntax)
            {
                if (statements.Count > 1)
                {
                    editor.InsertBefore(site.Statement, statements.Take(statements.Count - 1).Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)));
                }

                editor.ReplaceNode(site.Statement, statements[statements.Count - 1].WithAdditionalAnnotations(Formatter.Annotation));
            }
            else
            {
                editor.ReplaceNode(site.Statement, SyntaxFactory.Block(statements).WithTriviaFrom(site.Statement).WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        // Scheduling a Quartz job is awaited: a handler that is not async yet becomes async as the "Use async" fix makes it.
        foreach (var handler in madeAsync)
        {
            if (UseAsyncCounterpartFixer.PlanHandler(handler, model, cancellationToken) is { } asyncPlan)
            {
                var plan = asyncPlan with { Token = null, AddTokenParameter = false };
                editor.ReplaceNode(handler, (node, _) => UseAsyncCounterpartFixer.MakeAsync(node, plan));
            }
        }

        return (editor.GetChangedDocument(), usesQueue);
    }

    /// <summary>Indents every line after the first of a whitespace-normalised statement to the site's indentation.</summary>
    private static StatementSyntax Indent(StatementSyntax statement, string indentation)
    {
        if (indentation.Length == 0)
        {
            return statement;
        }

        var lineStarts = statement.DescendantTokens()
            .Where(t => t.GetPreviousToken() is { RawKind: not 0 } previous && statement.Span.Contains(previous.Span)
                && previous.TrailingTrivia.Any(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia)))
            .ToList();
        return statement.ReplaceTokens(lineStarts, (_, token) => token.WithLeadingTrivia(token.LeadingTrivia.Insert(0, SyntaxFactory.Whitespace(indentation))));
    }

    /// <summary>The statements that replace the site: copies of the values the handler changes later, then the enqueue call.</summary>
    private static List<StatementSyntax> Rewrite(OffloadSite site, SitePlan plan, string? queueExpression, OffloadSymbols symbols, Target target, SemanticModel model, CancellationToken cancellationToken)
    {
        var position = site.Statement.SpanStart;
        var replaced = new HashSet<SyntaxNode>(site.Analysis.References.Where(r => r.Capture.Kind != CaptureKind.Value).Select(r => r.Node));
        var reserved = NamesDeclaredIn(site.WorkSyntax, replaced);
        foreach (var capture in site.Analysis.Captures)
        {
            if (capture.Kind == CaptureKind.Value)
            {
                reserved.Add(capture.Symbol.Name);
            }
        }

        var result = new List<StatementSyntax>();
        var names = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        foreach (var capture in site.Analysis.Captures.Where(c => c.NeedsCopy))
        {
            var copy = FreeName(model, position, capture.Symbol.Name + "Copy", reserved);
            reserved.Add(copy);
            names[capture.Symbol] = copy;
            result.Add(SyntaxFactory.ParseStatement($"var {copy} = {EscapeIdentifier(capture.Symbol.Name)};"));
        }

        if (plan.Engine == OffloadEngine.Hangfire)
        {
            result.Add(HangfireStatement(site, plan.HangfireCall!, names, reserved, model, position));
            return result;
        }

        // The work item's parameters and locals may shadow the handler's variables (C# 8+): every name the work reads is reserved.
        var servicesName = FreeName(model, position, "services", reserved, allowShadowing: true);
        reserved.Add(servicesName);
        var tokenName = FreeName(model, position, "cancellationToken", reserved, allowShadowing: true);
        reserved.Add(tokenName);
        var declarations = new List<StatementSyntax>();
        foreach (var capture in site.Analysis.Captures.Where(c => c.Kind == CaptureKind.Service))
        {
            var name = FreeName(model, position, ServiceLocalName(capture.Symbol.Name), reserved, allowShadowing: true);
            reserved.Add(name);
            names[capture.Symbol] = name;
            declarations.Add(SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                SyntaxFactory.IdentifierName("var"),
                SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name))
                    .WithInitializer(SyntaxFactory.EqualsValueClause(GetRequiredService(SyntaxFactory.IdentifierName(servicesName), capture.Type, symbols)))))));
        }

        foreach (var capture in site.Analysis.Captures.Where(c => c.Kind == CaptureKind.Token))
        {
            names[capture.Symbol] = tokenName;
        }

        var work = ReplaceReferences(site.WorkSyntax, site, names, _ => null);
        var isAsync = site.Analysis.ContainsAwait;
        var valueTaskCompleted = SyntaxFactory.ParseExpression("global::System.Threading.Tasks.ValueTask.CompletedTask").WithAdditionalAnnotations(Simplifier.Annotation);
        var body = new List<StatementSyntax>(declarations);
        if (work is BlockSyntax block)
        {
            if (isAsync)
            {
                body.AddRange(block.Statements);
            }
            else
            {
                body.AddRange(ReturnCompletedTask(block, valueTaskCompleted).Statements);
                if (EndIsReachable(site, model))
                {
                    body.Add(SyntaxFactory.ReturnStatement(valueTaskCompleted));
                }
            }
        }
        else
        {
            var expression = ((ExpressionSyntax)work).WithoutTrivia();
            var awaitsItself = expression is AwaitExpressionSyntax;
            if (!awaitsItself && IsTaskLike(model, (ExpressionSyntax)site.WorkSyntax, symbols, cancellationToken))
            {
                expression = SyntaxFactory.AwaitExpression(expression);
                awaitsItself = true;
            }

            isAsync = awaitsItself;
            body.Add(SyntaxFactory.ExpressionStatement(expression));
            if (!isAsync)
            {
                body.Add(SyntaxFactory.ReturnStatement(valueTaskCompleted));
            }
        }

        CSharpSyntaxNode lambdaBody = isAsync && body.Count == 1 && body[0] is ExpressionStatementSyntax only
            ? only.Expression
            : SyntaxFactory.Block(body);
        var lambda = SyntaxFactory.ParenthesizedLambdaExpression(
            SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Parameter(SyntaxFactory.Identifier(servicesName)), SyntaxFactory.Parameter(SyntaxFactory.Identifier(tokenName)) })),
            lambdaBody);
        if (isAsync)
        {
            lambda = lambda.WithAsyncKeyword(SyntaxFactory.Token(SyntaxKind.AsyncKeyword));
        }

        if (plan.Engine == OffloadEngine.Quartz)
        {
            ExpressionSyntax factory = plan.Access == QueueAccess.HandlerParameter
                ? SyntaxFactory.IdentifierName(queueExpression!)
                : GetRequiredService(SyntaxFactory.ParseExpression(queueExpression!), symbols.QuartzSchedulerFactory, symbols);
            var schedule = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, QualifiedType(target.QualifiedName(QuartzJobSource.JobName)), SyntaxFactory.IdentifierName(QuartzJobSource.ScheduleMethod)),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Argument(factory), SyntaxFactory.Argument(lambda) })));
            result.Add(SyntaxFactory.ExpressionStatement(SyntaxFactory.AwaitExpression(schedule)));
            return result;
        }

        ExpressionSyntax queue = plan.Access == QueueAccess.HandlerParameter
            ? SyntaxFactory.IdentifierName(queueExpression!)
            : GetRequiredService(SyntaxFactory.ParseExpression(queueExpression!), null, symbols, target.QualifiedName(BackgroundQueueSource.InterfaceName));
        var enqueue = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, queue, SyntaxFactory.IdentifierName("Enqueue")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(lambda))));
        result.Add(SyntaxFactory.ExpressionStatement(enqueue));
        return result;
    }

    private static StatementSyntax HangfireStatement(OffloadSite site, IInvocationOperation call, Dictionary<ISymbol, string> names, HashSet<string> reserved, SemanticModel model, int position)
    {
        var callSyntax = (InvocationExpressionSyntax)call.Syntax;
        var receiver = call.Instance?.WalkDownConversions();
        var service = receiver is null ? null : site.Analysis.References.FirstOrDefault(r => r.Node == receiver.Syntax).Capture;
        string? parameterName = null;
        if (service is not null)
        {
            parameterName = FreeName(model, position, ServiceLocalName(service.Symbol.Name), reserved, allowShadowing: true);
            names[service.Symbol] = parameterName;
        }

        var none = SyntaxFactory.ParseExpression("global::System.Threading.CancellationToken.None").WithAdditionalAnnotations(Simplifier.Annotation);
        var job = ReplaceReferences(callSyntax, site, names, capture => capture.Kind == CaptureKind.Token ? none : null).WithoutTrivia();
        var enqueue = service is null
            ? $"global::Hangfire.BackgroundJob.Enqueue(() => {job});"
            : $"global::Hangfire.BackgroundJob.Enqueue<{service.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}>({parameterName} => {job});";
        return SyntaxFactory.ParseStatement(enqueue).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
    }

    /// <summary>The work's syntax with every captured reference renamed (services, tokens, copies) or replaced.</summary>
    private static SyntaxNode ReplaceReferences(SyntaxNode root, OffloadSite site, Dictionary<ISymbol, string> names, System.Func<Capture, ExpressionSyntax?> replacement)
    {
        var nodes = new Dictionary<SyntaxNode, Capture>();
        foreach (var (node, capture) in site.Analysis.References)
        {
            if (root.Span.Contains(node.Span))
            {
                nodes[node] = capture;
            }
        }

        return root.ReplaceNodes(nodes.Keys, (original, current) =>
        {
            var capture = nodes[original];
            if (replacement(capture) is { } expression)
            {
                return expression.WithTriviaFrom(current);
            }

            return names.TryGetValue(capture.Symbol, out var name)
                ? SyntaxFactory.IdentifierName(EscapeIdentifier(name)).WithTriviaFrom(current)
                : current;
        });
    }

    /// <summary>In a work item that is not async, <c>return;</c> of the launched lambda returns a completed ValueTask.</summary>
    private static BlockSyntax ReturnCompletedTask(BlockSyntax block, ExpressionSyntax completed)
    {
        var returns = block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>()
            .Where(r => r.Expression is null)
            .ToList();
        return block.ReplaceNodes(returns, (_, current) => current.WithExpression(completed.WithLeadingTrivia(SyntaxFactory.Space)));
    }

    private static bool EndIsReachable(OffloadSite site, SemanticModel model)
    {
        if (site.WorkSyntax is not BlockSyntax { Statements.Count: > 0 } block)
        {
            return true;
        }

        var flow = model.AnalyzeControlFlow(block.Statements[0], block.Statements[block.Statements.Count - 1]);
        return flow is not { Succeeded: true } || flow.EndPointIsReachable;
    }

    /// <summary>
    /// <c>provider.GetRequiredService&lt;T&gt;()</c>, written as the qualified static call: the simplifier imports the namespace
    /// and reduces it to the extension form.
    /// </summary>
    private static ExpressionSyntax GetRequiredService(ExpressionSyntax provider, ITypeSymbol? type, OffloadSymbols symbols, string? typeName = null)
        => ExtensionCall(symbols.GetRequiredService.ContainingType, "GetRequiredService", provider, QualifiedType(typeName ?? type!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)));

    internal static ExpressionSyntax ExtensionCall(INamedTypeSymbol extensions, string method, ExpressionSyntax receiver, params TypeSyntax[] typeArguments)
        => ExtensionCall(extensions, method, receiver, typeArguments, System.Array.Empty<ExpressionSyntax>());

    /// <summary><c>Ns.Extensions.M&lt;T…&gt;(receiver, arguments…)</c>, reduced to <c>receiver.M&lt;T…&gt;(arguments…)</c> by <see cref="ImportAndReduceAsync"/>.</summary>
    internal static ExpressionSyntax ExtensionCall(INamedTypeSymbol extensions, string method, ExpressionSyntax receiver, TypeSyntax[] typeArguments, ExpressionSyntax[] arguments)
    {
        var container = QualifiedType(extensions.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        SimpleNameSyntax name = typeArguments.Length == 0
            ? SyntaxFactory.IdentifierName(method)
            : SyntaxFactory.GenericName(SyntaxFactory.Identifier(method), SyntaxFactory.TypeArgumentList(SyntaxFactory.SeparatedList(typeArguments)));
        var allArguments = new[] { SyntaxFactory.Argument(receiver) }.Concat(arguments.Select(SyntaxFactory.Argument));
        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, (ExpressionSyntax)container, name),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(allArguments)))
            .WithAdditionalAnnotations(Simplifier.Annotation, ExtensionFormAnnotation);
    }

    /// <summary>Marks a qualified static call <c>Ns.Extensions.M&lt;T&gt;(x)</c> that becomes <c>x.M&lt;T&gt;()</c> once its namespace is imported.</summary>
    private static readonly SyntaxAnnotation ExtensionFormAnnotation = new("PerfRules.ExtensionForm");

    /// <summary>Imports the namespaces of the annotated qualified names, then turns the marked static calls into extension calls.</summary>
    internal static async Task<Document> ImportAndReduceAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var calls = root.GetAnnotatedNodes(ExtensionFormAnnotation).OfType<InvocationExpressionSyntax>().ToList();

        root = root.ReplaceNodes(calls, (_, current) =>
            current is { Expression: MemberAccessExpressionSyntax { Name: { } name }, ArgumentList.Arguments: { Count: > 0 } arguments }
                ? SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, arguments[0].Expression, name),
                        SyntaxFactory.ArgumentList(arguments.RemoveAt(0)))
                    .WithTriviaFrom(current)
                : current);
        return await Formatter.FormatAsync(document.WithSyntaxRoot(root), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static TypeSyntax QualifiedType(string name)
        => SyntaxFactory.ParseTypeName(name).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    private static string ServiceLocalName(string name)
    {
        var trimmed = name.TrimStart('_');
        if (trimmed.StartsWith("m_", System.StringComparison.Ordinal))
        {
            trimmed = trimmed.Substring(2);
        }

        if (trimmed.Length == 0 || !SyntaxFacts.IsIdentifierStartCharacter(trimmed[0]))
        {
            return "service";
        }

        return char.ToLowerInvariant(trimmed[0]) + trimmed.Substring(1);
    }

    private static string EscapeIdentifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.AwaitKeyword ? "@" + name : name;

    /// <summary>A name not declared in the work, not reserved, and (unless shadowing a replaced variable is fine) not in scope at the site.</summary>
    private static string FreeName(SemanticModel model, int position, string stem, HashSet<string> reserved, bool allowShadowing = false)
    {
        for (var i = 1; ; i++)
        {
            var candidate = i == 1 ? stem : stem + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (reserved.Contains(candidate) || SyntaxFacts.GetKeywordKind(candidate) != SyntaxKind.None)
            {
                continue;
            }

            if (!allowShadowing && !model.LookupSymbols(position, name: candidate).IsEmpty)
            {
                continue;
            }

            if (allowShadowing && model.LookupSymbols(position, name: candidate).Any(s => s is not (ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol or IMethodSymbol)))
            {
                continue;
            }

            return candidate;
        }
    }

    private static HashSet<string> NamesDeclaredIn(SyntaxNode node, HashSet<SyntaxNode> replaced)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var descendant in node.DescendantNodesAndSelf(n => !replaced.Contains(n)))
        {
            switch (descendant)
            {
                case VariableDeclaratorSyntax variable:
                    names.Add(variable.Identifier.ValueText);
                    break;
                case SingleVariableDesignationSyntax designation:
                    names.Add(designation.Identifier.ValueText);
                    break;
                case ParameterSyntax parameter:
                    names.Add(parameter.Identifier.ValueText);
                    break;
                case ForEachStatementSyntax forEach:
                    names.Add(forEach.Identifier.ValueText);
                    break;
                case LocalFunctionStatementSyntax local:
                    names.Add(local.Identifier.ValueText);
                    break;
                case CatchDeclarationSyntax catchDeclaration:
                    names.Add(catchDeclaration.Identifier.ValueText);
                    break;
                case IdentifierNameSyntax identifier when !replaced.Contains(identifier):
                    // Names the work reads keep their meaning: a new local must not hide them.
                    names.Add(identifier.Identifier.ValueText);
                    break;
            }
        }

        return names;
    }

    /// <summary>Fix All: every site of the scope, then one queue type and one registration per project.</summary>
    private sealed class OffloadFixAllProvider : FixAllProvider
    {
        public static readonly OffloadFixAllProvider Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes()
            => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            if (fixAllContext.CodeActionEquivalenceKey != OffloadKey)
            {
                return Task.FromResult<CodeAction?>(null);
            }

            return Task.FromResult<CodeAction?>(CodeAction.Create(Title, ct => FixAllAsync(fixAllContext, ct), OffloadKey));
        }

        private static async Task<Solution> FixAllAsync(FixAllContext context, CancellationToken cancellationToken)
        {
            var solution = context.Solution;
            var projects = context.Scope == FixAllScope.Solution ? solution.Projects.ToList() : new List<Project> { context.Project };
            foreach (var project in projects)
            {
                var documents = context.Scope == FixAllScope.Document && context.Document is { } only ? new[] { only } : project.Documents.ToArray();
                var diagnostics = new List<(DocumentId, Diagnostic)>();
                foreach (var document in documents)
                {
                    foreach (var diagnostic in await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false))
                    {
                        diagnostics.Add((document.Id, diagnostic));
                    }
                }

                solution = await OffloadAsync(solution, project.Id, diagnostics, cancellationToken).ConfigureAwait(false);
            }

            return solution;
        }
    }
}
