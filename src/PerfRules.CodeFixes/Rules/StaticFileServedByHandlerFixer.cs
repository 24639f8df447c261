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
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using PerfRules.Infrastructure;

namespace PerfRules.Rules;

/// <summary>
/// PERF001 fix "Stream the file": a file read into memory (<c>File.ReadAllBytes[Async]</c>, <c>File.OpenRead</c>,
/// <c>new FileStream</c>) and handed to <c>File(...)</c>, <c>Results.File/Bytes/Stream</c> or
/// <c>TypedResults.File/Bytes/Stream</c> becomes <c>PhysicalFile(path, contentType, enableRangeProcessing: true)</c>,
/// <c>Results.File(path, …)</c> or <c>TypedResults.PhysicalFile(path, …)</c>: the server streams the file from disk,
/// answers conditional and range requests, and sets Last-Modified. The analyzer marks the diagnostics where the
/// rewrite compiles (an absolute path, only content/content-type/download-name arguments, a result type that fits).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StaticFileServedByHandlerFixer)), Shared]
public sealed class StaticFileServedByHandlerFixer : CodeFixProvider
{
    internal const string StreamKey = "PERF001.StreamTheFile";

    internal const string StaticFilesKey = "PERF001.ServeWithStaticFileMiddleware";

    // Pipeline calls the static-file middleware must precede (PERF008's list) and the endpoint mappings.
    private static readonly HashSet<string> LaterCalls = new(System.StringComparer.Ordinal)
    {
        "UseRouting", "UseAuthentication", "UseAuthorization", "UseSession", "UseResponseCompression", "UseMiddleware", "Use",
        "UseEndpoints", "UseCors", "UseOutputCache", "UseResponseCaching", "Run", "RunAsync",
    };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.StaticFileServedByHandler);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(StaticFileServedByHandlerAnalyzer.ServeProperty, out var remove) && remove is not null
                && (await FindStartupAsync(context.Document.Project, context.CancellationToken).ConfigureAwait(false) is not null
                    || await FindStartupConfigureAsync(context.Document.Project, context.CancellationToken).ConfigureAwait(false) is not null))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        remove == "Action" ? "Serve with the static-file middleware and remove the action" : "Serve with the static-file middleware and remove the endpoint",
                        cancellationToken => ServeWithMiddlewareAsync(context.Document, diagnostic, cancellationToken),
                        StaticFilesKey),
                    diagnostic);
            }

            if (!diagnostic.Properties.TryGetValue(StaticFileServedByHandlerAnalyzer.StreamProperty, out var kind) || kind is null)
            {
                continue;
            }

            var replacement = kind switch
            {
                "Controller" => "PhysicalFile",
                "Results" => "Results.File",
                _ => "TypedResults.PhysicalFile",
            };
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Stream the file with {replacement} instead of reading it into memory",
                    cancellationToken => StreamAsync(context.Document, diagnostic.Location.SourceSpan, kind, cancellationToken),
                    StreamKey),
                diagnostic);
        }
    }

    /// <summary>The top-level statements of the project (Program.cs) and the <c>var app = builder.Build();</c> statement in them.</summary>
    private static async Task<(Document Document, GlobalStatementSyntax Build, string App)?> FindStartupAsync(Project project, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var entryPoint = compilation?.GetEntryPoint(cancellationToken);
        if (compilation is null || entryPoint is null || entryPoint.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var tree = entryPoint.DeclaringSyntaxReferences[0].SyntaxTree;
        var document = project.Solution.GetDocument(tree);
        if (document is null || await tree.GetRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax unit)
        {
            return null;
        }

        var types = WellKnownTypes.GetOrCreate(compilation);
        var model = compilation.GetSemanticModel(tree);
        foreach (var member in unit.Members)
        {
            if (member is GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } } global
                && variables[0].Initializer?.Value is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Build" } } build
                && types.IsType(model.GetTypeInfo(build, cancellationToken).Type, WellKnownType.Microsoft_AspNetCore_Builder_WebApplication))
            {
                return (document, global, variables[0].Identifier.ValueText);
            }
        }

        return null;
    }

    /// <summary>
    /// <c>Configure(IApplicationBuilder app, …)</c> of a Startup class (the convention the generic host calls), with a block
    /// body; its document and the method. Null when the project has none, or more than one.
    /// </summary>
    private static async Task<(Document Document, MethodDeclarationSyntax Configure)?> FindStartupConfigureAsync(Project project, CancellationToken cancellationToken)
    {
        (Document, MethodDeclarationSyntax)? found = null;
        foreach (var document in project.Documents)
        {
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
            {
                continue;
            }

            foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (method.Identifier.ValueText != "Configure" || method.Body is null || method.ParameterList.Parameters.Count == 0
                    || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
                    || model.GetDeclaredSymbol(method, cancellationToken) is not { IsStatic: false } symbol
                    || !WellKnownTypes.GetOrCreate(model.Compilation).IsType(symbol.Parameters[0].Type, WellKnownType.Microsoft_AspNetCore_Builder_IApplicationBuilder))
                {
                    continue;
                }

                if (found is not null)
                {
                    return null; // several candidates: not sure which one the host runs
                }

                found = (document, method);
            }
        }

        return found;
    }

    private static async Task<Solution> RegisterInStartupAsync(Solution solution, DocumentId documentId, string requestPath, string rootName, string folder, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(documentId);
        if (document is null || await FindStartupConfigureAsync(document.Project, cancellationToken).ConfigureAwait(false) is not { } startup
            || await startup.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await startup.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || model.GetDeclaredSymbol(startup.Configure, cancellationToken) is not { } symbol
            || startup.Configure.Body is not { } body)
        {
            return solution;
        }

        var types = WellKnownTypes.GetOrCreate(model.Compilation);
        var app = symbol.Parameters[0].Name;
        var method = startup.Configure;
        string? environment = null;
        foreach (var parameter in symbol.Parameters)
        {
            if (types.IsType(parameter.Type, WellKnownType.Microsoft_AspNetCore_Hosting_IWebHostEnvironment))
            {
                environment = parameter.Name;
            }
        }

        var needsEnvironment = requestPath.Length > 0 || rootName != "WebRootPath" || folder.Length > 0;
        if (needsEnvironment && environment is null)
        {
            // The host injects Configure's parameters: ask for the environment.
            environment = symbol.Parameters.Any(p => p.Name == "env") ? "webHostEnvironment" : "env";
            method = method.AddParameterListParameters(SyntaxFactory.Parameter(SyntaxFactory.Identifier(environment))
                .WithType(SyntaxFactory.ParseTypeName("global::Microsoft.AspNetCore.Hosting.IWebHostEnvironment").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation).WithTrailingTrivia(SyntaxFactory.Space)));
            body = method.Body!;
        }

        var registration = Registration(app, environment ?? app, requestPath, rootName, folder, "\n");
        var statements = body.Statements;
        var insertAt = 0;
        for (var i = 0; i < statements.Count; i++)
        {
            if (statements[i].IsEquivalentTo(registration, topLevel: false))
            {
                return solution; // already registered
            }
        }

        for (var i = 0; i < statements.Count; i++)
        {
            if (statements[i] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name: var name } } }
                && receiver.Identifier.ValueText == app
                && (LaterCalls.Contains(name.Identifier.ValueText) || name.Identifier.ValueText.StartsWith("Map", System.StringComparison.Ordinal)))
            {
                insertAt = i;
                break;
            }

            insertAt = i + 1;
        }

        var newBody = body.WithStatements(statements.Insert(insertAt, registration.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation)));
        var newMethod = method.ReplaceNode(body, newBody);
        var changed = startup.Document.WithSyntaxRoot(root.ReplaceNode(startup.Configure, newMethod));
        changed = await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return changed.Project.Solution;
    }

    private static async Task<Solution> ServeWithMiddlewareAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return solution;
        }

        var startup = await FindStartupAsync(document.Project, cancellationToken).ConfigureAwait(false);
        if (startup is null && await FindStartupConfigureAsync(document.Project, cancellationToken).ConfigureAwait(false) is null)
        {
            return solution;
        }

        var properties = diagnostic.Properties;
        var remove = properties.TryGetValue(StaticFileServedByHandlerAnalyzer.ServeProperty, out var kind) ? kind : null;
        var requestPath = properties.TryGetValue(StaticFileServedByHandlerAnalyzer.RequestPathProperty, out var path) ? path ?? string.Empty : string.Empty;
        var rootName = properties.TryGetValue(StaticFileServedByHandlerAnalyzer.RootProperty, out var rootValue) ? rootValue : null;
        var folder = properties.TryGetValue(StaticFileServedByHandlerAnalyzer.FolderProperty, out var folderValue) ? folderValue ?? string.Empty : string.Empty;
        if (rootName is not ("WebRootPath" or "ContentRootPath"))
        {
            return solution;
        }

        SyntaxNode? removed = null;
        for (var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (remove == "Action" && node is MethodDeclarationSyntax method)
            {
                removed = method;
                break;
            }

            if (remove == "Endpoint" && node is ExpressionStatementSyntax statement)
            {
                removed = statement.Parent is GlobalStatementSyntax global ? global : statement;
                break;
            }
        }

        if (removed is null)
        {
            return solution;
        }

        // 1. Remove the action or endpoint.
        var newRoot = root.RemoveNode(removed, remove == "Endpoint" ? SyntaxRemoveOptions.KeepLeadingTrivia : SyntaxRemoveOptions.KeepNoTrivia);
        if (newRoot is null)
        {
            return solution;
        }

        solution = solution.WithDocumentSyntaxRoot(document.Id, newRoot);
        if (startup is not { } program)
        {
            // 2. Register the static-file middleware in Startup.Configure.
            return await RegisterInStartupAsync(solution, document.Id, requestPath, rootName, folder, cancellationToken).ConfigureAwait(false);
        }

        // 2. Register the static-file middleware in the startup (the same document when the endpoint was in Program.cs).
        var startupDocument = solution.GetDocument(program.Document.Id);
        if (startupDocument is null || await startupDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax unit)
        {
            return solution;
        }

        var newLine = "\n";
        foreach (var trivia in program.Build.GetTrailingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                newLine = trivia.ToString();
            }
        }

        var registration = Registration(program.App, program.App + ".Environment", requestPath, rootName, folder, newLine);
        var members = unit.Members;
        var buildIndex = -1;
        var insertAt = -1;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is not GlobalStatementSyntax { Statement: var statement })
            {
                continue;
            }

            if (buildIndex < 0)
            {
                if (statement is LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } && variables[0].Identifier.ValueText == program.App
                    && variables[0].Initializer?.Value is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Build" } })
                {
                    buildIndex = i;
                }

                continue;
            }

            if (statement.IsEquivalentTo(registration, topLevel: false))
            {
                return solution; // already registered
            }

            if (insertAt < 0 && statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name: var name } } }
                && receiver.Identifier.ValueText == program.App
                && (LaterCalls.Contains(name.Identifier.ValueText) || name.Identifier.ValueText.StartsWith("Map", System.StringComparison.Ordinal)))
            {
                insertAt = i;
            }
        }

        if (buildIndex < 0)
        {
            return solution;
        }

        var inserted = SyntaxFactory.GlobalStatement(registration.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation));
        var newMembers = members;
        if (insertAt >= 0)
        {
            // The new statement takes the place (and the leading blank lines) of the first call it must precede.
            var target = members[insertAt];
            inserted = inserted.WithLeadingTrivia(target.GetLeadingTrivia());
            newMembers = newMembers.Replace(target, target.WithLeadingTrivia()).Insert(insertAt, inserted);
        }
        else
        {
            newMembers = newMembers.Insert(buildIndex + 1, inserted);
        }

        return solution.WithDocumentSyntaxRoot(startupDocument.Id, unit.WithMembers(newMembers));
    }

    private static StatementSyntax Registration(string app, string environment, string requestPath, string root, string folder, string newLine)
    {
        if (requestPath.Length == 0 && root == "WebRootPath" && folder.Length == 0)
        {
            return SyntaxFactory.ParseStatement($"{app}.UseStaticFiles();" + newLine);
        }

        var rootExpression = $"{environment}.{root}";
        if (folder.Length > 0)
        {
            var literals = new List<string> { rootExpression };
            foreach (var segment in folder.Split('/'))
            {
                literals.Add(SyntaxFactory.Literal(segment).ToString());
            }

            rootExpression = "global::System.IO.Path.Combine(" + string.Join(", ", literals) + ")";
        }

        return SyntaxFactory.ParseStatement(
            $"{app}.UseStaticFiles(new global::Microsoft.AspNetCore.Builder.StaticFileOptions{newLine}{{{newLine}"
            + $"    FileProvider = new global::Microsoft.Extensions.FileProviders.PhysicalFileProvider({rootExpression}),{newLine}"
            + $"    RequestPath = {SyntaxFactory.Literal(requestPath)},{newLine}}});{newLine}");
    }

    private static async Task<Document> StreamAsync(Document document, TextSpan span, string kind, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !root.FullSpan.Contains(span))
        {
            return document;
        }

        InvocationExpressionSyntax? call = null;
        for (var node = root.FindNode(span, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (node is InvocationExpressionSyntax candidate && candidate.Span.End == span.End)
            {
                call = candidate;
                break;
            }
        }

        if (call is null || model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation
            || ReadPath(invocation, WellKnownTypes.GetOrCreate(model.Compilation)) is not { } path)
        {
            return document;
        }

        var arguments = new List<ArgumentSyntax> { SyntaxFactory.Argument(path.WithoutTrivia()) };
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter?.Name is "contentType" or "fileDownloadName"
                && argument.Syntax is ArgumentSyntax kept)
            {
                arguments.Add(kept);
            }
        }

        arguments.Add(SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression))
            .WithNameColon(SyntaxFactory.NameColon("enableRangeProcessing")));

        var name = kind switch
        {
            "Controller" => "PhysicalFile",
            "Results" => "File",
            _ => "PhysicalFile",
        };
        ExpressionSyntax expression = call.Expression switch
        {
            MemberAccessExpressionSyntax member => member.WithName(SyntaxFactory.IdentifierName(name).WithTriviaFrom(member.Name)),
            IdentifierNameSyntax identifier => SyntaxFactory.IdentifierName(name).WithTriviaFrom(identifier),
            _ => call.Expression,
        };
        if (expression == call.Expression)
        {
            return document;
        }

        var separators = new List<SyntaxToken>();
        for (var i = 1; i < arguments.Count; i++)
        {
            separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        }

        var argumentList = call.ArgumentList.WithArguments(SyntaxFactory.SeparatedList(arguments, separators));
        var replacement = call.WithExpression(expression).WithArgumentList(argumentList);
        var action = kind == "Controller" ? call.FirstAncestorOrSelf<MethodDeclarationSyntax>() : null;
        var cacheAttribute = action is null ? null : ResponseCacheFor(model, action, cancellationToken);
        if (action is null || cacheAttribute is null)
        {
            return document.WithSyntaxRoot(root.ReplaceNode(call, replacement));
        }

        var newAction = SyntaxGenerator.GetGenerator(document).AddAttributes(action.ReplaceNode(call, replacement), cacheAttribute);
        var changed = document.WithSyntaxRoot(root.ReplaceNode(action, newAction));
        return await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Cache headers for the streamed file, as the static-file middleware would let a CDN or browser keep it: an action
    /// (and its controller) without any cache attribute gets <c>[ResponseCache(Duration = 3600)]</c>, shared caches
    /// included; behind <c>[Authorize]</c> the browser only (<c>Location = ResponseCacheLocation.Client</c>). Null when the
    /// action already says how it is cached. Minimal-API endpoints get nothing: MVC's filter does not run there.
    /// </summary>
    private static AttributeSyntax? ResponseCacheFor(SemanticModel model, MethodDeclarationSyntax action, CancellationToken cancellationToken)
    {
        var types = WellKnownTypes.GetOrCreate(model.Compilation);
        var responseCache = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ResponseCacheAttribute);
        if (responseCache is null || model.GetDeclaredSymbol(action, cancellationToken) is not { ContainingType: { } controller } method)
        {
            return null;
        }

        var outputCache = types.Get(WellKnownType.Microsoft_AspNetCore_OutputCaching_OutputCacheAttribute);
        if (method.HasAttribute(responseCache) || controller.HasAttribute(responseCache, inherited: true)
            || (outputCache is not null && (method.HasAttribute(outputCache) || controller.HasAttribute(outputCache, inherited: true))))
        {
            return null;
        }

        var authorize = types.Get(WellKnownType.Microsoft_AspNetCore_Authorization_AuthorizeAttribute);
        var anonymous = types.Get(WellKnownType.Microsoft_AspNetCore_Authorization_AllowAnonymousAttribute);
        var personal = !method.HasAttribute(anonymous) && (method.HasAttribute(authorize) || controller.HasAttribute(authorize, inherited: true));
        var text = personal
            ? "[global::Microsoft.AspNetCore.Mvc.ResponseCache(Duration = 3600, Location = global::Microsoft.AspNetCore.Mvc.ResponseCacheLocation.Client)]"
            : "[global::Microsoft.AspNetCore.Mvc.ResponseCache(Duration = 3600)]";
        var parsed = SyntaxFactory.ParseCompilationUnit(text + " class C { }").Members.OfType<ClassDeclarationSyntax>().FirstOrDefault()?.AttributeLists.FirstOrDefault()?.Attributes.FirstOrDefault();
        if (parsed is null)
        {
            return null;
        }

        var qualified = parsed.DescendantNodes().Where(n => n is QualifiedNameSyntax { Parent: not QualifiedNameSyntax } || n is MemberAccessExpressionSyntax { Parent: not MemberAccessExpressionSyntax });
        return parsed.ReplaceNodes(qualified, (_, n) => n.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>The path expression of the read written as the content argument: <c>File.ReadAllBytes(path)</c>, <c>await File.ReadAllBytesAsync(path)</c>, <c>File.OpenRead(path)</c>, <c>new FileStream(path, …)</c>.</summary>
    private static ExpressionSyntax? ReadPath(IInvocationOperation invocation, WellKnownTypes types)
    {
        IArgumentOperation? content = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                content = argument;
            }
        }

        var value = content?.Value;
        while (value is IConversionOperation or IParenthesizedOperation or IAwaitOperation)
        {
            value = value switch
            {
                IConversionOperation conversion => conversion.Operand,
                IParenthesizedOperation parenthesized => parenthesized.Operand,
                IAwaitOperation awaited => awaited.Operation,
                _ => value,
            };
        }

        var readArguments = value switch
        {
            IInvocationOperation read when types.IsType(read.TargetMethod.ContainingType, WellKnownType.System_IO_File) => read.Arguments,
            IObjectCreationOperation creation when types.IsType(creation.Type, WellKnownType.System_IO_FileStream) => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };
        foreach (var argument in readArguments)
        {
            if (argument.Parameter?.Ordinal == 0 && argument.Syntax is ArgumentSyntax { Expression: { } path })
            {
                return path;
            }
        }

        return null;
    }
}
