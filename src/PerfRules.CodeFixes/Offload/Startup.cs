using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using PerfRules.Infrastructure;

namespace PerfRules.Offload;

/// <summary>
/// The place where the app registers its services: right after <c>var builder = WebApplication.Create*Builder(…)</c>
/// (top-level statements or any method, so before <c>builder.Build()</c>), or the start of
/// <c>Startup.ConfigureServices(IServiceCollection)</c>.
/// </summary>
internal sealed class Startup
{
    private Startup(DocumentId document, SyntaxNode anchor, string services, bool insertAfter)
    {
        Document = document;
        Anchor = anchor;
        Services = services;
        InsertAfter = insertAfter;
    }

    public DocumentId Document { get; }

    /// <summary>The builder's declaration statement, or the ConfigureServices body.</summary>
    public SyntaxNode Anchor { get; }

    /// <summary>The expression of the service collection: <c>builder.Services</c> or the parameter's name.</summary>
    public string Services { get; }

    public bool InsertAfter { get; }

    public static async Task<Startup?> FindAsync(Project project, CancellationToken cancellationToken)
    {
        foreach (var document in project.Documents)
        {
            if (await FindInAsync(document, cancellationToken).ConfigureAwait(false) is { } startup)
            {
                return startup;
            }
        }

        return null;
    }

