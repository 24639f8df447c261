using Microsoft.AspNetCore.Mvc;
using Storefront.Services;

namespace Storefront.Controllers;

public sealed class HomeController : Controller
{
    private readonly Catalog _catalog;

    public HomeController(Catalog catalog) => _catalog = catalog;

    // PERF003: the home page is the same for every anonymous visitor, yet the template is rendered on every request.
    // (Its view, Views/Home/Index.cshtml, also renders a partial per product: PERF009.)
    [HttpGet("/")]
    public IActionResult Index() => View(_catalog.All);
}
