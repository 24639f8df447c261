using Microsoft.AspNetCore.Mvc;

namespace ProductCatalog.Controllers;

/// <summary>Serves the site's stylesheet through MVC: the static-file middleware already serves the same file.</summary>
public sealed class AssetsController : Controller
{
    private readonly IWebHostEnvironment _environment;

    public AssetsController(IWebHostEnvironment environment) => _environment = environment;

    // PERF001: the stylesheet is read into memory and sent by an action, on every request, with no ETag,
    // no Last-Modified, no 304 and no range support.
    [HttpGet("/assets/css/site.css")]
    public IActionResult SiteCss()
    {
        var path = Path.Combine(_environment.WebRootPath, "css", "site.css");
        return File(System.IO.File.ReadAllBytes(path), "text/css");
    }
}
