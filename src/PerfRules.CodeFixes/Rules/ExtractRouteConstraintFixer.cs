using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace PerfRules.Rules;

/// <summary>
/// PERF005 fix "Extract to a named route constraint": generates an <c>IRouteConstraint</c> class backed by a
/// <c>[GeneratedRegex]</c> (or a static compiled <c>Regex</c> where the framework has no generator) with the
/// options ASP.NET Core's regex constraint uses, registers it in the app's <c>RouteOptions</c> constraint map,
/// and replaces the regex with the constraint's name. FixAll generates one class per distinct pattern.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExtractRouteConstraintFixer)), Shared]
public sealed class ExtractRouteConstraintFixer : CodeFixProvider
{
    internal const string ExtractKey = "PERF005.ExtractNamedConstraint";

    private static readonly HashSet<string> BuiltInNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "int", "bool", "datetime", "decimal", "double", "float", "guid", "long", "minlength", "maxlength", "length",
        "min", "max", "range", "alpha", "regex", "required", "file", "nonfile",
    };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RegexRouteConstraint);

    public override FixAllProvider GetFixAllProvider() => new ExtractFixAllProvider();

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (IsExtractable(diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Extract to a named route constraint",
                        cancellationToken => ExtractAsync(context.Document.Project.Solution, context.Document.Project.Id, new[] { (context.Document.Id, diagnostic) }, cancellationToken),
                        ExtractKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsExtractable(Diagnostic diagnostic)
    {
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(RegexRouteConstraintAnalyzer.VerdictProperty, out var verdict)
            || verdict is "Invalid" or "NestedQuantifiers" or "Unanchored" or null
            || !properties.TryGetValue(RegexRouteConstraintAnalyzer.ExactProperty, out var exact) || exact != "true"
            || !diagnostic.Location.IsInSource)
        {
            return false;
        }

        // Where a built-in constraint accepts the same values (fix 1), it is the fix: no class is generated. This also makes
        // dotnet format, which applies one fix per diagnostic, apply the built-in constraint.
        if (properties.TryGetValue(RegexRouteConstraintAnalyzer.BuiltInProperty, out var builtIn) && builtIn is { Length: > 0 })
        {
            return false;
        }

        return properties.TryGetValue(RegexRouteConstraintAnalyzer.PatternProperty, out var pattern) && pattern is not null;
    }

    internal static async Task<Solution> ExtractAsync(Solution solution, ProjectId projectId, IReadOnlyList<(DocumentId Document, Diagnostic Diagnostic)> diagnostics, CancellationToken cancellationToken)
    {
        var project = solution.GetProject(projectId);
        if (project is null || await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation)
        {
            return solution;
        }

        var useGenerator = PerfRules.Infrastructure.WellKnownTypes.GetOrCreate(compilation).Get(PerfRules.Infrastructure.WellKnownType.System_Text_RegularExpressions_GeneratedRegexAttribute) is not null
            && project.ParseOptions is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp11 };
        var ns = string.IsNullOrWhiteSpace(project.DefaultNamespace) ? null : project.DefaultNamespace;

        // One constraint class per distinct effective pattern (dictionary strings are anchored by ASP.NET Core).
        var constraints = new Dictionary<string, Extracted>(StringComparer.Ordinal);
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        var edits = new List<(DocumentId Document, Diagnostic Diagnostic, Extracted Constraint)>();
        foreach (var (documentId, diagnostic) in diagnostics)
        {
            if (!IsExtractable(diagnostic))
            {
                continue;
            }

            var pattern = diagnostic.Properties[RegexRouteConstraintAnalyzer.PatternProperty]!;
            var site = diagnostic.Properties.TryGetValue(RegexRouteConstraintAnalyzer.SiteProperty, out var s) ? s : null;
            var effective = site == RegexRouteConstraintAnalyzer.DictionarySite ? "^(" + pattern + ")$" : pattern;
            if (!constraints.TryGetValue(effective, out var extracted))
            {
                diagnostic.Properties.TryGetValue(RegexRouteConstraintAnalyzer.ParameterProperty, out var parameter);
                extracted = await FindExistingAsync(project, effective, cancellationToken).ConfigureAwait(false);
                if (extracted is null)
                {
                    var (className, key) = ChooseNames(parameter, compilation, usedNames);
                    extracted = new Extracted(effective, className, key, ns);
                }

                constraints.Add(effective, extracted);
            }

            extracted.NeedsRegistration |= site == RegexRouteConstraintAnalyzer.InlineSite;
            edits.Add((documentId, diagnostic, extracted));
        }

        if (edits.Count == 0)
        {
            return solution;
        }

        var original = solution;
        foreach (var group in edits.GroupBy(e => e.Document))
        {
            var document = solution.GetDocument(group.Key);
            if (document is null)
            {
                continue;
            }

            solution = await ReplaceUsesAsync(document, group.Select(g => (g.Diagnostic, g.Constraint)).ToList(), cancellationToken).ConfigureAwait(false);
        }

        // Registration after the uses (their spans are the analyzer's); without a place to register, nothing is changed.
        var registrations = constraints.Values.Where(c => c.NeedsRegistration && !c.Exists).ToList();
        var hosts = new List<DocumentId>();
        if (registrations.Count > 0)
        {
            var registered = await RegisterAsync(solution, solution.GetProject(projectId) ?? project, registrations, cancellationToken).ConfigureAwait(false);
            if (registered is not { } done)
            {
                return original;
            }

            solution = done.Solution;
            hosts.Add(done.Document);
        }

        // The classes go into a document the fix already edits (the registration's, else a use's): a new document is
        // written by dotnet format's MSBuildWorkspace into an SDK-style project file as a <Compile> item, which the
        // SDK's default glob already includes (NETSDK1022). Editors can move the type to its own file in one step.
        hosts.AddRange(edits.Select(e => e.Document).Distinct());
        foreach (var constraint in constraints.Values)
        {
            if (constraint.Exists)
            {
                continue;
            }

            solution = await AddClassAsync(solution, projectId, hosts, constraint, useGenerator, cancellationToken).ConfigureAwait(false);
        }

        return solution;
    }

    private static async Task<Solution> AddClassAsync(Solution solution, ProjectId projectId, IReadOnlyList<DocumentId> hosts, Extracted constraint, bool useGenerator, CancellationToken cancellationToken)
    {
        foreach (var host in hosts)
        {
            var document = solution.GetDocument(host);
            if (document is null
                || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root
                || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
            {
                continue;
            }

            var annotations = model.GetNullableContext(root.EndOfFileToken.SpanStart).AnnotationsEnabled();
            var declaration = GenerateDeclaration(constraint, useGenerator, annotations);
            if (!root.GetLastToken().TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia))
            {
                declaration = declaration.WithLeadingTrivia(declaration.GetLeadingTrivia().Insert(0, SyntaxFactory.EndOfLine("\n")));
            }

            CompilationUnitSyntax? newRoot = null;
            var fileScoped = root.Members.OfType<FileScopedNamespaceDeclarationSyntax>().FirstOrDefault();
            if (fileScoped is not null)
            {
                // Members of a file-scoped namespace can only join that namespace: a host in another namespace is skipped.
                if (fileScoped.Name.ToString() == constraint.Namespace)
                {
                    newRoot = root.ReplaceNode(fileScoped, fileScoped.AddMembers(declaration));
                }
            }
            else if (constraint.Namespace is null)
            {
                newRoot = root.AddMembers(declaration);
            }
            else if (root.Members.OfType<NamespaceDeclarationSyntax>().LastOrDefault(n => n.Name.ToString() == constraint.Namespace) is { } block)
            {
                newRoot = root.ReplaceNode(block, block.AddMembers(declaration));
            }
            else
            {
                // After top-level statements and other declarations: a namespace declaration may follow them.
                newRoot = root.AddMembers(SyntaxFactory.NamespaceDeclaration(SyntaxFactory.ParseName(constraint.Namespace))
                    .AddMembers(declaration)
                    .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation));
            }

            if (newRoot is not null)
            {
                var withClass = document.WithSyntaxRoot(newRoot);
                withClass = await ImportAdder.AddImportsAsync(withClass, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
                return withClass.Project.Solution;
            }
        }

        // No document can host the class (every candidate is in another file-scoped namespace): a file of its own.
        return solution.AddDocument(DocumentId.CreateNewId(projectId), constraint.ClassName + ".cs", SourceText.From(GenerateClass(constraint, useGenerator), Encoding.UTF8));
    }

    private static (string ClassName, string Key) ChooseNames(string? parameter, Compilation compilation, HashSet<string> used)
    {
        var stem = new StringBuilder();
        var upper = true;
        foreach (var c in parameter ?? "Custom")
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            stem.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (stem.Length == 0 || !char.IsLetter(stem[0]))
        {
            stem.Insert(0, "Route");
        }

        var baseName = stem.ToString();
        for (var attempt = 1; ; attempt++)
        {
            var name = attempt == 1 ? baseName : baseName + attempt.ToString(CultureInfo.InvariantCulture);
            var className = name + "RouteConstraint";
            var key = char.ToLowerInvariant(name[0]) + name.Substring(1);
            if (BuiltInNames.Contains(key))
            {
                key += "Value";
            }

            if (used.Contains(className) || compilation.GetSymbolsWithName(className, SymbolFilter.Type).Any())
            {
                continue;
            }

            used.Add(className);
            return (className, key);
        }
    }

    private static async Task<Solution> ReplaceUsesAsync(Document document, IReadOnlyList<(Diagnostic Diagnostic, Extracted Constraint)> uses, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document.Project.Solution;
        }

        var changes = new List<TextChange>();
        var seen = new HashSet<TextSpan>();
        foreach (var (diagnostic, constraint) in uses)
        {
            var span = diagnostic.Location.SourceSpan;
            var site = diagnostic.Properties[RegexRouteConstraintAnalyzer.SiteProperty];
            if (site == RegexRouteConstraintAnalyzer.InlineSite)
            {
                if (seen.Add(span))
                {
                    changes.Add(new TextChange(span, constraint.Key));
                }

                continue;
            }

            // Dictionary string or RegexRouteConstraint object: the whole expression becomes "new XRouteConstraint()".
            var node = root.FindNode(span, getInnermostNodeForTie: true);
            var expression = site == RegexRouteConstraintAnalyzer.ConstraintObjectSite
                ? node.FirstAncestorOrSelf<ObjectCreationExpressionSyntax>() as ExpressionSyntax
                : node.FirstAncestorOrSelf<LiteralExpressionSyntax>();
            if (expression is not null && seen.Add(expression.Span))
            {
                changes.Add(new TextChange(expression.Span, "new " + constraint.QualifiedName + "()"));
            }
        }

        var changed = document.WithText(text.WithChanges(changes));
        return (await AnnotateQualifiedNamesAsync(changed, uses.Select(u => u.Constraint.QualifiedName), cancellationToken).ConfigureAwait(false)).Project.Solution;
    }

    // Generated references are fully qualified; the simplifier shortens them where the namespace is in scope.
    private static async Task<Document> AnnotateQualifiedNamesAsync(Document document, IEnumerable<string> qualifiedNames, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(qualifiedNames, StringComparer.Ordinal);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var targets = root.DescendantNodes().OfType<TypeSyntax>().Where(t => t is QualifiedNameSyntax or AliasQualifiedNameSyntax && names.Contains(t.ToString())).ToList();
        return targets.Count == 0
            ? document
            : document.WithSyntaxRoot(root.ReplaceNodes(targets, (_, t) => t.WithAdditionalAnnotations(Simplifier.Annotation)));
    }

    /// <summary>
    /// Adds <c>builder.Services.Configure&lt;RouteOptions&gt;(…)</c> after the <c>WebApplication.Create*Builder</c> local in
    /// top-level statements or <c>Main</c>, or at the start of <c>Startup.ConfigureServices(IServiceCollection)</c>.
    /// Null when the project has no such place.
    /// </summary>
    private static async Task<(Solution Solution, DocumentId Document)?> RegisterAsync(Solution solution, Project project, IReadOnlyList<Extracted> constraints, CancellationToken cancellationToken)
    {
        foreach (var document in project.Documents)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || !(root.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText is "CreateBuilder" or "CreateSlimBuilder" or "CreateEmptyBuilder" or "ConfigureServices")))
            {
                continue;
            }

            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null)
            {
                continue;
            }

            foreach (var declaration in root.DescendantNodes().OfType<LocalDeclarationStatementSyntax>())
            {
                if (declaration.Declaration.Variables.Count != 1
                    || declaration.Declaration.Variables[0].Initializer?.Value is not InvocationExpressionSyntax invocation
                    || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { Name: "CreateBuilder" or "CreateSlimBuilder" or "CreateEmptyBuilder" } method
                    || method.ContainingType?.ToDisplayString() != "Microsoft.AspNetCore.Builder.WebApplication")
                {
                    continue;
                }

                var services = declaration.Declaration.Variables[0].Identifier.ValueText + ".Services";
                var statement = RegistrationStatement(services, constraints);
                if (!Binds(model, declaration.Span.End, services))
                {
                    return null;
                }

                var newRoot = InsertAfter(root, declaration, statement);
                return (await AnnotateAsync(solution.WithDocumentSyntaxRoot(document.Id, newRoot), document.Id, constraints, cancellationToken).ConfigureAwait(false), document.Id);
            }

            foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (method.Identifier.ValueText != "ConfigureServices" || method.Body is null || method.ParameterList.Parameters.Count != 1
                    || model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
                    || symbol.Parameters[0].Type.ToDisplayString() != "Microsoft.Extensions.DependencyInjection.IServiceCollection")
                {
                    continue;
                }

                var statement = RegistrationStatement(symbol.Parameters[0].Name, constraints);
                if (!Binds(model, method.Body.OpenBraceToken.Span.End, symbol.Parameters[0].Name))
                {
                    return null;
                }

                var newBody = method.Body.WithStatements(method.Body.Statements.Insert(0, statement.WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation)));
                var newRoot = root.ReplaceNode(method.Body, newBody);
                return (await AnnotateAsync(solution.WithDocumentSyntaxRoot(document.Id, newRoot), document.Id, constraints, cancellationToken).ConfigureAwait(false), document.Id);
            }
        }

        return null;
    }

    private static async Task<Solution> AnnotateAsync(Solution solution, DocumentId documentId, IReadOnlyList<Extracted> constraints, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(documentId);
        if (document is null)
        {
            return solution;
        }

        var names = constraints.Select(c => c.QualifiedName).Append("global::Microsoft.AspNetCore.Routing.RouteOptions");
        return (await AnnotateQualifiedNamesAsync(document, names, cancellationToken).ConfigureAwait(false)).Project.Solution;
    }

    private static SyntaxNode InsertAfter(SyntaxNode root, LocalDeclarationStatementSyntax declaration, StatementSyntax statement)
    {
        statement = statement.WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
        if (declaration.Parent is GlobalStatementSyntax global)
        {
            return root.InsertNodesAfter(global, new[] { SyntaxFactory.GlobalStatement(statement).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation) });
        }

        return root.InsertNodesAfter(declaration, new[] { statement });
    }

    private static StatementSyntax RegistrationStatement(string services, IReadOnlyList<Extracted> constraints)
    {
        var body = new StringBuilder();
        if (constraints.Count == 1)
        {
            body.Append("options => options.ConstraintMap[\"").Append(constraints[0].Key).Append("\"] = typeof(").Append(constraints[0].QualifiedName).Append(')');
        }
        else
        {
            body.Append("options =>\n{\n");
            foreach (var constraint in constraints)
            {
                body.Append("    options.ConstraintMap[\"").Append(constraint.Key).Append("\"] = typeof(").Append(constraint.QualifiedName).Append(");\n");
            }

            body.Append('}');
        }

        return SyntaxFactory.ParseStatement($"{services}.Configure<global::Microsoft.AspNetCore.Routing.RouteOptions>({body});\n");
    }

    // The registration uses the Configure<TOptions> extension: only offered where it binds (Microsoft.Extensions.DependencyInjection in scope).
    private static bool Binds(SemanticModel model, int position, string services)
    {
        // the generated constraint type does not exist yet: check the call shape with a type that does
        var statement = SyntaxFactory.ParseStatement($"{services}.Configure<global::Microsoft.AspNetCore.Routing.RouteOptions>(options => options.ConstraintMap[\"x\"] = typeof(object));");
        if (!model.TryGetSpeculativeSemanticModel(position, statement, out var speculative)
            || statement is not ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation })
        {
            return false;
        }

        return speculative.GetSymbolInfo(invocation).Symbol is IMethodSymbol { Name: "Configure" };
    }

    /// <summary>
    /// The constraint class for an existing document: framework names fully qualified and annotated, so the simplifier
    /// shortens them and adds the usings the host lacks; nullable annotations only where the host's context enables them.
    /// </summary>
    private static MemberDeclarationSyntax GenerateDeclaration(Extracted constraint, bool useGenerator, bool nullableAnnotations)
    {
        var literal = SymbolDisplay.FormatLiteral(constraint.Pattern, quote: true);
        var maybe = nullableAnnotations ? "?" : string.Empty;
        var builder = new StringBuilder();
        builder.Append("/// <summary>\n");
        builder.Append("/// Route constraint '").Append(constraint.Key).Append("': the value matches ").Append(literal.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")).Append(",\n");
        builder.Append("/// case-insensitively and culture-invariantly, as ASP.NET Core's regex constraint matched it.\n");
        builder.Append("/// </summary>\n");
        builder.Append("public sealed ").Append(useGenerator ? "partial " : string.Empty).Append("class ").Append(constraint.ClassName).Append(" : global::Microsoft.AspNetCore.Routing.IRouteConstraint\n{\n");
        if (useGenerator)
        {
            builder.Append("    [global::System.Text.RegularExpressions.GeneratedRegex(").Append(literal).Append(", global::System.Text.RegularExpressions.RegexOptions.IgnoreCase | global::System.Text.RegularExpressions.RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 10000)]\n");
            builder.Append("    private static partial global::System.Text.RegularExpressions.Regex Pattern();\n\n");
        }
        else
        {
            builder.Append("    private static readonly global::System.Text.RegularExpressions.Regex Regex = new global::System.Text.RegularExpressions.Regex(").Append(literal).Append(", global::System.Text.RegularExpressions.RegexOptions.IgnoreCase | global::System.Text.RegularExpressions.RegexOptions.CultureInvariant | global::System.Text.RegularExpressions.RegexOptions.Compiled, global::System.TimeSpan.FromSeconds(10));\n\n");
            builder.Append("    private static global::System.Text.RegularExpressions.Regex Pattern() => Regex;\n\n");
        }

        builder.Append("    public bool Match(global::Microsoft.AspNetCore.Http.HttpContext").Append(maybe).Append(" httpContext, global::Microsoft.AspNetCore.Routing.IRouter").Append(maybe)
            .Append(" route, string routeKey, global::Microsoft.AspNetCore.Routing.RouteValueDictionary values, global::Microsoft.AspNetCore.Routing.RouteDirection routeDirection)\n");
        builder.Append("    {\n");
        builder.Append("        return values.TryGetValue(routeKey, out var value)\n");
        builder.Append("            && value is not null\n");
        builder.Append("            && Pattern().IsMatch(global::System.Convert.ToString(value, global::System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);\n");
        builder.Append("    }\n}\n");
        var declaration = SyntaxFactory.ParseMemberDeclaration(builder.ToString());
        if (declaration is null)
        {
            return SyntaxFactory.ClassDeclaration(constraint.ClassName);
        }

        var qualified = declaration.DescendantNodes().Where(n => n is AliasQualifiedNameSyntax || (n is QualifiedNameSyntax && n.Parent is not QualifiedNameSyntax) || (n is MemberAccessExpressionSyntax m && m.Expression is AliasQualifiedNameSyntax or MemberAccessExpressionSyntax && n.Parent is not MemberAccessExpressionSyntax));
        var annotated = declaration.ReplaceNodes(qualified, (_, n) => n.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation));
        return annotated
            .WithLeadingTrivia(annotated.GetLeadingTrivia().Insert(0, SyntaxFactory.EndOfLine("\n")))
            .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
    }

    private static string GenerateClass(Extracted constraint, bool useGenerator)
    {
        var literal = SymbolDisplay.FormatLiteral(constraint.Pattern, quote: true);
        var builder = new StringBuilder();
        builder.Append("#nullable enable\n");
        builder.Append("using System;\nusing System.Globalization;\nusing System.Text.RegularExpressions;\nusing Microsoft.AspNetCore.Http;\nusing Microsoft.AspNetCore.Routing;\n\n");
        if (constraint.Namespace is not null)
        {
            builder.Append("namespace ").Append(constraint.Namespace).Append(";\n\n");
        }

        builder.Append("/// <summary>\n");
        builder.Append("/// Route constraint '").Append(constraint.Key).Append("': the value matches ").Append(literal.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")).Append(",\n");
        builder.Append("/// case-insensitively and culture-invariantly, as ASP.NET Core's regex constraint matched it.\n");
        builder.Append("/// </summary>\n");
        builder.Append("public sealed ").Append(useGenerator ? "partial " : string.Empty).Append("class ").Append(constraint.ClassName).Append(" : IRouteConstraint\n{\n");
        if (useGenerator)
        {
            builder.Append("    [GeneratedRegex(").Append(literal).Append(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 10000)]\n");
            builder.Append("    private static partial Regex Pattern();\n\n");
        }
        else
        {
            builder.Append("    private static readonly Regex Regex = new Regex(").Append(literal).Append(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(10));\n\n");
            builder.Append("    private static Regex Pattern() => Regex;\n\n");
        }

        builder.Append("    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)\n");
        builder.Append("    {\n");
        builder.Append("        return values.TryGetValue(routeKey, out var value)\n");
        builder.Append("            && value is not null\n");
        builder.Append("            && Pattern().IsMatch(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);\n");
        builder.Append("    }\n}\n");
        return builder.ToString();
    }

    private sealed class Extracted(string pattern, string className, string key, string? ns)
    {
        public string Pattern { get; } = pattern;

        public string ClassName { get; } = className;

        public string Key { get; } = key;

        public string? Namespace { get; } = ns;

        public string QualifiedName => Namespace is null ? "global::" + ClassName : "global::" + Namespace + "." + ClassName;

        public bool NeedsRegistration { get; set; }

        /// <summary>Generated and registered by an earlier fix: only the uses are replaced.</summary>
        public bool Exists { get; set; }
    }

    // A constraint class this fix generated before for the same pattern, in any document of the project.
    private static async Task<Extracted?> FindExistingAsync(Project project, string pattern, CancellationToken cancellationToken)
    {
        foreach (var document in project.Documents)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            foreach (var type in root?.DescendantNodes().OfType<ClassDeclarationSyntax>() ?? Enumerable.Empty<ClassDeclarationSyntax>())
            {
                // The classes this fix generates implement IRouteConstraint and live in any document of the project.
                if (type.BaseList?.Types.Any(t => t.Type.ToString().EndsWith("IRouteConstraint", StringComparison.Ordinal)) != true)
                {
                    continue;
                }

                var attribute = type.DescendantNodes().OfType<AttributeSyntax>().FirstOrDefault(a => LastName(a.Name) is "GeneratedRegex" or "GeneratedRegexAttribute");
                var creation = type.DescendantNodes().OfType<ObjectCreationExpressionSyntax>().FirstOrDefault(o => LastName(o.Type) is "Regex");
                var first = attribute?.ArgumentList?.Arguments.FirstOrDefault()?.Expression ?? creation?.ArgumentList?.Arguments.FirstOrDefault()?.Expression;
                if (first is not LiteralExpressionSyntax existing || existing.Token.ValueText != pattern)
                {
                    continue;
                }

                var ns = type.FirstAncestorOrSelf<BaseNamespaceDeclarationSyntax>()?.Name.ToString();
                var className = type.Identifier.ValueText;
                var stem = className.EndsWith("RouteConstraint", StringComparison.Ordinal) ? className.Substring(0, className.Length - "RouteConstraint".Length) : className;
                var key = stem.Length == 0 ? className : char.ToLowerInvariant(stem[0]) + stem.Substring(1);
                if (BuiltInNames.Contains(key))
                {
                    key += "Value";
                }

                return new Extracted(pattern, className, key, ns) { Exists = true };
            }
        }

        return null;
    }

    private static string LastName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => string.Empty,
    };

    /// <summary>Fixes every extractable PERF005 diagnostic of the scope with one class per distinct pattern and project.</summary>
    private sealed class ExtractFixAllProvider : FixAllProvider
    {
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes()
            => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            if (fixAllContext.CodeActionEquivalenceKey != ExtractKey)
            {
                return Task.FromResult<CodeAction?>(null);
            }

            return Task.FromResult<CodeAction?>(CodeAction.Create(
                "Extract regex route constraints to named constraints",
                cancellationToken => FixAllAsync(fixAllContext, cancellationToken),
                ExtractKey));
        }

        private static async Task<Solution> FixAllAsync(FixAllContext context, CancellationToken cancellationToken)
        {
            var solution = context.Solution;
            var projects = context.Scope == FixAllScope.Solution ? solution.Projects.ToList() : new List<Project> { context.Project };
            foreach (var project in projects)
            {
                var documents = context.Scope == FixAllScope.Document && context.Document is { } only
                    ? new[] { only }
                    : project.Documents.ToArray();
                var diagnostics = new List<(DocumentId, Diagnostic)>();
                foreach (var document in documents)
                {
                    foreach (var diagnostic in await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false))
                    {
                        diagnostics.Add((document.Id, diagnostic));
                    }
                }

                solution = await ExtractAsync(solution, project.Id, diagnostics, cancellationToken).ConfigureAwait(false);
            }

            return solution;
        }
    }
}
