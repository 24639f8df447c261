using Microsoft.AspNetCore.Mvc;

namespace ProductCatalog.Controllers;

[ApiController]
[Route("products")]
public sealed class ProductsController : ControllerBase
{
    private static readonly Dictionary<int, string> Products = new()
    {
        [1] = "Teapot",
        [42] = "Kettle",
    };

    // PERF005: the regex accepts exactly the product ids an int can hold; 'int:min(0)' does it without a regex.
    [HttpGet("{id:regex(^[[0-9]]+$)}")]
    public ActionResult<string> Get(int id)
        => Products.TryGetValue(id, out var name) ? name : NotFound();

    // PERF005: a product slug; no built-in constraint accepts the same values, so name the constraint.
    [HttpGet("by-slug/{slug:regex(^[[a-z0-9-]]{{3,40}}$)}")]
    public ActionResult<string> GetBySlug(string slug)
        => Products.Values.FirstOrDefault(p => string.Equals(p, slug, StringComparison.OrdinalIgnoreCase)) is { } name ? name : NotFound();
}
