using Microsoft.AspNetCore.Mvc;

namespace ProductCatalog.Controllers;

[ApiController]
[Route("reports")]
public sealed class ReportsController : ControllerBase
{
    private readonly IWebHostEnvironment _environment;

    public ReportsController(IWebHostEnvironment environment) => _environment = environment;

    // PERF004: the file is read synchronously: the request's thread-pool thread waits for the disk.
    // "Use async" turns this into 'async Task<ActionResult<string>>' with 'await File.ReadAllTextAsync(…, HttpContext.RequestAborted)'.
    [HttpGet("daily")]
    public ActionResult<string> Daily()
        => System.IO.File.ReadAllText(Path.Combine(_environment.ContentRootPath, "appsettings.json"));

    // PERF004: Thread.Sleep stands in for a slow dependency; the thread does nothing while it waits.
    [HttpGet("slow")]
    public ActionResult<string> Slow()
    {
        Thread.Sleep(50);
        return "done";
    }

    // PERF007: the export runs on a thread-pool thread nobody awaits: it is lost if the app stops,
    // its failure is never seen, and it must not touch HttpContext once the response is sent.
    [HttpPost("export")]
    public IActionResult Export()
    {
        _ = Task.Run(() => Thread.Sleep(1000));
        return Accepted();
    }
}
