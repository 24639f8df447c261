using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Storefront.Services;

namespace Storefront.Controllers;

/// <summary>The landing page of the newsletter's links: cached, because every campaign sends a burst of visitors.</summary>
public sealed class WelcomeController : Controller
{
    private readonly Catalog _catalog;

    public WelcomeController(Catalog catalog) => _catalog = catalog;

    // PERF006: the response sets a cookie, so the output cache never stores it: the page is rendered on every
    // request although it is marked as cached.
    [HttpGet("/welcome")]
    [OutputCache(Duration = 60)]
    public IActionResult Index(string? campaign)
    {
        Response.Cookies.Append("campaign", campaign ?? "direct");
        return View(_catalog.All);
    }
}
