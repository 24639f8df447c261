using Microsoft.AspNetCore.Mvc;

namespace ProductCatalog.Controllers;

public sealed record Product(int Id, string Name, decimal Price);

public sealed class HomeController : Controller
{
    private static readonly Product[] Catalogue =
    [
        new(1, "Teapot", 24.90m),
        new(42, "Kettle", 39.00m),
        new(7, "Cups (set of 4)", 18.50m),
    ];

    // PERF003 (advice): the catalogue page is the same for every visitor, yet its view is rendered on every request.
    [HttpGet("/home")]
    public IActionResult Index() => View(Catalogue);
}
