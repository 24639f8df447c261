namespace PerfRules.Infrastructure;

/// <summary>
/// Framework types PerfRules recognises. The names are the fully qualified metadata names;
/// see <see cref="WellKnownTypes"/> for how they are resolved.
/// Add new members at the end of a group; the order carries no meaning.
/// </summary>
internal enum WellKnownType
{
    // hosting and HTTP
    Microsoft_AspNetCore_Http_HttpContext,
    Microsoft_AspNetCore_Http_HttpRequest,
    Microsoft_AspNetCore_Http_HttpResponse,
    Microsoft_AspNetCore_Http_RequestDelegate,
    Microsoft_AspNetCore_Http_IMiddleware,
    Microsoft_AspNetCore_Builder_WebApplication,
    Microsoft_AspNetCore_Builder_WebApplicationBuilder,

    // routing
    Microsoft_AspNetCore_Routing_IEndpointRouteBuilder,
    Microsoft_AspNetCore_Routing_IRouteBuilder,
    Microsoft_AspNetCore_Mvc_Routing_IRouteTemplateProvider,
    Microsoft_AspNetCore_Routing_IRouteConstraint,
    Microsoft_AspNetCore_Routing_RouteOptions,
    Microsoft_AspNetCore_Routing_RouteValueDictionary,
    Microsoft_AspNetCore_Routing_RouteGroupBuilder,
    Microsoft_AspNetCore_Routing_Constraints_RegexRouteConstraint,
    Microsoft_AspNetCore_Routing_Constraints_RegexInlineRouteConstraint,
    Microsoft_AspNetCore_Routing_Patterns_RoutePatternFactory,
    Microsoft_AspNetCore_Builder_EndpointRouteBuilderExtensions,
    Microsoft_AspNetCore_Builder_FallbackEndpointRouteBuilderExtensions,

    // MVC and Razor Pages
    Microsoft_AspNetCore_Mvc_ControllerBase,
    Microsoft_AspNetCore_Mvc_ControllerAttribute,
    Microsoft_AspNetCore_Mvc_NonControllerAttribute,
    Microsoft_AspNetCore_Mvc_NonActionAttribute,
    Microsoft_AspNetCore_Mvc_RazorPages_PageModel,
    Microsoft_AspNetCore_Mvc_RazorPages_NonHandlerAttribute,
    Microsoft_AspNetCore_Mvc_FromRouteAttribute,

    // BCL
    System_Text_RegularExpressions_GeneratedRegexAttribute,

    // PERF008
    Microsoft_AspNetCore_Builder_IApplicationBuilder,
    Microsoft_AspNetCore_Builder_StaticFileExtensions,
    Microsoft_AspNetCore_Builder_AuthAppBuilderExtensions,
    Microsoft_AspNetCore_Builder_AuthorizationAppBuilderExtensions,
    Microsoft_AspNetCore_Builder_SessionMiddlewareExtensions,
    Microsoft_AspNetCore_Builder_ResponseCompressionBuilderExtensions,
    Microsoft_AspNetCore_Builder_EndpointRoutingApplicationBuilderExtensions,
    Microsoft_AspNetCore_Builder_UseMiddlewareExtensions,
    Microsoft_AspNetCore_Builder_UseExtensions,

    // PERF009, PERF010 (Razor views)
    Microsoft_AspNetCore_Mvc_TagHelpers_CacheTagHelper,

    // PERF004, PERF007
    System_Threading_Thread,
    System_Threading_ThreadPool,
    System_Threading_Tasks_Task,
    System_Threading_Tasks_ValueTask,
    System_Threading_Tasks_TaskFactory,
    System_Threading_CancellationToken,
    System_Threading_CancellationTokenSource,
    System_Diagnostics_Process,
    System_Net_Mail_SmtpClient,
    System_Net_WebClient,
    System_IO_MemoryStream,
    System_IO_StringReader,
    System_IO_StringWriter,
    System_Security_Cryptography_Rfc2898DeriveBytes,
    Microsoft_AspNetCore_Cryptography_KeyDerivation_KeyDerivation,
    System_ObsoleteAttribute,