    private static async Task<Startup?> FindInAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || !root.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText is "CreateBuilder" or "CreateSlimBuilder" or "CreateEmptyBuilder" or "IServiceCollection"))
        {
            return null;
        }

        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return null;
        }

        var types = WellKnownTypes.GetOrCreate(model.Compilation);
        var webApplication = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_WebApplication);
        var serviceCollection = types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_IServiceCollection);
        foreach (var declaration in root.DescendantNodes().OfType<LocalDeclarationStatementSyntax>())
        {
            if (declaration.Declaration.Variables.Count == 1
                && declaration.Parent is BlockSyntax or GlobalStatementSyntax
                && declaration.Declaration.Variables[0].Initializer?.Value is InvocationExpressionSyntax invocation
                && model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: "CreateBuilder" or "CreateSlimBuilder" or "CreateEmptyBuilder" } method
                && webApplication is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, webApplication))
            {
                return new Startup(document.Id, declaration, declaration.Declaration.Variables[0].Identifier.ValueText + ".Services", insertAfter: true);
            }
        }

        foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (method.Identifier.ValueText == "ConfigureServices" && method.Body is not null && method.ParameterList.Parameters.Count == 1
                && model.GetDeclaredSymbol(method, cancellationToken) is { } symbol && serviceCollection is not null
                && SymbolEqualityComparer.Default.Equals(symbol.Parameters[0].Type, serviceCollection))
            {
                return new Startup(document.Id, method.Body, symbol.Parameters[0].Name, insertAfter: false);
            }
        }

        return null;
    }

    /// <summary>Adds <c>AddSingleton&lt;IBackgroundWorkQueue, BackgroundWorkQueue&gt;()</c> and <c>AddHostedService&lt;QueuedWorkService&gt;()</c>.</summary>
    public static async Task<Document?> RegisterAsync(Document document, string? ns, OffloadSymbols symbols, CancellationToken cancellationToken)
    {
        var startup = await FindInAsync(document, cancellationToken).ConfigureAwait(false);
        if (startup is null || symbols.ServiceCollectionExtensions is null || symbols.HostedServiceExtensions is null)
        {
            return null;
        }

        string Qualified(string name) => ns is null ? "global::" + name : "global::" + ns + "." + name;
        var singleton = Registration(startup.Services, "AddSingleton", symbols.ServiceCollectionExtensions, Qualified(BackgroundQueueSource.InterfaceName), Qualified(BackgroundQueueSource.QueueName));
        var hosted = Registration(startup.Services, "AddHostedService", symbols.HostedServiceExtensions, Qualified(BackgroundQueueSource.ServiceName));
        return await InsertAsync(document, startup, new[] { singleton, hosted }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds <c>AddQuartz()</c> and <c>AddQuartzHostedService(options =&gt; options.WaitForJobsToComplete = true)</c> (so that
    /// running jobs finish on graceful shutdown), each only when the project does not call it yet.
    /// </summary>
    public static async Task<Document?> RegisterQuartzAsync(Document document, bool addQuartz, bool addHostedService, OffloadSymbols symbols, CancellationToken cancellationToken)
    {
        var startup = await FindInAsync(document, cancellationToken).ConfigureAwait(false);
        if (startup is null || symbols.QuartzServiceCollectionExtensions is not { } extensions)
        {
            return null;
        }

        var statements = new List<StatementSyntax>();
        if (addQuartz)
        {
            statements.Add(Call(startup.Services, "AddQuartz", extensions));
        }

        if (addHostedService)
        {
            statements.Add(Call(startup.Services, "AddQuartzHostedService", extensions, SyntaxFactory.ParseExpression("options => options.WaitForJobsToComplete = true")));
        }

        return statements.Count == 0 ? document : await InsertAsync(document, startup, statements, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the project calls <c>AddQuartz</c> and <c>AddQuartzHostedService</c> (any overload), and configures a persistent job store.</summary>
    public static async Task<(bool AddsQuartz, bool AddsHostedService, bool UsesPersistentStore)> FindQuartzRegistrationAsync(Project project, OffloadSymbols symbols, CancellationToken cancellationToken)
    {
        bool addsQuartz = false, addsHosted = false, persistent = false;
        foreach (var document in project.Documents)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var calls = root?.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Where(i => NameOf(i.Expression) is "AddQuartz" or "AddQuartzHostedService" or "UsePersistentStore")
                .ToList();
            if (calls is null || calls.Count == 0 || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
            {
                continue;
            }

            foreach (var call in calls)
            {
                if (model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol method)
                {
                    continue;
                }

                var container = (method.ReducedFrom ?? method).ContainingType;
                switch (method.Name)
                {
                    case "AddQuartz" when symbols.Is(container, symbols.QuartzServiceCollectionExtensions):
                        addsQuartz = true;
                        break;
                    case "AddQuartzHostedService" when symbols.Is(container, symbols.QuartzServiceCollectionExtensions) || symbols.Is(container, symbols.QuartzHostApplicationBuilderExtensions):
                        addsHosted = true;
                        break;
                    case "UsePersistentStore" when symbols.Is(container, symbols.QuartzBuilder):
                        persistent = true;
                        break;
                }
            }
        }

        return (addsQuartz, addsHosted, persistent);
    }

    private static string? NameOf(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };

    private static async Task<Document?> InsertAsync(Document document, Startup startup, IReadOnlyList<StatementSyntax> statements, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        switch (startup.Anchor)
        {
            case LocalDeclarationStatementSyntax { Parent: GlobalStatementSyntax global }:
                // Top-level statements: written with the builder line's own line ending (the formatter would separate them by blank lines).
                var endOfLine = global.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } eol ? eol : SyntaxFactory.EndOfLine("\n");
                editor.InsertAfter(global, statements.Select(s => SyntaxFactory.GlobalStatement(s.WithoutAnnotations(Formatter.Annotation).NormalizeWhitespace().WithTrailingTrivia(endOfLine))));
                break;
            case LocalDeclarationStatementSyntax declaration:
                editor.InsertAfter(declaration, statements);
                break;
            case BlockSyntax body:
                editor.ReplaceNode(body, (node, _) => ((BlockSyntax)node).WithStatements(((BlockSyntax)node).Statements.InsertRange(0, statements)));
                break;
            default:
                return null;
        }

        return editor.GetChangedDocument();
    }

    private static StatementSyntax Call(string services, string method, INamedTypeSymbol extensions, params ExpressionSyntax[] arguments)
    {
        var call = PerfRules.Rules.OffloadToBackgroundQueueFixer.ExtensionCall(extensions, method, SyntaxFactory.ParseExpression(services), System.Array.Empty<TypeSyntax>(), arguments);
        return SyntaxFactory.ExpressionStatement(call).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static StatementSyntax Registration(string services, string method, INamedTypeSymbol extensions, params string[] typeArguments)
    {
        var call = PerfRules.Rules.OffloadToBackgroundQueueFixer.ExtensionCall(
            extensions,
            method,
            SyntaxFactory.ParseExpression(services),
            typeArguments.Select(t => (TypeSyntax)SyntaxFactory.ParseTypeName(t).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation)).ToArray());
        return SyntaxFactory.ExpressionStatement(call).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
