using Microsoft.AspNetCore.Mvc;
using Storefront.Services;

namespace Storefront.Controllers;

[ApiController]
public sealed class ProductsController : ControllerBase
{
    private readonly Catalog _catalog;

    public ProductsController(Catalog catalog) => _catalog = catalog;

    // PERF005: a regex for product ids, where the built-in 'int' constraint (with min(0)) accepts the same ids.
    [HttpGet("/api/products/{id:regex(^\\d+$)}")]
    public ActionResult<Product> Get(int id) => _catalog.Find(id) is { } product ? product : NotFound();
}