    // PERF002, PERF006 (shared-cached response, cookies, session, TempData)
    Microsoft_AspNetCore_OutputCaching_OutputCacheAttribute,
    Microsoft_AspNetCore_OutputCaching_OutputCacheOptions,
    Microsoft_AspNetCore_OutputCaching_OutputCachePolicyBuilder,
    Microsoft_Extensions_DependencyInjection_OutputCacheConventionBuilderExtensions,
    Microsoft_AspNetCore_Mvc_ResponseCacheAttribute,
    Microsoft_AspNetCore_Mvc_CacheProfile,
    Microsoft_AspNetCore_Mvc_MvcOptions,
    Microsoft_AspNetCore_Mvc_Routing_HttpMethodAttribute,
    Microsoft_AspNetCore_Builder_ControllerEndpointRouteBuilderExtensions,
    Microsoft_AspNetCore_Builder_RazorPagesEndpointRouteBuilderExtensions,
    Microsoft_AspNetCore_Http_IRequestCookieCollection,
    Microsoft_AspNetCore_Http_IResponseCookies,
    Microsoft_AspNetCore_Http_IHeaderDictionary,
    Microsoft_AspNetCore_Http_HeaderDictionaryExtensions,
    Microsoft_AspNetCore_Http_ISession,
    Microsoft_AspNetCore_Http_SessionExtensions,
    Microsoft_AspNetCore_Http_Results,
    Microsoft_AspNetCore_Http_TypedResults,
    Microsoft_AspNetCore_Mvc_ViewFeatures_ITempDataDictionary,
    Microsoft_AspNetCore_Authentication_AuthenticationHttpContextExtensions,
    Microsoft_AspNetCore_Mvc_HttpGetAttribute,
    Microsoft_AspNetCore_Mvc_AcceptVerbsAttribute,

    // PERF001
    Microsoft_AspNetCore_Http_SendFileResponseExtensions,
    Microsoft_AspNetCore_Http_HttpResponseWritingExtensions,
    Microsoft_AspNetCore_Hosting_IWebHostEnvironment,
    Microsoft_Extensions_Hosting_IHostEnvironment,
    Microsoft_Extensions_FileProviders_IFileProvider,
    Microsoft_Extensions_FileProviders_IFileInfo,
    Microsoft_AspNetCore_Authorization_AuthorizeAttribute,
    Microsoft_AspNetCore_Authorization_AllowAnonymousAttribute,
    System_IO_File,
    System_IO_FileStream,
    System_IO_Path,
    System_IO_Stream,
    Microsoft_AspNetCore_Builder_AuthorizationEndpointConventionBuilderExtensions,
    Microsoft_AspNetCore_Mvc_RouteAttribute,

    // PERF006: renders whose view generates an antiforgery token
    Microsoft_AspNetCore_Mvc_Controller,
    Microsoft_AspNetCore_Mvc_ActionNameAttribute,

    // PERF004/PERF007 offload fix
    Microsoft_AspNetCore_Mvc_FromServicesAttribute,
    Microsoft_AspNetCore_Http_IHttpContextAccessor,
    Microsoft_Extensions_DependencyInjection_ServiceProviderServiceExtensions,
    Microsoft_Extensions_DependencyInjection_ServiceCollectionServiceExtensions,
    Microsoft_Extensions_DependencyInjection_ServiceCollectionHostedServiceExtensions,
    Microsoft_Extensions_DependencyInjection_IServiceCollection,
    Microsoft_Extensions_Hosting_BackgroundService,
    System_Threading_Channels_Channel,
    System_Guid,
    System_TimeSpan,
    System_DateTimeOffset,
    System_DateOnly,
    System_TimeOnly,
    System_Uri,

    // PERF003 (template renders, output-cache registration)
    Microsoft_AspNetCore_Mvc_ViewResult,
    Microsoft_AspNetCore_Mvc_PartialViewResult,
    Microsoft_AspNetCore_Mvc_ViewComponentResult,
    Microsoft_AspNetCore_Mvc_RazorPages_PageResult,
    Microsoft_AspNetCore_Http_HttpResults_RazorComponentResult,
    Microsoft_Extensions_DependencyInjection_OutputCacheServiceCollectionExtensions,
    Microsoft_AspNetCore_Builder_OutputCacheApplicationBuilderExtensions,
}
