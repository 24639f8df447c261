using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;
using PerfRules.Notions;

namespace PerfRules.Rules;

/// <summary>
/// PERF001: a request handler whose response body comes from the file system. The analyzer looks at the
/// calls that produce a response body (<c>File</c>/<c>PhysicalFile</c>/<c>VirtualFile</c> of a controller or
/// page model, <c>Results</c>/<c>TypedResults</c> file, bytes and stream results, <c>SendFileAsync</c>,
/// <c>Response.WriteAsync</c>, writes and copies to <c>Response.Body</c>) and follows the value back through
/// locals and simple helper methods of the same class to a file read, a constant path or a path under the
/// web host's roots. Values it cannot follow (services, databases, fields, anything computed) are not guessed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StaticFileServedByHandlerAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property set when fix (2) "Stream the file" can rewrite the call: "Controller", "Results" or "TypedResults".</summary>
    internal const string StreamProperty = "Stream";

    /// <summary>Property: the file read into memory ("File.ReadAllBytes"), when there is one.</summary>
    internal const string ReaderProperty = "Reader";

    /// <summary>Property set when fix (1) "Serve with the static-file middleware" applies: "Action" or "Endpoint" (what to remove).</summary>
    internal const string ServeProperty = "Serve";

    /// <summary>Property: the static-file middleware's request path ("" for the web root at the site root).</summary>
    internal const string RequestPathProperty = "RequestPath";

    /// <summary>Property: "WebRootPath" or "ContentRootPath", the root of the folder to serve.</summary>
    internal const string RootProperty = "Root";

    /// <summary>Property: the folder under the root, segments separated by '/' ("" for the root itself).</summary>
    internal const string FolderProperty = "Folder";

    private const int MaxDepth = 8;

    // What the static-file middleware's FileExtensionContentTypeProvider answers for common static assets.
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".css"] = "text/css",
        [".js"] = "text/javascript",
        [".html"] = "text/html",
        [".htm"] = "text/html",
        [".txt"] = "text/plain",
        [".json"] = "application/json",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".svg"] = "image/svg+xml",
        [".ico"] = "image/x-icon",
        [".webp"] = "image/webp",
        [".woff"] = "application/font-woff",
        [".woff2"] = "font/woff2",
        [".pdf"] = "application/pdf",
    };

    private static readonly string[] StaticExtensions =
    {
        ".css", ".js", ".mjs", ".map", ".html", ".htm", ".txt", ".ico", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp",
        ".avif", ".bmp", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".webmanifest",
    };

    private static readonly string[] StaticFolders = { "wwwroot", "static", "assets", "public", "css", "js", "lib", "images", "img", "fonts" };

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.StaticFileServedByHandler,
        "Static file served by an action or endpoint",
        messageFormat: "'{0}' sends {1}; let the static-file middleware serve the file",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A request handler that reads a file from disk and sends it runs routing, model binding, filters and the handler for every request, and loses what the static-file middleware gives for free: ETag and Last-Modified headers, 304 answers to conditional requests and range requests, streamed without a buffer the size of the file. Serve static files with UseStaticFiles (or a front server/CDN); where an action must remain, stream the file with PhysicalFile/Results.File instead of reading it into memory.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.StaticFileServedByHandler));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
        {
            var symbols = FileSymbols.Create(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            start.RegisterOperationAction(symbols.AnalyzeInvocation, OperationKind.Invocation);
        });
    }

    private enum PartKind
    {
        Constant,
        WebRoot,
        ContentRoot,
        RequestValue,
        Unknown,
    }

    /// <summary>One piece of a path: a constant, a web host root, a handler parameter, or something not followed.</summary>
    private readonly record struct PathPart(PartKind Kind, string Text);

    /// <summary>Where a path comes from: its pieces in order, and whether it was named through a file provider.</summary>
    private sealed record PathInfo(ImmutableArray<PathPart> Parts, string? Provider);

    private sealed record ContentInfo(PathInfo Path, string Reader, bool InMemory);

    /// <summary>The function whose body is being read: the handler, or a helper called from it (with the call's arguments).</summary>
    private sealed record Frame(IOperation Root, IMethodSymbol? Method, ImmutableArray<IArgumentOperation> Arguments, Frame? Caller, SemanticModel? Model);

    private sealed class FileSymbols
    {
        private RequestHandlers Handlers { get; init; } = null!;

        private INamedTypeSymbol HttpResponse { get; init; } = null!;

        private INamedTypeSymbol? ControllerBase { get; init; }

        private INamedTypeSymbol? PageModel { get; init; }

        private INamedTypeSymbol? Results { get; init; }

        private INamedTypeSymbol? TypedResults { get; init; }

        private INamedTypeSymbol? SendFile { get; init; }

        private INamedTypeSymbol? ResponseWriting { get; init; }

        private INamedTypeSymbol? WebHostEnvironment { get; init; }

        private INamedTypeSymbol? HostEnvironment { get; init; }

        private INamedTypeSymbol? FileProvider { get; init; }

        private INamedTypeSymbol? FileInfo { get; init; }

        private INamedTypeSymbol? Authorize { get; init; }

        private INamedTypeSymbol? AllowAnonymous { get; init; }

        private INamedTypeSymbol? RequireAuthorization { get; init; }

        private INamedTypeSymbol? File { get; init; }

        private INamedTypeSymbol? WebApplication { get; init; }

        private INamedTypeSymbol? HttpGet { get; init; }

        private INamedTypeSymbol? Route { get; init; }

        private INamedTypeSymbol? RouteTemplateProvider { get; init; }

        private INamedTypeSymbol? FileStream { get; init; }

        private INamedTypeSymbol? Path { get; init; }

        private INamedTypeSymbol? Stream { get; init; }

        public static FileSymbols? Create(Compilation compilation)
        {
            var types = WellKnownTypes.GetOrCreate(compilation);
            var handlers = RequestHandlers.Create(types);
            var response = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponse);
            var file = types.Get(WellKnownType.System_IO_File);
            if (handlers is null || response is null || file is null)
            {
                return null;
            }

            return new FileSymbols
            {
                Handlers = handlers,
                HttpResponse = response,
                ControllerBase = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ControllerBase),
                PageModel = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_RazorPages_PageModel),
                Results = types.Get(WellKnownType.Microsoft_AspNetCore_Http_Results),
                TypedResults = types.Get(WellKnownType.Microsoft_AspNetCore_Http_TypedResults),
                SendFile = types.Get(WellKnownType.Microsoft_AspNetCore_Http_SendFileResponseExtensions),
                ResponseWriting = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponseWritingExtensions),
                WebHostEnvironment = types.Get(WellKnownType.Microsoft_AspNetCore_Hosting_IWebHostEnvironment),
                HostEnvironment = types.Get(WellKnownType.Microsoft_Extensions_Hosting_IHostEnvironment),
                FileProvider = types.Get(WellKnownType.Microsoft_Extensions_FileProviders_IFileProvider),
                FileInfo = types.Get(WellKnownType.Microsoft_Extensions_FileProviders_IFileInfo),
                Authorize = types.Get(WellKnownType.Microsoft_AspNetCore_Authorization_AuthorizeAttribute),
                AllowAnonymous = types.Get(WellKnownType.Microsoft_AspNetCore_Authorization_AllowAnonymousAttribute),
                RequireAuthorization = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_AuthorizationEndpointConventionBuilderExtensions),
                File = file,
                WebApplication = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_WebApplication),
                HttpGet = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_HttpGetAttribute),
                Route = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_RouteAttribute),
                RouteTemplateProvider = types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_Routing_IRouteTemplateProvider),
                FileStream = types.Get(WellKnownType.System_IO_FileStream),
                Path = types.Get(WellKnownType.System_IO_Path),
                Stream = types.Get(WellKnownType.System_IO_Stream),
            };
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (FindSink(invocation) is not { } sink)
            {
                return;
            }

            var handler = Handlers.FindEnclosing(invocation, context.ContainingSymbol, includeMiddleware: false, context.CancellationToken);
            if (handler is not { Body: { } body } found || found.IsInNestedFunction)
            {
                return;
            }

            var frame = new Frame(body, found.Method, ImmutableArray<IArgumentOperation>.Empty, null, invocation.SemanticModel);
            string description;
            PathInfo path;
            ContentInfo? content = null;
            if (sink.IsPath)
            {
                if (EvaluatePath(sink.Value, frame, 0, context.CancellationToken) is not { } evaluated)
                {
                    return;
                }

                path = evaluated;
                description = "a file at ";
            }
            else
            {
                content = EvaluateContent(sink.Value, frame, 0, context.CancellationToken);
                if (content is null)
                {
                    return;
                }

                path = content.Path;
                description = "the contents of " + content.Reader + " of ";
            }

            if (!IsStaticFile(path) || (UsesRequestValue(path) && IsBehindAuthorization(found)))
            {
                return;
            }

            description += Describe(path);
            var properties = ImmutableDictionary<string, string?>.Empty;
            if (content is { InMemory: true } && sink.StreamKind is { } streamKind && IsRooted(path) && HasOnlyStreamableArguments(invocation) && (streamKind == "Results" || AcceptsAnyResult(invocation)))
            {
                properties = properties.Add(StreamProperty, streamKind).Add(ReaderProperty, content.Reader);
            }

            if (!IsBehindAuthorization(found) && MapToFolder(found, invocation, path) is { } mapping)
            {
                properties = properties.Add(ServeProperty, mapping.Remove).Add(RequestPathProperty, mapping.RequestPath)
                    .Add(RootProperty, mapping.Root).Add(FolderProperty, mapping.Folder);
            }

            var location = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member }
                ? Location.Create(invocation.Syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(member.Name.SpanStart, invocation.Syntax.Span.End))
                : invocation.Syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, sink.Name, description));
        }

        /// <summary>The call passes only the content, its content type and a download name: the arguments the streaming call takes too.</summary>
        private static bool HasOnlyStreamableArguments(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    continue;
                }

                if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is not { } parameter
                    || !(parameter.Ordinal == 0 || parameter.Name is "contentType" or "fileDownloadName"))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The call's result is used where any result type fits (IActionResult, IResult, object, ActionResult&lt;T&gt;, or an
        /// inferred lambda return type), so a different result type from the streaming call still compiles.
        /// </summary>
        private static bool AcceptsAnyResult(IInvocationOperation invocation)
        {
            switch (invocation.Parent)
            {
                case IConversionOperation { IsImplicit: true } conversion:
                    var target = conversion.Type;
                    return target is not null
                        && (target.TypeKind == TypeKind.Interface || target.SpecialType == SpecialType.System_Object
                            || (conversion.OperatorMethod is { } userDefined && userDefined.Parameters.Length == 1
                                && invocation.Type.IsOrInherits(userDefined.Parameters[0].Type as INamedTypeSymbol)
                                && userDefined.Parameters[0].Type.IsAbstract));
                case IReturnOperation:
                    return IsInferredLambdaReturn(invocation);
                default:
                    return false;
            }
        }

        private static bool IsInferredLambdaReturn(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case IAnonymousFunctionOperation lambda:
                        var explicitReturnType = lambda.Syntax is ParenthesizedLambdaExpressionSyntax { ReturnType: not null };
                        return !explicitReturnType
                            && lambda.Parent is IDelegateCreationOperation { Parent: IConversionOperation { Type.SpecialType: SpecialType.System_Delegate } };
                    case ILocalFunctionOperation or IMethodBodyOperation:
                        return false;
                }
            }

            return false;
        }

        private readonly record struct FolderMapping(string Remove, string RequestPath, string Root, string Folder);

        /// <summary>
        /// The handler's route maps one-to-one onto a folder: the route's last segments are the file's path under a web host
        /// root (a constant file under the web root, or a folder of the web or content root whose file name is the route's
        /// last parameter). Then UseStaticFiles with the route's leading segments as request path serves the same URLs.
        /// </summary>
        private FolderMapping? MapToFolder(RequestHandler handler, IInvocationOperation sink, PathInfo path)
        {
            if (path.Provider is not null || path.Parts.Length < 2 || path.Parts[0].Kind is not (PartKind.WebRoot or PartKind.ContentRoot))
            {
                return null;
            }

            var segments = new List<string>();
            string? parameter = null;
            for (var i = 1; i < path.Parts.Length; i++)
            {
                var part = path.Parts[i];
                if (part.Kind == PartKind.RequestValue && i == path.Parts.Length - 1)
                {
                    parameter = part.Text;
                    segments.Add("{" + part.Text + "}");
                }
                else if (part.Kind == PartKind.Constant)
                {
                    foreach (var segment in part.Text.Split('/', '\\'))
                    {
                        if (segment.Length > 0)
                        {
                            if (segment is "." or ".." || segment.IndexOf('{') >= 0)
                            {
                                return null;
                            }

                            segments.Add(segment);
                        }
                    }
                }
                else
                {
                    return null;
                }
            }

            var root = path.Parts[0].Kind == PartKind.WebRoot ? "WebRootPath" : "ContentRootPath";
            var folderLength = segments.Count - 1;
            if (segments.Count == 0 || (parameter is null && root != "WebRootPath") || (root == "ContentRootPath" && folderLength == 0))
            {
                return null;
            }

            if (parameter is null && !KeepsContentType(sink, segments[segments.Count - 1]))
            {
                return null;
            }

            if (RouteTemplate(handler) is not { } route)
            {
                return null;
            }

            var template = new List<string>();
            foreach (var segment in route.Template.Split('/'))
            {
                if (segment.Length > 0)
                {
                    template.Add(segment);
                }
            }

            if (template.Count < segments.Count)
            {
                return null;
            }

            if (parameter is not null)
            {
                // A folder: the route's last segment is the file-name parameter, the segments before it are the request path.
                if (!string.Equals(template[template.Count - 1], "{" + parameter + "}", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                for (var i = 0; i < template.Count - 1; i++)
                {
                    if (template[i].IndexOf('{') >= 0 || template[i].IndexOf('}') >= 0)
                    {
                        return null;
                    }
                }

                var prefix = template.Count == 1 ? string.Empty : "/" + string.Join("/", template.GetRange(0, template.Count - 1));
                var directory = string.Join("/", segments.GetRange(0, folderLength));
                if (root == "WebRootPath" && prefix == (directory.Length == 0 ? string.Empty : "/" + directory))
                {
                    return new FolderMapping(route.Remove, string.Empty, root, string.Empty);
                }

                return new FolderMapping(route.Remove, prefix, root, directory);
            }

            var offset = template.Count - segments.Count;
            for (var i = 0; i < offset; i++)
            {
                if (template[i].IndexOf('{') >= 0 || template[i].IndexOf('}') >= 0)
                {
                    return null;
                }
            }

            for (var i = 0; i < segments.Count; i++)
            {
                if (!string.Equals(template[offset + i], segments[i], StringComparison.Ordinal))
                {
                    return null;
                }
            }

            var requestPath = offset == 0 && folderLength == 0 ? string.Empty : "/" + string.Join("/", template.GetRange(0, offset + folderLength));
            var folder = string.Join("/", segments.GetRange(0, folderLength));
            if (root == "WebRootPath" && offset == 0)
            {
                // The URL is the file's place under wwwroot: the default UseStaticFiles() serves it.
                requestPath = string.Empty;
                folder = string.Empty;
            }

            return new FolderMapping(route.Remove, requestPath, root, folder);
        }

        private static bool KeepsContentType(IInvocationOperation sink, string fileName)
        {
            var dot = fileName.LastIndexOf('.');
            if (dot <= 0 || !ContentTypes.TryGetValue(fileName.Substring(dot), out var served))
            {
                return false;
            }

            foreach (var argument in sink.Arguments)
            {
                if (argument.Parameter?.Name == "contentType" && argument.ArgumentKind == ArgumentKind.Explicit)
                {
                    return argument.Value.ConstantValue is { HasValue: true, Value: string contentType }
                        && string.Equals(contentType, served, StringComparison.OrdinalIgnoreCase);
                }
            }

            return false;
        }

        /// <summary>The handler's absolute route template: an action's [HttpGet("/…")]/[Route("/…")], or a MapGet("/…", …) statement on the app.</summary>
        private (string Template, string Remove)? RouteTemplate(RequestHandler handler)
        {
            if (handler.Kind == RequestHandlerKind.MvcAction)
            {
                string? template = null;
                var count = 0;
                foreach (var attribute in handler.Method.GetAttributes())
                {
                    if (Same(attribute.AttributeClass, HttpGet) || Same(attribute.AttributeClass, Route))
                    {
                        count++;
                        template = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                    }
                    else if (attribute.AttributeClass.IsOrInherits(RouteTemplateProvider))
                    {
                        return null;
                    }
                }

                if (count != 1 || template is null || handler.Method.DeclaringSyntaxReferences.Length != 1)
                {
                    return null;
                }

                template = template.StartsWith("~/", StringComparison.Ordinal) ? template.Substring(1) : template;
                return template.StartsWith("/", StringComparison.Ordinal) ? (template, "Action") : null;
            }

            if (handler.Kind == RequestHandlerKind.EndpointHandler && handler.Body is IAnonymousFunctionOperation lambda)
            {
                IOperation? current = lambda.Parent;
                while (current is IDelegateCreationOperation or IConversionOperation or IArgumentOperation)
                {
                    current = current.Parent;
                }

                if (current is IInvocationOperation { TargetMethod.Name: "MapGet", Parent: IExpressionStatementOperation } map
                    && Handlers.IsEndpointMapMethod(map.TargetMethod)
                    && map.GetReceiver()?.WalkDownConversions(implicitOnly: false) is ILocalReferenceOperation app
                    && Same(app.Local.Type, WebApplication)
                    && ArgumentOf(map, 1) is { Value.ConstantValue: { HasValue: true, Value: string pattern } }
                    && pattern.StartsWith("/", StringComparison.Ordinal))
                {
                    return (pattern, "Endpoint");
                }
            }

            return null;
        }

        private readonly record struct Sink(string Name, IOperation Value, bool IsPath, string? StreamKind);

        private Sink? FindSink(IInvocationOperation invocation)
        {
            // Every sink has one of these names: asked of every call of the project, the name is read before the type (a called
            // method's type, such as List<Product>, is a symbol made on first use).
            var method = invocation.TargetMethod;
            var name = method.Name;
            if (name is not ("File" or "PhysicalFile" or "VirtualFile" or "Bytes" or "Stream" or "SendFileAsync" or "WriteAsync" or "Write" or "CopyTo" or "CopyToAsync")
                || method.ContainingType?.OriginalDefinition is not { } type)
            {
                return null;
            }

            if (name is "File" or "PhysicalFile" or "VirtualFile"
                && (Same(type, ControllerBase) || Same(type, PageModel)))
            {
                return ArgumentSink(invocation, 0, name, name == "File" && Same(type, ControllerBase) ? "Controller" : null);
            }

            if (name is "File" or "PhysicalFile" or "VirtualFile" or "Bytes" or "Stream")
            {
                if (Same(type, Results))
                {
                    return ArgumentSink(invocation, 0, "Results." + name, name is "File" or "Bytes" or "Stream" ? "Results" : null);
                }

                if (Same(type, TypedResults))
                {
                    return ArgumentSink(invocation, 0, "TypedResults." + name, name is "File" or "Bytes" or "Stream" ? "TypedResults" : null);
                }
            }

            if (name == "SendFileAsync" && Same(type, SendFile))
            {
                return ArgumentSink(invocation, 1, "SendFileAsync", null);
            }

            if (name == "WriteAsync" && Same(type, ResponseWriting))
            {
                return ArgumentSink(invocation, 1, "Response.WriteAsync", null);
            }

            // The name first, then the receiver's base classes: asked of every call of the project (paired on the 4x benchmark app,
            // PERF001 went from 3.5 to 2.6 ms when the name came first).
            if (name is "Write" or "WriteAsync" or "CopyTo" or "CopyToAsync" && Stream is not null && type.IsOrInherits(Stream))
            {
                if (name is "Write" or "WriteAsync" && IsResponseBody(invocation.Instance))
                {
                    return ArgumentSink(invocation, 0, "Response.Body." + name, null);
                }

                if (name is "CopyTo" or "CopyToAsync" && invocation.Instance is { } source && ArgumentOf(invocation, 0) is { } destination
                    && IsResponseBody(destination.Value))
                {
                    return new Sink(name, source, IsPath: false, null);
                }
            }

            return null;
        }

        private Sink? ArgumentSink(IInvocationOperation invocation, int ordinal, string name, string? streamKind)
        {
            if (ArgumentOf(invocation, ordinal) is not { } argument)
            {
                return null;
            }

            var type = argument.Parameter?.Type;
            var isPath = type?.SpecialType == SpecialType.System_String && !name.EndsWith("WriteAsync", StringComparison.Ordinal)
                || (FileInfo is not null && SymbolEqualityComparer.Default.Equals(type, FileInfo));
            return new Sink(name, argument.Value, isPath, isPath ? null : streamKind);
        }

        private static IArgumentOperation? ArgumentOf(IInvocationOperation invocation, int ordinal)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == ordinal)
                {
                    return argument;
                }
            }

            return null;
        }

        private bool IsResponseBody(IOperation? operation)
            => operation?.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Body" } property
               && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, HttpResponse);

        // ---- content: what a byte array, stream or text holds ----
        private ContentInfo? EvaluateContent(IOperation operation, Frame frame, int depth, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (depth > MaxDepth)
            {
                return null;
            }

            var value = operation.WalkDownConversions(implicitOnly: false);
            switch (value)
            {
                case IAwaitOperation awaited:
                    return EvaluateContent(awaited.Operation, frame, depth, cancellationToken);
                case IInvocationOperation call when Same(call.TargetMethod.ContainingType, File):
                    var reader = call.TargetMethod.Name;
                    if (reader is "ReadAllBytes" or "ReadAllBytesAsync" or "ReadAllText" or "ReadAllTextAsync" or "OpenRead" or "Open"
                        && ArgumentOf(call, 0) is { } pathArgument
                        && EvaluatePath(pathArgument.Value, frame, depth, cancellationToken) is { } readPath)
                    {
                        var inMemory = reader is "ReadAllBytes" or "ReadAllBytesAsync" or "OpenRead";
                        return new ContentInfo(readPath, "File." + reader, inMemory && IsDirectRead(operation, call));
                    }

                    return null;
                case IObjectCreationOperation creation when Same(creation.Type, FileStream):
                    if (creation.Arguments.Length > 0 && creation.Arguments[0].Parameter?.Type.SpecialType == SpecialType.System_String
                        && EvaluatePath(creation.Arguments[0].Value, frame, depth, cancellationToken) is { } streamPath)
                    {
                        return new ContentInfo(streamPath, "new FileStream", IsDirectRead(operation, creation));
                    }

                    return null;
                case IInvocationOperation call when call.TargetMethod.Name == "CreateReadStream" && Same(call.TargetMethod.ContainingType, FileInfo)
                                                     && call.Instance is { } info:
                    return EvaluatePath(info, frame, depth, cancellationToken) is { } infoPath ? new ContentInfo(infoPath, "IFileInfo.CreateReadStream", false) : null;
                case ILocalReferenceOperation local:
                    return SingleDefinition(local.Local, frame, cancellationToken) is { } definition
                        ? EvaluateContent(definition, frame, depth + 1, cancellationToken) is { } viaLocal ? viaLocal with { InMemory = false } : null
                        : null;
                case IParameterReferenceOperation parameter when ArgumentFor(parameter.Parameter, frame) is { } argument:
                    return EvaluateContent(argument.Value, frame.Caller!, depth + 1, cancellationToken) is { } viaParameter ? viaParameter with { InMemory = false } : null;
                case IInvocationOperation call when HelperFrame(call, frame) is { } helper:
                    return EvaluateContent(helper.Value, helper.Frame, depth + 1, cancellationToken) is { } viaHelper ? viaHelper with { InMemory = false } : null;
                default:
                    return null;
            }
        }

        // The fix rewrites only a read written directly as the argument (awaited or not): nothing else uses the bytes.
        private static bool IsDirectRead(IOperation argument, IOperation read)
        {
            var value = argument.WalkDownConversions(implicitOnly: false);
            if (value is IAwaitOperation awaited)
            {
                value = awaited.Operation.WalkDownConversions(implicitOnly: false);
            }

            return value == read;
        }

        // ---- paths ----
        private PathInfo? EvaluatePath(IOperation operation, Frame frame, int depth, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (depth > MaxDepth)
            {
                return null;
            }

            var value = operation.WalkDownConversions(implicitOnly: false);
            if (value.ConstantValue is { HasValue: true, Value: string text })
            {
                return Single(PartKind.Constant, text);
            }

            switch (value)
            {
                case IPropertyReferenceOperation property when IsEnvironmentProperty(property.Property, "WebRootPath"):
                    return Single(PartKind.WebRoot, "IWebHostEnvironment.WebRootPath");
                case IPropertyReferenceOperation property when IsEnvironmentProperty(property.Property, "ContentRootPath"):
                    return Single(PartKind.ContentRoot, "IWebHostEnvironment.ContentRootPath");
                case IPropertyReferenceOperation { Property.Name: "PhysicalPath" } property when Same(property.Property.ContainingType, FileInfo) && property.Instance is { } info:
                    return EvaluatePath(info, frame, depth, cancellationToken);
                case IInvocationOperation call when call.TargetMethod.Name == "GetFileInfo" && call.Instance is { } provider
                                                     && call.TargetMethod.ContainingType.IsOrInherits(FileProvider):
                    return EvaluateProvider(provider, ArgumentOf(call, 0), frame, depth, cancellationToken);
                case IInvocationOperation call when Same(call.TargetMethod.ContainingType, Path) && call.TargetMethod.Name is "Combine" or "Join":
                    return Combine(CombineArguments(call), frame, depth, cancellationToken);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary when binary.Type?.SpecialType == SpecialType.System_String:
                    return Combine(new[] { binary.LeftOperand, binary.RightOperand }, frame, depth, cancellationToken);
                case IInterpolatedStringOperation interpolated:
                    var pieces = new List<IOperation>();
                    foreach (var part in interpolated.Parts)
                    {
                        switch (part)
                        {
                            case IInterpolatedStringTextOperation textPart:
                                pieces.Add(textPart.Text);
                                break;
                            case IInterpolationOperation interpolation:
                                pieces.Add(interpolation.Expression);
                                break;
                        }
                    }

                    return Combine(pieces, frame, depth, cancellationToken);
                case ILocalReferenceOperation local:
                    return SingleDefinition(local.Local, frame, cancellationToken) is { } definition
                        ? EvaluatePath(definition, frame, depth + 1, cancellationToken)
                        : Single(PartKind.Unknown, local.Local.Name);
                case IParameterReferenceOperation parameter when ArgumentFor(parameter.Parameter, frame) is { } argument:
                    return EvaluatePath(argument.Value, frame.Caller!, depth + 1, cancellationToken);
                case IParameterReferenceOperation parameter when frame.Caller is null
                                                                 && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, frame.Method):
                    return Single(PartKind.RequestValue, parameter.Parameter.Name);
                case IInvocationOperation call when HelperFrame(call, frame) is { } helper:
                    return EvaluatePath(helper.Value, helper.Frame, depth + 1, cancellationToken);
                case IInvocationOperation { TargetMethod.Name: "ToString", Instance: IParameterReferenceOperation } call:
                    return EvaluatePath(call.Instance!, frame, depth, cancellationToken);
                default:
                    return Single(PartKind.Unknown, string.Empty);
            }
        }

        private PathInfo? EvaluateProvider(IOperation provider, IArgumentOperation? subpath, Frame frame, int depth, CancellationToken cancellationToken)
        {
            if (subpath is null
                || provider.WalkDownConversions(implicitOnly: false) is not IPropertyReferenceOperation property
                || !(IsEnvironmentProperty(property.Property, "WebRootFileProvider") || IsEnvironmentProperty(property.Property, "ContentRootFileProvider"))
                || EvaluatePath(subpath.Value, frame, depth + 1, cancellationToken) is not { } relative)
            {
                return null;
            }

            var root = property.Property.Name == "WebRootFileProvider"
                ? new PathPart(PartKind.WebRoot, "IWebHostEnvironment.WebRootFileProvider")
                : new PathPart(PartKind.ContentRoot, "IWebHostEnvironment.ContentRootFileProvider");
            return new PathInfo(relative.Parts.Insert(0, root), property.Property.Name);
        }

        private static IEnumerable<IOperation> CombineArguments(IInvocationOperation call)
        {
            foreach (var argument in call.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer })
                {
                    foreach (var element in initializer.ElementValues)
                    {
                        yield return element;
                    }
                }
                else
                {
                    yield return argument.Value;
                }
            }
        }

        private PathInfo? Combine(IEnumerable<IOperation> pieces, Frame frame, int depth, CancellationToken cancellationToken)
        {
            var parts = ImmutableArray.CreateBuilder<PathPart>();
            string? provider = null;
            foreach (var piece in pieces)
            {
                if (EvaluatePath(piece, frame, depth, cancellationToken) is not { } evaluated)
                {
                    return null;
                }

                parts.AddRange(evaluated.Parts);
                provider ??= evaluated.Provider;
            }

            return new PathInfo(parts.ToImmutable(), provider);
        }

        private static PathInfo Single(PartKind kind, string text) => new(ImmutableArray.Create(new PathPart(kind, text)), null);

        private bool IsEnvironmentProperty(IPropertySymbol property, string name)
            => property.Name == name
               && (Same(property.ContainingType, WebHostEnvironment) || Same(property.ContainingType, HostEnvironment));

        // ---- data flow: locals, helper parameters, helper methods ----
        private static IOperation? SingleDefinition(ILocalSymbol local, Frame frame, CancellationToken cancellationToken)
        {
            IOperation? definition = null;
            var count = 0;
            foreach (var descendant in frame.Root.Descendants())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (descendant)
                {
                    case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                        if (declarator.GetVariableInitializer() is { } initializer)
                        {
                            definition = initializer.Value;
                            count++;
                        }

                        break;
                    case IAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                        definition = assignment is ISimpleAssignmentOperation simple ? simple.Value : null;
                        count++;
                        break;
                    case IArgumentOperation { Value: ILocalReferenceOperation passed, Parameter.RefKind: RefKind.Ref or RefKind.Out }
                        when SymbolEqualityComparer.Default.Equals(passed.Local, local):
                        count += 2;
                        break;
                }
            }

            return count == 1 ? definition : null;
        }

        private static IArgumentOperation? ArgumentFor(IParameterSymbol parameter, Frame frame)
        {
            if (frame.Caller is null || !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, frame.Method))
            {
                return null;
            }

            foreach (var argument in frame.Arguments)
            {
                if (SymbolEqualityComparer.Default.Equals(argument.Parameter?.OriginalDefinition, parameter.OriginalDefinition))
                {
                    return argument;
                }
            }

            return null;
        }

        /// <summary>
        /// A helper of the handler's class, declared in the same file with one return statement (or an expression body):
        /// the returned value, read in a frame that maps the helper's parameters to the call's arguments.
        /// </summary>
        private static (IOperation Value, Frame Frame)? HelperFrame(IInvocationOperation call, Frame frame)
        {
            var method = call.TargetMethod;
            if (method.MethodKind != MethodKind.Ordinary || method.IsVirtual || method.IsAbstract || method.IsOverride || method.IsExtern
                || frame.Method?.ContainingType is not { } owner || !SymbolEqualityComparer.Default.Equals(method.ContainingType, owner)
                || frame.Model is not { } model || method.DeclaringSyntaxReferences.Length != 1)
            {
                return null;
            }

            var reference = method.DeclaringSyntaxReferences[0];
            if (reference.SyntaxTree != model.SyntaxTree || reference.GetSyntax() is not MethodDeclarationSyntax declaration
                || model.GetOperation(declaration) is not { } body)
            {
                return null;
            }

            IOperation? returned = null;
            var count = 0;
            foreach (var descendant in body.Descendants())
            {
                if (descendant is IReturnOperation { ReturnedValue: { } value } && !descendant.IsInNestedFunction(body))
                {
                    returned = value;
                    count++;
                }
            }

            return count == 1 && returned is not null
                ? (returned, new Frame(body, method, call.Arguments, frame, model))
                : null;
        }

        // ---- verdicts ----
        private static bool IsStaticFile(PathInfo path)
        {
            var hasRoot = false;
            var hasUnknown = false;
            var hasRequest = false;
            foreach (var part in path.Parts)
            {
                hasRoot |= part.Kind is PartKind.WebRoot or PartKind.ContentRoot;
                hasUnknown |= part.Kind == PartKind.Unknown;
                hasRequest |= part.Kind == PartKind.RequestValue;
            }

            if (hasUnknown)
            {
                // Something we cannot follow (a field, a service, a database value): only a constant file name
                // with a static-asset extension at the end still says "static file".
                return NamesStaticAsset(path);
            }

            if (hasRoot)
            {
                return true;
            }

            if (!hasRequest)
            {
                return true; // a constant path
            }

            // Constants and request values only: a static folder must be named.
            foreach (var part in path.Parts)
            {
                if (part.Kind == PartKind.Constant && NamesStaticFolder(part.Text))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool NamesStaticAsset(PathInfo path)
        {
            var parts = path.Parts;
            if (parts.Length == 0 || parts[parts.Length - 1] is not { Kind: PartKind.Constant } last)
            {
                return false;
            }

            var text = last.Text;
            var slash = Math.Max(text.LastIndexOf('/'), text.LastIndexOf('\\'));
            var fileName = text.Substring(slash + 1);
            var dot = fileName.LastIndexOf('.');
            if (dot <= 0)
            {
                return false;
            }

            var extension = fileName.Substring(dot);
            foreach (var candidate in StaticExtensions)
            {
                if (string.Equals(candidate, extension, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            if (string.Equals(extension, ".json", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var part in parts)
                {
                    if (part.Kind == PartKind.Constant && NamesStaticFolder(part.Text))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool NamesStaticFolder(string text)
        {
            foreach (var segment in text.Split('/', '\\'))
            {
                foreach (var folder in StaticFolders)
                {
                    if (string.Equals(segment, folder, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool UsesRequestValue(PathInfo path)
        {
            foreach (var part in path.Parts)
            {
                if (part.Kind == PartKind.RequestValue)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The path is absolute: under a web host root, or a rooted constant (what PhysicalFile requires).</summary>
        private static bool IsRooted(PathInfo path)
        {
            if (path.Provider is not null || path.Parts.Length == 0)
            {
                return false;
            }

            var first = path.Parts[0];
            var rooted = first.Kind is PartKind.WebRoot or PartKind.ContentRoot
                || (first.Kind == PartKind.Constant && first.Text.Length > 0 && (first.Text[0] is '/' or '\\' || (first.Text.Length > 2 && first.Text[1] == ':')));
            return rooted && !Contains(path, PartKind.Unknown);
        }

        private static bool Contains(PathInfo path, PartKind kind)
        {
            foreach (var part in path.Parts)
            {
                if (part.Kind == kind)
                {
                    return true;
                }
            }

            return false;
        }

        private static string Describe(PathInfo path)
        {
            string? root = null;
            var constants = new List<string>();
            var requestValues = new List<string>();
            var unknown = false;
            foreach (var part in path.Parts)
            {
                switch (part.Kind)
                {
                    case PartKind.WebRoot or PartKind.ContentRoot:
                        root ??= part.Text;
                        break;
                    case PartKind.Constant:
                        constants.Add(part.Text);
                        break;
                    case PartKind.RequestValue:
                        requestValues.Add("'" + part.Text + "'");
                        break;
                    default:
                        unknown = true;
                        break;
                }
            }

            var requestSuffix = requestValues.Count == 0 ? string.Empty : " named by the route value " + string.Join(", ", requestValues);
            if (unknown && constants.Count > 0)
            {
                return "the static asset '" + constants[constants.Count - 1] + "'" + requestSuffix;
            }

            if (root is not null)
            {
                return (path.Provider is null ? "a path under " : "a file of ") + root + requestSuffix;
            }

            return requestValues.Count == 0
                ? "the constant path '" + string.Concat(constants) + "'"
                : "a path in a static folder" + requestSuffix;
        }

        // ---- authorization: user-specific downloads ----
        private bool IsBehindAuthorization(RequestHandler handler)
        {
            var method = handler.Method;
            if (method.HasAttributeThroughOverrides(AllowAnonymous))
            {
                return false;
            }

            if (method.HasAttributeThroughOverrides(Authorize))
            {
                return true;
            }

            if (handler.Kind != RequestHandlerKind.EndpointHandler)
            {
                return method.ContainingType?.HasAttribute(Authorize, inherited: true) == true;
            }

            if (handler.Kind == RequestHandlerKind.EndpointHandler && handler.Body is { } body)
            {
                // MapGet(..., handler).RequireAuthorization()
                IOperation? current = body.Parent;
                while (current is not null and not IInvocationOperation)
                {
                    current = current.Parent;
                }

                for (var parent = current?.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IInvocationOperation { TargetMethod.Name: "RequireAuthorization" } require
                        && Same(require.TargetMethod.ContainingType, RequireAuthorization))
                    {
                        return true;
                    }

                    if (parent is not (IArgumentOperation or IConversionOperation or IInvocationOperation))
                    {
                        break;
                    }
                }
            }

            return false;
        }

        private static bool Same(ITypeSymbol? type, INamedTypeSymbol? expected)
            => type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);
    }
}
