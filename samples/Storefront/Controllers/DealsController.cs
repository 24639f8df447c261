using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Storefront.Services;

namespace Storefront.Controllers;

public sealed record DealsPage(string Greeting, IEnumerable<Product> Deals);

/// <summary>Today's deals: an expensive page, so it is output-cached for everyone.</summary>
public sealed class DealsController : Controller
{
    private readonly Catalog _catalog;

    public DealsController(Catalog catalog) => _catalog = catalog;

    // PERF002: the greeting comes from the visitor's cookie, but the page is cached for everybody: the first
    // visitor's name is shown to all visitors for a minute.
    [HttpGet("/deals")]
    [OutputCache(Duration = 60)]
    public IActionResult Index()
    {
        var name = Request.Cookies["customer_name"];
        var greeting = name is null ? "Today's deals" : $"Welcome back, {name}: today's deals";
        return View(new DealsPage(greeting, _catalog.Deals));
    }
}
