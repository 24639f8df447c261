using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using PerfRules.Infrastructure;
using PerfRules.Notions;

namespace PerfRules.Rules;

/// <summary>
/// PERF003 fix "Cache the rendered output": <c>[OutputCache(Duration = 60)]</c> on the action, or on the page model of a
/// Razor Pages handler (Razor Pages read filters from the page model, not from handler methods); <c>.CacheOutput()</c> right
/// after the <c>Map*</c> call of an endpoint. When the app registers exactly one output-cache policy that stores responses
/// (<c>AddPolicy("Name", …)</c>), that policy is used instead (<c>PolicyName = "Name"</c>, <c>.CacheOutput("Name")</c>).
/// When the project never calls <c>AddOutputCache()</c>/<c>UseOutputCache()</c>, the fix adds them to the startup: in
/// top-level statements <c>builder.Services.AddOutputCache();</c> just before <c>var app = builder.Build();</c> and
/// <c>app.UseOutputCache();</c> after <c>UseRouting</c>/<c>UseCors</c> and before the first endpoint mapping or <c>Run</c>; in a
/// <c>Startup</c> class at the end of <c>ConfigureServices</c> and at the same place of <c>Configure</c>. The fix is not offered
/// when the registrations are missing and no startup is found (the attribute alone would silently cache nothing).
/// FixAll edits each handler once and registers the middleware once per project.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TemplateRenderedWithoutOutputCacheFixer)), Shared]
public sealed class TemplateRenderedWithoutOutputCacheFixer : CodeFixProvider
{
    internal const string CacheKey = "PERF003.CacheRenderedOutput";

    internal const string Title = "Cache the rendered output";

    internal const int DefaultDurationSeconds = 60;

