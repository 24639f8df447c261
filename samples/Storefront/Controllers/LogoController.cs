using Microsoft.AspNetCore.Mvc;

namespace Storefront.Controllers;

/// <summary>The shop's logo, served through MVC although it is a file under wwwroot.</summary>
public sealed class LogoController : Controller
{
    private readonly IWebHostEnvironment _environment;

    public LogoController(IWebHostEnvironment environment) => _environment = environment;

    // PERF001: the logo is read into memory and sent by an action on every page view: no ETag, no Last-Modified,
    // no 304, no range requests, and the whole MVC pipeline for a file.
    [HttpGet("/img/logo.png")]
    public IActionResult Logo()
    {
        var path = Path.Combine(_environment.WebRootPath, "img", "logo.png");
        return File(System.IO.File.ReadAllBytes(path), "image/png");
    }
}
