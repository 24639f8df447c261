// PERF003 benchmark: requests per second of a rendered Razor view (an MVC action returning View(model) over 100 products,
// the shape PERF003 reports) before the fix (no caching) and after it ([OutputCache(Duration = 60)] on the action,
// AddOutputCache() and UseOutputCache(): what "Cache the rendered output" writes), on Kestrel (127.0.0.1) with an
// in-process HttpClient sending sequential GETs. Both variants are measured in alternating rounds in one process and the
// ratio of the medians is printed. Not a test: numbers depend on the machine.
//
//   dotnet run -c Release --project benchmarks/OutputCache -- [requests per round] [rounds]
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using OutputCacheBenchmark;

var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

await using var before = await Server.StartAsync(fixedApp: false);
await using var after = await Server.StartAsync(fixedApp: true);
await before.WarmUpAsync();
await after.WarmUpAsync();

var beforeRates = new List<double>();
var afterRates = new List<double>();
for (var round = 0; round < rounds; round++)
{
    beforeRates.Add(await before.MeasureAsync(requests));
    afterRates.Add(await after.MeasureAsync(requests));
    Console.WriteLine($"round {round + 1}: before {beforeRates[^1],8:F0} req/s   after {afterRates[^1],8:F0} req/s");
}

var beforeMedian = Median(beforeRates);
var afterMedian = Median(afterRates);
Console.WriteLine($"page: {Catalog.Products.Count} products, {before.BodyLength} bytes; {requests} sequential GETs per round, {rounds} alternating rounds, after {Server.Warmup} warm-up requests each");
Console.WriteLine($"before the fix (view rendered per request): {beforeMedian,8:F0} req/s (median); action executions: {CatalogController.Executions(false)}");
Console.WriteLine($"after the fix (output cache)              : {afterMedian,8:F0} req/s (median); action executions: {CatalogController.Executions(true)}");
Console.WriteLine($"ratio (after / before): x{afterMedian / beforeMedian:F2}");

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

namespace OutputCacheBenchmark
{
    public sealed record Product(int Id, string Name, decimal Price, string[] Tags);

    public static class Catalog
    {
        public static IReadOnlyList<Product> Products { get; } = Enumerable.Range(1, 100)
            .Select(i => new Product(i, "Product " + i, 9.99m + i, ["tag" + (i % 7), "tag" + (i % 11)]))
            .ToArray();
    }

    /// <summary>The same action twice: as PERF003 reports it, and as its fix leaves it.</summary>
    public sealed class CatalogController : Controller
    {
        private static int _before;
        private static int _after;

        public static int Executions(bool fixedAction) => fixedAction ? Volatile.Read(ref _after) : Volatile.Read(ref _before);

        [HttpGet("/before")]
        public IActionResult Before()
        {
            Interlocked.Increment(ref _before);
            return View("Index", Catalog.Products);
        }

        [HttpGet("/after")]
        [OutputCache(Duration = 60)]
        public IActionResult After()
        {
            Interlocked.Increment(ref _after);
            return View("Index", Catalog.Products);
        }
    }

    internal sealed class Server : IAsyncDisposable
    {
        public const int Warmup = 3000;

        private readonly WebApplication _app;
        private readonly HttpClient _client;
        private readonly string _path;

        private Server(WebApplication app, string path)
        {
            _app = app;
            _path = path;
            _client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        }

        public int BodyLength { get; private set; }

        public static async Task<Server> StartAsync(bool fixedApp)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(CatalogController).Assembly.GetName().Name });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddControllersWithViews();
            if (fixedApp)
            {
                builder.Services.AddOutputCache(); // added by the fix
            }

            var app = builder.Build();
            app.UseRouting();
            if (fixedApp)
            {
                app.UseOutputCache(); // added by the fix
            }

            app.MapControllers();
            await app.StartAsync();
            return new Server(app, fixedApp ? "/after" : "/before");
        }

        public async Task WarmUpAsync()
        {
            for (var i = 0; i < Warmup; i++)
            {
                BodyLength = await GetAsync();
            }
        }

        public async Task<double> MeasureAsync(int requests)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < requests; i++)
            {
                await GetAsync();
            }

            stopwatch.Stop();
            return requests / stopwatch.Elapsed.TotalSeconds;
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task<int> GetAsync()
        {
            using var response = await _client.GetAsync(_path);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsByteArrayAsync();
            return body.Length;
        }
    }
}