    // Calls on the app that must come before UseOutputCache (Microsoft's middleware-order guidance) and calls that map endpoints or start the app.
    private static readonly HashSet<string> EarlierCalls = new(StringComparer.Ordinal) { "UseRouting", "UseCors" };
    private static readonly HashSet<string> LaterCalls = new(StringComparer.Ordinal) { "UseEndpoints", "UseMvc", "UseMvcWithDefaultRoute", "Run", "RunAsync" };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.TemplateRenderedWithoutOutputCache);

    public override FixAllProvider GetFixAllProvider() => CacheFixAllProvider.Instance;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (CanFix(diagnostic))
            {
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(Title, cancellationToken => ApplyAsync(document.Project.Solution, ImmutableArray.Create(diagnostic), cancellationToken), CacheKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Cheap: the handler kind is known, and the middleware is registered already or there is a startup to register it in.</summary>
    private static bool CanFix(Diagnostic diagnostic)
    {
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(TemplateRenderedWithoutOutputCacheAnalyzer.HandlerKindProperty, out var kindText)
            || !Enum.TryParse<RequestHandlerKind>(kindText, out var kind)
            || kind is not (RequestHandlerKind.MvcAction or RequestHandlerKind.PageHandler or RequestHandlerKind.EndpointHandler))
        {
            return false;
        }

        if (kind == RequestHandlerKind.EndpointHandler && diagnostic.AdditionalLocations.Count == 0)
        {
            return false;
        }

        return IsRegistered(diagnostic) || properties.ContainsKey(TemplateRenderedWithoutOutputCacheAnalyzer.StartupProperty);
    }

    private static bool IsRegistered(Diagnostic diagnostic)
        => Flag(diagnostic, TemplateRenderedWithoutOutputCacheAnalyzer.HasAddOutputCacheProperty) && Flag(diagnostic, TemplateRenderedWithoutOutputCacheAnalyzer.HasUseOutputCacheProperty);

    private static bool Flag(Diagnostic diagnostic, string name)
        => diagnostic.Properties.TryGetValue(name, out var value) && value == "true";

    /// <summary>Applies the fix for <paramref name="diagnostics"/> (of one or more projects): handlers first, then each project's registrations once.</summary>
    private static async Task<Solution> ApplyAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var original = solution;
        var byDocument = new Dictionary<DocumentId, List<Diagnostic>>();
        var byProject = new Dictionary<ProjectId, Diagnostic>();
        foreach (var diagnostic in diagnostics)
        {
            if (!CanFix(diagnostic) || diagnostic.Location.SourceTree is not { } tree || original.GetDocumentId(tree) is not { } documentId)
            {
                continue;
            }

            if (!byDocument.TryGetValue(documentId, out var list))
            {
                list = new List<Diagnostic>();
                byDocument.Add(documentId, list);
            }

            list.Add(diagnostic);
            if (!byProject.ContainsKey(documentId.ProjectId))
            {
                byProject.Add(documentId.ProjectId, diagnostic);
            }
        }

        foreach (var pair in byDocument)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (solution.GetDocument(pair.Key) is { } document)
            {
                var edited = await CacheHandlersAsync(document, pair.Value, cancellationToken).ConfigureAwait(false);
                if (edited != document)
                {
                    solution = (await CleanUpAsync(edited, cancellationToken).ConfigureAwait(false)).Project.Solution;
                }
            }
        }

        // The registrations are found in the solution as the handler edits left it (an endpoint may sit in Program.cs).
        foreach (var pair in byProject)
        {
            var diagnostic = pair.Value;
            var needsAdd = !Flag(diagnostic, TemplateRenderedWithoutOutputCacheAnalyzer.HasAddOutputCacheProperty);
            var needsUse = !Flag(diagnostic, TemplateRenderedWithoutOutputCacheAnalyzer.HasUseOutputCacheProperty);
            if ((needsAdd || needsUse) && solution.GetProject(pair.Key) is { } project
                && await RegisterAsync(project, needsAdd, needsUse, cancellationToken).ConfigureAwait(false) is { } registered)
            {
                solution = (await CleanUpAsync(registered, cancellationToken).ConfigureAwait(false)).Project.Solution;
            }
        }

        return solution;
    }

    /// <summary>Adds the imports the annotated nodes need and reduces qualified names and static extension calls to their short forms.</summary>
    private static async Task<Document> CleanUpAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ handlers

    private static async Task<Document> CacheHandlersAsync(Document document, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var types = WellKnownTypes.GetOrCreate(model.Compilation);
        var attributeType = types.Get(WellKnownType.Microsoft_AspNetCore_OutputCaching_OutputCacheAttribute);
        var conventionType = types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_OutputCacheConventionBuilderExtensions);
        if (attributeType is null)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var done = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            var policy = diagnostic.Properties.TryGetValue(TemplateRenderedWithoutOutputCacheAnalyzer.PolicyNameProperty, out var name) ? name : null;
            _ = Enum.TryParse<RequestHandlerKind>(diagnostic.Properties[TemplateRenderedWithoutOutputCacheAnalyzer.HandlerKindProperty], out var kind);
            if (kind == RequestHandlerKind.EndpointHandler)
            {
                if (conventionType is not null && FindMapCall(root, diagnostic) is { } mapCall && done.Add(mapCall))
                {
                    var arguments = new List<SyntaxNode> { mapCall.WithoutTrailingTrivia() };
                    if (policy is not null)
                    {
                        arguments.Add(generator.LiteralExpression(policy));
                    }

                    // The static form with a qualified type: the import is added by annotation and the simplifier turns it into mapCall.CacheOutput().
                    var call = generator.InvocationExpression(
                            generator.MemberAccessExpression(generator.TypeExpression(conventionType), "CacheOutput"),
                            arguments)
                        .WithTrailingTrivia(mapCall.GetTrailingTrivia())
                        .WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation);
                    editor.ReplaceNode(mapCall, call);
                }

                continue;
            }

            if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan))
            {
                continue;
            }

            var method = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<MethodDeclarationSyntax>();
            SyntaxNode? target = kind == RequestHandlerKind.PageHandler ? method?.FirstAncestorOrSelf<ClassDeclarationSyntax>() : method;
            if (target is null || !done.Add(target))
            {
                continue;
            }

            var argument = policy is null
                ? generator.AttributeArgument("Duration", generator.LiteralExpression(DefaultDurationSeconds))
                : generator.AttributeArgument("PolicyName", generator.LiteralExpression(policy));
            var attribute = generator.Attribute(generator.TypeExpression(attributeType), new[] { argument })
                .WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation, Formatter.Annotation);
            editor.AddAttribute(target, attribute);
        }

        return editor.GetChangedDocument();
    }

    private static InvocationExpressionSyntax? FindMapCall(SyntaxNode root, Diagnostic diagnostic)
    {
        var location = diagnostic.AdditionalLocations.Count > 0 ? diagnostic.AdditionalLocations[0] : null;
        if (location is null || location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(location.SourceSpan))
        {
            return null;
        }

        for (var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (node is InvocationExpressionSyntax invocation && invocation.Span == location.SourceSpan)
            {
                return invocation;
            }

            if (node.Span.Length > location.SourceSpan.Length)
            {
                break;
            }
        }

        return null;
    }

    // ------------------------------------------------------------------ registrations

    private static async Task<Document?> RegisterAsync(Project project, bool needsAdd, bool needsUse, CancellationToken cancellationToken)
    {
        foreach (var document in project.Documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax unit)
            {
                continue;
            }

            if (await RegisterInProgramAsync(document, unit, needsAdd, needsUse, cancellationToken).ConfigureAwait(false) is { } program)
            {
                return program;
            }
        }

        foreach (var document in project.Documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax unit)
            {
                continue;
            }

            if (await RegisterInStartupAsync(document, unit, needsAdd, needsUse, cancellationToken).ConfigureAwait(false) is { } startup)
            {
                return startup;
            }
        }

        return null;
    }

    /// <summary>Top-level statements with <c>var app = builder.Build();</c> where <c>app</c> is a <c>WebApplication</c>.</summary>
    private static async Task<Document?> RegisterInProgramAsync(Document document, CompilationUnitSyntax unit, bool needsAdd, bool needsUse, CancellationToken cancellationToken)
    {
        var members = unit.Members;
        var buildIndex = -1;
        string? app = null;
        ExpressionSyntax? builder = null;
        for (var i = 0; i < members.Count && buildIndex < 0; i++)
        {
            if (members[i] is GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } }
                && variables[0].Initializer?.Value is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Build" } access })
            {
                buildIndex = i;
                app = variables[0].Identifier.ValueText;
                builder = access.Expression;
            }
        }

        if (buildIndex < 0 || app is null || builder is null)
        {
            return null;
        }

        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return null;
        }

        var types = WellKnownTypes.GetOrCreate(model.Compilation);
        if (!types.IsType(model.GetTypeInfo(builder, cancellationToken).Type, WellKnownType.Microsoft_AspNetCore_Builder_WebApplicationBuilder)
            || types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_OutputCacheServiceCollectionExtensions) is not { } addType
            || types.Get(WellKnownType.Microsoft_AspNetCore_Builder_OutputCacheApplicationBuilderExtensions) is not { } useType)
        {
            return null;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        var statements = new List<StatementSyntax>();
        foreach (var member in members)
        {
            statements.Add(member is GlobalStatementSyntax global ? global.Statement : SyntaxFactory.EmptyStatement());
        }

        var newMembers = members;
        if (needsUse)
        {
            var use = UseStatement(generator, useType, SyntaxFactory.IdentifierName(app), NewLineOf(unit));
            var insertAt = UseInsertionIndex(statements, buildIndex + 1, app);
            newMembers = Insert(newMembers, insertAt, SyntaxFactory.GlobalStatement(use), takeTrivia: insertAt < members.Count);
        }

        if (needsAdd)
        {
            // builder.Services.AddOutputCache(); just before var app = builder.Build(); (any blank line stays before the Build statement).
            var services = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, builder.WithoutTrivia(), SyntaxFactory.IdentifierName("Services"));
            var add = AddStatement(generator, addType, services, NewLineOf(unit));
            newMembers = newMembers.Insert(buildIndex, SyntaxFactory.GlobalStatement(add));
        }

        return document.WithSyntaxRoot(unit.WithMembers(newMembers));
    }

    /// <summary>A <c>Startup</c> class: <c>ConfigureServices(IServiceCollection services)</c> and <c>Configure(IApplicationBuilder app, …)</c> with block bodies.</summary>
    private static async Task<Document?> RegisterInStartupAsync(Document document, CompilationUnitSyntax unit, bool needsAdd, bool needsUse, CancellationToken cancellationToken)
    {
        foreach (var type in unit.DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or ClassDeclarationSyntax).OfType<ClassDeclarationSyntax>())
        {
            MethodDeclarationSyntax? configureServices = null;
            MethodDeclarationSyntax? configure = null;
            foreach (var member in type.Members)
            {
                if (member is MethodDeclarationSyntax { Body: not null } method)
                {
                    if (method.Identifier.ValueText == "ConfigureServices" && method.ParameterList.Parameters.Count == 1)
                    {
                        configureServices = method;
                    }
                    else if (method.Identifier.ValueText == "Configure" && method.ParameterList.Parameters.Count >= 1)
                    {
                        configure = method;
                    }
                }
            }

            if (configureServices is null || configure is null)
            {
                continue;
            }

            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null)
            {
                return null;
            }

            var types = WellKnownTypes.GetOrCreate(model.Compilation);
            var servicesParameter = model.GetDeclaredSymbol(configureServices.ParameterList.Parameters[0], cancellationToken);
            var appParameter = model.GetDeclaredSymbol(configure.ParameterList.Parameters[0], cancellationToken);
            if (servicesParameter is null || appParameter is null
                || !servicesParameter.Type.IsOrInherits(types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_IServiceCollection))
                || !appParameter.Type.IsOrInherits(types.Get(WellKnownType.Microsoft_AspNetCore_Builder_IApplicationBuilder))
                || types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_OutputCacheServiceCollectionExtensions) is not { } addType
                || types.Get(WellKnownType.Microsoft_AspNetCore_Builder_OutputCacheApplicationBuilderExtensions) is not { } useType)
            {
                continue;
            }

            var generator = SyntaxGenerator.GetGenerator(document);
            var newConfigureServices = configureServices;
            if (needsAdd)
            {
                var add = AddStatement(generator, addType, SyntaxFactory.IdentifierName(servicesParameter.Name), NewLineOf(unit));
                newConfigureServices = configureServices.WithBody(configureServices.Body!.AddStatements(add));
            }

            var newConfigure = configure;
            if (needsUse)
            {
                var body = configure.Body!;
                var statements = new List<StatementSyntax>(body.Statements);
                var insertAt = UseInsertionIndex(statements, 0, appParameter.Name);
                var use = UseStatement(generator, useType, SyntaxFactory.IdentifierName(appParameter.Name), NewLineOf(unit));
                newConfigure = configure.WithBody(body.WithStatements(Insert(body.Statements, insertAt, use, takeTrivia: insertAt < body.Statements.Count)));
            }

            var newType = type.ReplaceNodes(new SyntaxNode[] { configureServices, configure }, (old, _) => old == configureServices ? newConfigureServices : newConfigure);
            return document.WithSyntaxRoot(unit.ReplaceNode(type, newType));
        }

        return null;
    }

    /// <summary>After the last <c>UseRouting</c>/<c>UseCors</c> on the app, before the first endpoint mapping or <c>Run</c> that follows.</summary>
    private static int UseInsertionIndex(List<StatementSyntax> statements, int start, string app)
    {
        var from = start;
        for (var i = start; i < statements.Count; i++)
        {
            if (CalledOnApp(statements[i], app) is { } name && EarlierCalls.Contains(name))
            {
                from = i + 1;
            }
        }

        for (var i = from; i < statements.Count; i++)
        {
            if (CalledOnApp(statements[i], app) is { } name && (LaterCalls.Contains(name) || name.StartsWith("Map", StringComparison.Ordinal)))
            {
                return i;
            }
        }

        return statements.Count;
    }

    /// <summary>The name of the first call of a statement's chain made on the app variable: <c>app.MapControllers().CacheOutput();</c> gives MapControllers.</summary>
    private static string? CalledOnApp(StatementSyntax statement, string app)
    {
        var expression = statement switch
        {
            ExpressionStatementSyntax expressionStatement => expressionStatement.Expression,
            LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } => variables[0].Initializer?.Value,
            _ => null,
        };
        if (expression is AwaitExpressionSyntax awaited)
        {
            expression = awaited.Expression;
        }

        string? name = null;
        while (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access })
        {
            name = access.Name.Identifier.ValueText;
            expression = access.Expression;
        }

        return expression is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == app ? name : null;
    }

    private static SyntaxList<TNode> Insert<TNode>(SyntaxList<TNode> list, int index, TNode node, bool takeTrivia)
        where TNode : SyntaxNode
    {
        if (!takeTrivia)
        {
            return list.Insert(index, node);
        }

        // The new statement takes the place (and the leading blank lines or comments) of the statement it precedes.
        var target = list[index];
        return list.Replace(target, target.WithLeadingTrivia()).Insert(index, node.WithLeadingTrivia(target.GetLeadingTrivia()));
    }

    private static StatementSyntax AddStatement(SyntaxGenerator generator, INamedTypeSymbol addType, ExpressionSyntax services, string newLine)
        => Statement(generator, addType, "AddOutputCache", services, newLine);

    private static StatementSyntax UseStatement(SyntaxGenerator generator, INamedTypeSymbol useType, ExpressionSyntax app, string newLine)
        => Statement(generator, useType, "UseOutputCache", app, newLine);

    /// <summary>The line ending the file already uses.</summary>
    private static string NewLineOf(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia.ToString();
            }
        }

        return "\n";
    }

    /// <summary><c>receiver.Method();</c>, written as a static call on the qualified extension class so that the import is added by annotation; the simplifier reduces it to the extension form.</summary>
    private static StatementSyntax Statement(SyntaxGenerator generator, INamedTypeSymbol extensions, string method, ExpressionSyntax receiver, string newLine)
    {
        var call = generator.InvocationExpression(generator.MemberAccessExpression(generator.TypeExpression(extensions), method), receiver)
            .WithAdditionalAnnotations(Simplifier.AddImportsAnnotation, Simplifier.Annotation);
        return ((StatementSyntax)generator.ExpressionStatement(call))
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>FixAll for PERF003: every handler of the scope once, and the registrations once per project.</summary>
    private sealed class CacheFixAllProvider : FixAllProvider
    {
        public static readonly CacheFixAllProvider Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes()
            => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            if (fixAllContext.CodeActionEquivalenceKey != CacheKey)
            {
                return Task.FromResult<CodeAction?>(null);
            }

            return Task.FromResult<CodeAction?>(CodeAction.Create(Title, cancellationToken => FixAllAsync(fixAllContext, cancellationToken), CacheKey));
        }

        private static async Task<Solution> FixAllAsync(FixAllContext context, CancellationToken cancellationToken)
        {
            var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
            switch (context.Scope)
            {
                case FixAllScope.Document when context.Document is not null:
                    diagnostics.AddRange(await context.GetDocumentDiagnosticsAsync(context.Document).ConfigureAwait(false));
                    break;
                case FixAllScope.Project:
                    diagnostics.AddRange(await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false));
                    break;
                case FixAllScope.Solution:
                    foreach (var project in context.Solution.Projects)
                    {
                        diagnostics.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                    }

                    break;
            }

            return await ApplyAsync(context.Solution, diagnostics.ToImmutable(), cancellationToken).ConfigureAwait(false);
        }
    }
}
