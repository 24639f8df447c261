using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;
using PerfRules.Notions;
using PerfRules.Razor;
using PerfRules.Routing;

namespace PerfRules.Rules;

/// <summary>
/// PERF005: regex route constraints. Reads route templates only where ASP.NET Core reads them
/// (route attributes, <c>Map*</c> patterns, constraint dictionaries and objects, <c>RegexRouteConstraint</c>)
/// and reports each regex constraint with what ASP.NET Core offers instead.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RegexRouteConstraintAnalyzer : DiagnosticAnalyzer
{
    internal const string VerdictProperty = "Verdict";
    internal const string BuiltInProperty = "BuiltIn";
    internal const string PatternProperty = "Pattern";
    internal const string ParameterProperty = "Parameter";
    internal const string SiteProperty = "Site";
    internal const string ExactProperty = "Exact";

    internal const string InlineSite = "Inline";
    internal const string DictionarySite = "Dictionary";
    internal const string ConstraintObjectSite = "ConstraintObject";

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.RegexRouteConstraint,
        title: "Regex route constraint",
        messageFormat: "Route constraint '{0}' {1}",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A regex route constraint runs a regular expression on every request that reaches the route. A built-in constraint (int, guid, bool, length…) is cheaper and clearer; when none accepts the same values, a named constraint backed by a compiled or source-generated regex states the intent once. Invalid, unanchored and catastrophically backtracking patterns are reported with their own message.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.RegexRouteConstraint));

    internal static readonly DiagnosticDescriptor SlimBuilderRule = new(
        RuleIdentifiers.RegexRouteConstraint,
        title: "Regex route constraint in an app without the regex constraint",
        messageFormat: "Route constraint '{0}' fails at startup: the app is built with WebApplication.CreateSlimBuilder, which does not register the 'regex' constraint; use a built-in or named constraint, or call AddRouting()",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "CreateSlimBuilder registers routing with AddRoutingCore(), where the 'regex' inline constraint is a stub that throws when the route table is built.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.RegexRouteConstraint),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, SlimBuilderRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
        {
            var symbols = RouteSymbols.Create(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            var state = new CompilationState(symbols);
            start.RegisterSyntaxNodeAction(state.AnalyzeAttribute, SyntaxKind.Attribute);
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(state.AnalyzeObjectCreation, OperationKind.ObjectCreation);
            start.RegisterOperationAction(state.AnalyzeTypeOf, OperationKind.TypeOf);
            start.RegisterAdditionalFileAction(state.AnalyzePage);
            start.RegisterCompilationEndAction(state.ReportSlimBuilder);
        });
    }

    /// <summary>The symbols PERF005 needs, resolved once per compilation.</summary>
    private sealed class RouteSymbols
    {
        public INamedTypeSymbol? RouteTemplateProvider { get; init; }

        public INamedTypeSymbol? EndpointRouteBuilder { get; init; }

        public INamedTypeSymbol? RouteBuilder { get; init; }

        public INamedTypeSymbol? RegexRouteConstraint { get; init; }

        public INamedTypeSymbol? RegexInlineRouteConstraint { get; init; }

        public INamedTypeSymbol? RouteValueDictionary { get; init; }

        public INamedTypeSymbol? WebApplication { get; init; }

        public INamedTypeSymbol? FromRouteAttribute { get; init; }

        public RequestHandlers Handlers { get; init; } = null!;

        public static RouteSymbols? Create(Compilation compilation)
        {
            var types = WellKnownTypes.GetOrCreate(compilation);
            var provider = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_Routing_IRouteTemplateProvider);
            var endpoints = types.Get(WellKnownType.Microsoft_AspNetCore_Routing_IEndpointRouteBuilder);
            if (provider is null && endpoints is null)
            {
                return null; // no routing: nothing more is looked up
            }

            var handlers = RequestHandlers.Create(types);
            if (handlers is null)
            {
                return null;
            }

            return new RouteSymbols
            {
                Handlers = handlers,
                RouteTemplateProvider = provider,
                EndpointRouteBuilder = endpoints,
                RouteBuilder = types.Get(WellKnownType.Microsoft_AspNetCore_Routing_IRouteBuilder),
                RegexRouteConstraint = types.Get(WellKnownType.Microsoft_AspNetCore_Routing_Constraints_RegexRouteConstraint),
                RegexInlineRouteConstraint = types.Get(WellKnownType.Microsoft_AspNetCore_Routing_Constraints_RegexInlineRouteConstraint),
                RouteValueDictionary = types.Get(WellKnownType.Microsoft_AspNetCore_Routing_RouteValueDictionary),
                WebApplication = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_WebApplication),
                FromRouteAttribute = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_FromRouteAttribute),
            };
        }
    }

    private sealed class CompilationState
    {
        private readonly RouteSymbols _symbols;

        private readonly ConcurrentQueue<(Location Location, string Text)> _inlineRegexes = new();

        // Apps repeat the same few patterns across their routes, and every edit makes a new compilation of the same routes: a
        // pattern is parsed and judged once, and what a report of a constraint says (message, properties: they depend only on
        // the constraint's text, its site and its parameter, not on where it is written) is composed once, for the process.
        private static readonly BoundedCache<(string Pattern, bool ImplicitlyAnchored), RegexConstraintVerdict> Verdicts = new(1024);
        private static readonly BoundedCache<ReportKey, ReportShape> Shapes = new(1024);
        private static readonly Func<ReportKey, ReportShape> ComposeShapeOnce = ComposeShape;
        private int _usesSlimBuilder;
        private int _registersRegex;

        public CompilationState(RouteSymbols symbols)
        {
            _symbols = symbols;
        }

        public void AnalyzeAttribute(SyntaxNodeAnalysisContext context)
        {
            var attribute = (AttributeSyntax)context.Node;
            if (attribute.ArgumentList is not { Arguments.Count: > 0 } arguments
                || !MayHoldRegex(arguments)
                || ConstructorOf(attribute, context.ContainingSymbol, context.SemanticModel, out var owner, context.CancellationToken) is not { } constructor
                || !constructor.ContainingType.IsOrInherits(_symbols.RouteTemplateProvider))
            {
                return;
            }

            var templateArgument = FindArgument(arguments, constructor, "template");
            if (templateArgument is null)
            {
                return;
            }

            // A literal is read from its token; anything else (constants, concatenations) through its operation.
            var template = templateArgument.Expression is LiteralExpressionSyntax literal
                ? ConstantString.FromLiteral(literal)
                : ConstantString.From(context.SemanticModel.GetOperation(templateArgument.Expression, context.CancellationToken));
            if (template is not null)
            {
                AnalyzeTemplate(template, isAttributeRoute: true, owner as IMethodSymbol, new SyntaxNodeSink(context));
            }
        }

        // A Razor page's route: @page "{id:regex(...)}" in a .cshtml file the Razor SDK passes as an AdditionalFile. Checked
        // against ASP.NET Core 10 (a built page app): the template is the text between the quotes as written (a backslash is
        // a regex escape, not a C# one), and page routes get no [[ ]] token unescaping (read as MapGet templates are).
        public void AnalyzePage(AdditionalFileAnalysisContext context)
        {
            // AnalyzeTemplate itself returns at once for templates without "regex".
            if (RazorFiles.Read(context.AdditionalFile, context.CancellationToken) is not { Document.PageRoute: { } span } page)
            {
                return;
            }

            AnalyzeTemplate(ConstantString.FromFileText(context.AdditionalFile.Path, page.Text, span), isAttributeRoute: false, handler: null, new AdditionalFileSink(context));
        }

        // The constructor of an attribute of a method or a type, from the attributes the compiler binds once for the whole
        // compilation (the owner's AttributeData); the semantic model binds the attribute again only where there is none.
        // The owner is the symbol the driver is analysing the declaration of (the context's containing symbol), checked by the
        // attribute's place among its attributes; the semantic model is asked for it only when that does not match (looking
        // the declared symbol up was 31 of PERF005's 430 samples in a profile of the 4x benchmark app).
        private static IMethodSymbol? ConstructorOf(AttributeSyntax attribute, ISymbol? containingSymbol, SemanticModel model, out ISymbol? owner, CancellationToken cancellationToken)
        {
            owner = null;
            if (attribute.Parent?.Parent is (MethodDeclarationSyntax or BaseTypeDeclarationSyntax) and var declaration)
            {
                if (containingSymbol is IMethodSymbol or INamedTypeSymbol && FindConstructor(containingSymbol, attribute) is { } found)
                {
                    owner = containingSymbol;
                    return found;
                }

                owner = model.GetDeclaredSymbol(declaration, cancellationToken);
                if (owner is not null && FindConstructor(owner, attribute) is { } declared)
                {
                    return declared;
                }
            }

            return model.GetSymbolInfo(attribute, cancellationToken).Symbol as IMethodSymbol;
        }

        private static IMethodSymbol? FindConstructor(ISymbol owner, AttributeSyntax attribute)
        {
            foreach (var data in owner.GetAttributes())
            {
                if (data.ApplicationSyntaxReference is { } reference && reference.SyntaxTree == attribute.SyntaxTree && reference.Span == attribute.Span)
                {
                    return data.AttributeConstructor;
                }
            }

            return null;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            NoteRegistrations(method);
            if (!IsRouteBuilderMethod(method))
            {
                return;
            }

            IMethodSymbol? handler = null;
            var handlerResolved = false;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is not { } parameter || argument.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    continue;
                }

                if (parameter.Type.SpecialType == SpecialType.System_String && parameter.Name is "pattern" or "template" or "prefix")
                {
                    // The handler (for the bound parameter types) is looked up only for templates that name a regex.
                    // The constant's value first: where each character is written is worked out only for templates naming a regex.
                    if (argument.Value.ConstantValue is { HasValue: true, Value: string value } && value.IndexOf("regex", StringComparison.OrdinalIgnoreCase) >= 0
                        && ConstantString.From(argument.Value) is { } template)
                    {
                        if (!handlerResolved)
                        {
                            handler = _symbols.Handlers.GetEndpointHandler(invocation)?.Method;
                            handlerResolved = true;
                        }

                        AnalyzeTemplate(template, isAttributeRoute: false, handler, new OperationSink(context));
                    }
                }
                else if (parameter.Name == "constraints")
                {
                    AnalyzeConstraintValues(argument.Value, new OperationSink(context));
                }
            }
        }

        public void AnalyzeObjectCreation(OperationAnalysisContext context)
        {
            var creation = (IObjectCreationOperation)context.Operation;
            var type = creation.Type;
            if (type?.Name is not ("RegexRouteConstraint" or "RegexInlineRouteConstraint"))
            {
                return; // every object creation of the project: the name first
            }

            if (SymbolEqualityComparer.Default.Equals(type, _symbols.RegexRouteConstraint)
                || SymbolEqualityComparer.Default.Equals(type, _symbols.RegexInlineRouteConstraint))
            {
                if (creation.Arguments.Length == 1
                    && creation.Arguments[0].Parameter?.Type.SpecialType == SpecialType.System_String
                    && ConstantString.From(creation.Arguments[0].Value) is { } pattern)
                {
                    Report(pattern, 0, pattern.Value.Length, pattern.Value, implicitlyAnchored: false, ConstraintObjectSite, parameterName: null, parameterType: BoundParameterType.None, new OperationSink(context));
                }

                return;
            }

            // new RouteValueDictionary(new { id = "\\d+" }) handed to a constraints parameter is read by AnalyzeConstraintValues.
        }

        public void AnalyzeTypeOf(OperationAnalysisContext context)
        {
            if (SymbolEqualityComparer.Default.Equals(((ITypeOfOperation)context.Operation).TypeOperand, _symbols.RegexInlineRouteConstraint))
            {
                _registersRegex = 1;
            }
        }

        public void ReportSlimBuilder(CompilationAnalysisContext context)
        {
            if (_usesSlimBuilder == 0 || _registersRegex != 0)
            {
                return;
            }

            foreach (var (location, text) in _inlineRegexes)
            {
                context.ReportDiagnostic(Diagnostic.Create(SlimBuilderRule, location, text));
            }
        }

        private void NoteRegistrations(IMethodSymbol method)
        {
            var name = method.Name;
            if (name == "CreateSlimBuilder" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.WebApplication))
            {
                _usesSlimBuilder = 1;
                return;
            }

            // Full routing (AddRouting, and MVC/Razor Pages which call it) registers the regex constraint; so does an explicit policy.
            if (name is "AddRouting" or "AddMvc" or "AddMvcCore" or "AddControllers" or "AddControllersWithViews" or "AddRazorPages"
                && method.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.DependencyInjection")
            {
                _registersRegex = 1;
                return;
            }

            if (name == "SetParameterPolicy" && method.TypeArguments.Length == 1
                && SymbolEqualityComparer.Default.Equals(method.TypeArguments[0], _symbols.RegexInlineRouteConstraint))
            {
                _registersRegex = 1;
            }
        }

        private bool IsRouteBuilderMethod(IMethodSymbol method)
        {
            // Every method of the endpoint and route builders that takes a route pattern is a Map* method (MapGet, MapGroup,
            // MapControllerRoute, MapRoute, MapHub…): the name is the cheapest test of every call of the project.
            if (!method.Name.StartsWith("Map", StringComparison.Ordinal))
            {
                return false;
            }

            var assembly = method.ContainingAssembly?.Name;
            if (assembly is null || !assembly.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            {
                return false;
            }

            var receiver = method.IsExtensionMethod
                ? (method.ReducedFrom ?? method).Parameters is { Length: > 0 } parameters ? parameters[0].Type : null
                : method.ContainingType;
            return receiver is INamedTypeSymbol named
                && (named.IsOrInherits(_symbols.EndpointRouteBuilder) || named.IsOrInherits(_symbols.RouteBuilder));
        }

        // constraints: new { id = @"\d+" }, new RouteValueDictionary { ["id"] = "..." }, new Dictionary<string, object> { { "id", "..." } }
        private void AnalyzeConstraintValues<TSink>(IOperation value, TSink report)
            where TSink : struct, IDiagnosticSink
        {
            value = value.WalkDownConversions();
            switch (value)
            {
                case IAnonymousObjectCreationOperation anonymous:
                    foreach (var initializer in anonymous.Initializers)
                    {
                        if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
                        {
                            ReportDictionaryString(property.Property.Name, assignment.Value, report);
                        }
                    }

                    break;
                case IObjectCreationOperation creation:
                    if (creation.Arguments.Length == 1 && SymbolEqualityComparer.Default.Equals(creation.Type, _symbols.RouteValueDictionary))
                    {
                        AnalyzeConstraintValues(creation.Arguments[0].Value, report);
                    }

                    if (creation.Initializer is { } initializerOperation)
                    {
                        foreach (var item in initializerOperation.Initializers)
                        {
                            switch (item)
                            {
                                case IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 2 } add
                                    when add.Arguments[0].Value.ConstantValue.Value is string key:
                                    ReportDictionaryString(key, add.Arguments[1].Value, report);
                                    break;
                                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: 1 } indexer } assignment
                                    when indexer.Arguments[0].Value.ConstantValue.Value is string key:
                                    ReportDictionaryString(key, assignment.Value, report);
                                    break;
                            }
                        }
                    }

                    break;
            }
        }

        // A string constraint in a dictionary is always a regex, wrapped in ^( … )$ by ASP.NET Core.
        private void ReportDictionaryString<TSink>(string parameterName, IOperation value, TSink report)
            where TSink : struct, IDiagnosticSink
        {
            if (ConstantString.From(value.WalkDownConversions()) is { } pattern)
            {
                Report(pattern, 0, pattern.Value.Length, pattern.Value, implicitlyAnchored: true, DictionarySite, parameterName, BoundParameterType.None, report);
            }
        }

        private void AnalyzeTemplate<TSink>(ConstantString template, bool isAttributeRoute, IMethodSymbol? handler, TSink report)
            where TSink : struct, IDiagnosticSink
        {
            if (template.Value.IndexOf("regex", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return; // the common case: no regex constraint at all
            }

            var constraints = RouteTemplate.ParseConstraints(template.Value, isAttributeRoute);
            if (constraints.IsDefault)
            {
                return; // malformed: ASP.NET Core reports it itself; nothing sure to say
            }

            foreach (var constraint in constraints)
            {
                if (!constraint.IsRegex)
                {
                    continue;
                }

                var parameterType = FindParameterType(handler, constraint.ParameterName);
                Report(template, constraint.Start, constraint.End - constraint.Start, constraint.Argument!, implicitlyAnchored: false, InlineSite, constraint.ParameterName, parameterType, report, constraint.Text);
            }
        }

        private void Report<TSink>(
            ConstantString source,
            int start,
            int length,
            string pattern,
            bool implicitlyAnchored,
            string site,
            string? parameterName,
            BoundParameterType parameterType,
            TSink report,
            string? constraintText = null)
            where TSink : struct, IDiagnosticSink
        {
            var location = source.GetLocation(start, length, out var exact);
            var shape = Shapes.GetOrAdd(new ReportKey(pattern, implicitlyAnchored, site, parameterName, parameterType, constraintText), ComposeShapeOnce);
            report.Report(Diagnostic.Create(Rule, location, exact ? shape.ExactProperties : shape.InexactProperties, shape.Shown, shape.Explanation));

            if (shape.RecordsInlineRegex)
            {
                _inlineRegexes.Enqueue((location, shape.Shown));
            }
        }

        private static ReportShape ComposeShape(ReportKey key)
        {
            var verdict = Verdicts.GetOrAdd((key.Pattern, key.ImplicitlyAnchored), static k => RegexConstraintAnalysis.Analyze(k.Pattern, k.ImplicitlyAnchored));
            var shown = key.ConstraintText ?? (key.Site == ConstraintObjectSite ? $"new RegexRouteConstraint(\"{key.Pattern}\")" : $"\"{key.Pattern}\"");
            var builtIn = verdict.BuiltInFor(key.ParameterType);
            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties[VerdictProperty] = verdict.Kind.ToString();
            properties[PatternProperty] = key.Pattern;
            properties[SiteProperty] = key.Site;
            properties[ExactProperty] = "true";
            properties[ParameterProperty] = key.ParameterName;
            properties[BuiltInProperty] = key.Site == InlineSite ? builtIn : null;
            var exact = properties.ToImmutable();
            return new ReportShape(
                exact,
                exact.SetItem(ExactProperty, "false"),
                shown,
                Explain(verdict, builtIn, key.ParameterType),
                key.Site == InlineSite && verdict.Kind != RegexConstraintVerdictKind.Invalid);
        }

        private readonly record struct ReportKey(string Pattern, bool ImplicitlyAnchored, string Site, string? ParameterName, BoundParameterType ParameterType, string? ConstraintText);

        private sealed record ReportShape(ImmutableDictionary<string, string?> ExactProperties, ImmutableDictionary<string, string?> InexactProperties, string Shown, string Explanation, bool RecordsInlineRegex);

        private static string Explain(RegexConstraintVerdict verdict, string? builtIn, BoundParameterType parameterType)
        {
            switch (verdict.Kind)
            {
                case RegexConstraintVerdictKind.Invalid:
                    return "is not a valid regular expression (" + TrimPeriod(verdict.Detail) + "): the app throws when it builds its routes";
                case RegexConstraintVerdictKind.NestedQuantifiers:
                    return "has nested quantifiers: matching can backtrack catastrophically, for up to the 10-second regex timeout per request; rewrite it without a quantifier inside a quantified group";
                case RegexConstraintVerdictKind.Unanchored:
                    return "is not anchored: it accepts any value that " + verdict.Detail + "; anchor it with ^ and $, or use a built-in constraint";
                case RegexConstraintVerdictKind.BuiltInForParameterType when builtIn is not null:
                    return "runs a regex on every request where the built-in '" + builtIn + "' accepts the same " + TypeName(parameterType) + " values";
                case RegexConstraintVerdictKind.BuiltInForParameterType:
                    var forType = verdict.IsWholeNumber ? verdict.BuiltInFor(BoundParameterType.Int32) ?? verdict.BuiltInFor(BoundParameterType.Int64) : verdict.BuiltIn;
                    return "matches " + verdict.DescribeValues() + "; bound to " + (verdict.IsWholeNumber ? "an int" : "a " + TypeName(verdict.ParameterType))
                        + " parameter the built-in '" + forType + "' accepts the same values without a regex; otherwise move it to a named constraint backed by a compiled regex";
                case RegexConstraintVerdictKind.ClosestBuiltIn:
                    return "runs a regex on every request; the closest built-in, '" + verdict.BuiltIn + "', differs (" + verdict.Difference + "): move it to a named constraint backed by a compiled regex";
                default:
                    return "runs a regex on every request and no built-in constraint accepts the same values: move it to a named constraint backed by a compiled regex";
            }
        }

        private static string TypeName(BoundParameterType type) => type switch
        {
            BoundParameterType.Int32 => "int",
            BoundParameterType.Int64 => "long",
            BoundParameterType.Boolean => "bool",
            BoundParameterType.Guid => "Guid",
            _ => "parameter",
        };

        private static string TrimPeriod(string? text)
        {
            text = (text ?? string.Empty).Trim();
            var newline = text.IndexOfAny(new[] { '\r', '\n' });
            if (newline >= 0)
            {
                text = text.Substring(0, newline);
            }

            return text.EndsWith(".", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text;
        }

        private BoundParameterType FindParameterType(IMethodSymbol? handler, string routeParameter)
        {
            if (handler is null)
            {
                return BoundParameterType.None;
            }

            foreach (var parameter in handler.Parameters)
            {
                if (!string.Equals(RouteName(parameter), routeParameter, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                    ? nullable.TypeArguments[0]
                    : parameter.Type;
                return type.SpecialType switch
                {
                    SpecialType.System_Int32 => BoundParameterType.Int32,
                    SpecialType.System_Int64 => BoundParameterType.Int64,
                    SpecialType.System_Boolean => BoundParameterType.Boolean,
                    _ when type is { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } => BoundParameterType.Guid,
                    _ => BoundParameterType.None,
                };
            }

            return BoundParameterType.None;
        }

        private string RouteName(IParameterSymbol parameter)
        {
            foreach (var attribute in parameter.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _symbols.FromRouteAttribute))
                {
                    foreach (var named in attribute.NamedArguments)
                    {
                        if (named.Key == "Name" && named.Value.Value is string name)
                        {
                            return name;
                        }
                    }
                }
            }

            return parameter.Name;
        }

        // Cheap syntactic filter before binding: attributes whose arguments are all literals without "regex" are skipped.
        private static bool MayHoldRegex(AttributeArgumentListSyntax arguments)
        {
            foreach (var argument in arguments.Arguments)
            {
                if (argument.Expression is not LiteralExpressionSyntax literal
                    || literal.Token.Text.IndexOf("regex", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static AttributeArgumentSyntax? FindArgument(AttributeArgumentListSyntax arguments, IMethodSymbol constructor, string parameterName)
        {
            var position = 0;
            foreach (var argument in arguments.Arguments)
            {
                if (argument.NameEquals is not null)
                {
                    continue;
                }

                var name = argument.NameColon?.Name.Identifier.ValueText
                    ?? (position < constructor.Parameters.Length ? constructor.Parameters[position].Name : null);
                position++;
                if (name == parameterName)
                {
                    return argument;
                }
            }

            return null;
        }
    }
}
