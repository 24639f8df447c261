using Microsoft.CodeAnalysis;

namespace PerfRules.Notions;

/// <summary>What makes a response shared-cached.</summary>
internal enum SharedCacheKind
{
    /// <summary><c>[OutputCache]</c> on the action, page model, controller or a base controller.</summary>
    OutputCacheAttribute,

    /// <summary><c>[ResponseCache]</c> with a public (<c>Any</c>) location and a duration, directly or through a cache profile.</summary>
    ResponseCacheAttribute,

    /// <summary><c>.CacheOutput(…)</c> on the endpoint, its route group, <c>MapControllers()</c> or <c>MapRazorPages()</c>.</summary>
    CacheOutputConvention,

    /// <summary>An output-cache base policy (<c>AddOutputCache(o =&gt; o.AddBasePolicy(…))</c>) that caches every GET request.</summary>
    OutputCacheBasePolicy,
}

/// <summary>
/// One reason a handler's response may be stored and replayed to other users (RULES.md, "Shared-cached response").
/// </summary>
/// <param name="Kind">Which mechanism stores the response.</param>
/// <param name="Source">How the source reads in a message: "[OutputCache] on ProductsController", "'.CacheOutput()' on the route group".</param>
/// <param name="VariesByCookie">
/// The cache keys its entries by the <c>Cookie</c> request header (<c>VaryByHeaderNames</c>/<c>VaryByHeader</c>/<c>SetVaryByHeader</c>
/// naming "Cookie") or by a value computed from the request's cookies (<c>VaryByValue</c> reading <c>Request.Cookies</c>).
/// </param>
/// <param name="Attribute">The attribute that makes the response cached, when it is an attribute.</param>
/// <param name="IsOnHandler">The attribute sits on the handler method itself (or, for a page handler, on its page model).</param>
internal sealed record SharedCache(SharedCacheKind Kind, string Source, bool VariesByCookie, SyntaxReference? Attribute, bool IsOnHandler);
