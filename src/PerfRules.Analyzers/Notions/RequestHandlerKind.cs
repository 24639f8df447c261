namespace PerfRules.Notions;

/// <summary>What kind of request handler a method or function is.</summary>
internal enum RequestHandlerKind
{
    None,

    /// <summary>A public action method of an MVC controller.</summary>
    MvcAction,

    /// <summary>An <c>On{Verb}[Handler][Async]</c> method of a Razor Pages <c>PageModel</c>.</summary>
    PageHandler,

    /// <summary>A lambda, local function or method group passed as the handler of a minimal-API <c>Map*</c> call.</summary>
    EndpointHandler,

    /// <summary>A conventional middleware's <c>Invoke</c>/<c>InvokeAsync</c>, or <c>IMiddleware.InvokeAsync</c>.</summary>
    Middleware,
}
