// PERF001 benchmark: requests per second and allocated bytes of an MVC action that reads a file into memory
// (the shape PERF001 reports) against the static-file middleware serving the same file, on Kestrel (127.0.0.1),
// with an in-process HttpClient sending a fixed number of sequential GETs. Not a test: numbers depend on the machine;
// compare the ratio printed at the end, measured in one run.
//
//   dotnet run -c Release --project benchmarks/StaticFiles -- [requests] [fileKiB]
using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.FileProviders;

var requests = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5000;
var fileKiB = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 32;

var contentRoot = Path.Combine(Path.GetTempPath(), "perf001-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(Path.Combine(contentRoot, "wwwroot", "css"));
var content = new byte[fileKiB * 1024];
new Random(1).NextBytes(content);
File.WriteAllBytes(Path.Combine(contentRoot, "wwwroot", "css", "site.css"), content);

try
{
    var action = await MeasureAsync(contentRoot, useMiddleware: false, requests);
    var middleware = await MeasureAsync(contentRoot, useMiddleware: true, requests);
    Console.WriteLine($"file: {fileKiB} KiB, requests per variant: {requests} (after {Warmup} warm-up requests)");
    Console.WriteLine($"action     : {action.RequestsPerSecond,10:F0} req/s  {action.BytesPerRequest,10:F0} B allocated/request");
    Console.WriteLine($"middleware : {middleware.RequestsPerSecond,10:F0} req/s  {middleware.BytesPerRequest,10:F0} B allocated/request");
    Console.WriteLine($"ratio (middleware / action): throughput x{middleware.RequestsPerSecond / action.RequestsPerSecond:F2}, allocations x{middleware.BytesPerRequest / action.BytesPerRequest:F2}");
}
finally
{
    Directory.Delete(contentRoot, recursive: true);
}

static async Task<Result> MeasureAsync(string contentRoot, bool useMiddleware, int requests)
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        ContentRootPath = contentRoot,
        WebRootPath = Path.Combine(contentRoot, "wwwroot"),
        ApplicationName = typeof(AssetsController).Assembly.GetName().Name,
    });
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.ClearProviders();
    builder.Services.AddControllers();
    var app = builder.Build();
    if (useMiddleware)
    {
        // What PERF001's "Serve with the static-file middleware" fix registers for the action below.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(app.Environment.WebRootPath, "css")),
            RequestPath = "/assets/css",
        });
    }

    app.UseRouting();
    if (!useMiddleware)
    {
        app.MapControllers();
    }

    await app.StartAsync();
    try
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        for (var i = 0; i < Warmup; i++)
        {
            await Get(client);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            await Get(client);
        }

        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new Result(requests / stopwatch.Elapsed.TotalSeconds, (double)allocated / requests);
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    static async Task Get(HttpClient client)
    {
        using var response = await client.GetAsync("/assets/css/site.css");
        response.EnsureSuccessStatusCode();
        await response.Content.CopyToAsync(Stream.Null);
    }
}

internal readonly record struct Result(double RequestsPerSecond, double BytesPerRequest);

/// <summary>The action PERF001 reports in samples/ProductCatalog.</summary>
public sealed class AssetsController : Controller
{
    private readonly IWebHostEnvironment _environment;

    public AssetsController(IWebHostEnvironment environment) => _environment = environment;

    [HttpGet("/assets/css/site.css")]
    public IActionResult SiteCss()
    {
        var path = Path.Combine(_environment.WebRootPath, "css", "site.css");
        return File(System.IO.File.ReadAllBytes(path), "text/css");
    }
}

internal static partial class Program
{
    private const int Warmup = 500;
}
