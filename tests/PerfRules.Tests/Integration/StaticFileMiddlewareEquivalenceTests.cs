using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace PerfRules.Tests.Integration;

/// <summary>
/// PERF001 "Serve with the static-file middleware": a real app on Kestrel (127.0.0.1, a free port) serving files
/// through an action and an endpoint (the code PERF001 reports), and the same app after the rewrite the doc page
/// shows (the action and endpoint removed, UseStaticFiles registered for the same URLs). The same URLs return the same
/// bytes and content type; the middleware adds validators, 304 answers and range requests.
/// </summary>
public sealed class StaticFileMiddlewareEquivalenceTests : IDisposable
{
    private const string Css = "body { font-family: system-ui, sans-serif; color: #222; }\n.price { font-weight: 600; }\n";

    private readonly string _contentRoot;

    public StaticFileMiddlewareEquivalenceTests()
    {
        _contentRoot = Path.Combine(Path.GetTempPath(), "perf001-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_contentRoot, "wwwroot", "css"));
        File.WriteAllText(Path.Combine(_contentRoot, "wwwroot", "css", "site.css"), Css);
        var logo = new byte[4096];
        new Random(1).NextBytes(logo);
        File.WriteAllBytes(Path.Combine(_contentRoot, "wwwroot", "logo.png"), logo);
    }

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    public static TheoryData<string> Urls() => new() { "/assets/css/site.css", "/logo.png" };

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task The_middleware_returns_the_same_bytes_and_content_type_as_the_handler(string url)
    {
        await using var before = await StartAsync(handlers: true);
        await using var after = await StartAsync(handlers: false);

        using var handlerResponse = await before.Client.GetAsync(url);
        using var middlewareResponse = await after.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, handlerResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, middlewareResponse.StatusCode);
        Assert.Equal(await handlerResponse.Content.ReadAsByteArrayAsync(), await middlewareResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal(handlerResponse.Content.Headers.ContentType?.MediaType, middlewareResponse.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(handlerResponse.Content.Headers.ContentType);
    }

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Only_the_middleware_sends_validators_and_answers_conditional_requests_with_304(string url)
    {
        await using var before = await StartAsync(handlers: true);
        await using var after = await StartAsync(handlers: false);

        using var handlerResponse = await before.Client.GetAsync(url);
        Assert.Null(handlerResponse.Headers.ETag);
        Assert.Null(handlerResponse.Content.Headers.LastModified);

        using var first = await after.Client.GetAsync(url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.NotNull(first.Content.Headers.LastModified);

        using var byTag = new HttpRequestMessage(HttpMethod.Get, url);
        byTag.Headers.IfNoneMatch.Add(etag!);
        using var notModifiedByTag = await after.Client.SendAsync(byTag);
        Assert.Equal(HttpStatusCode.NotModified, notModifiedByTag.StatusCode);
        Assert.Empty(await notModifiedByTag.Content.ReadAsByteArrayAsync());

        using var byDate = new HttpRequestMessage(HttpMethod.Get, url);
        byDate.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        using var notModifiedByDate = await after.Client.SendAsync(byDate);
        Assert.Equal(HttpStatusCode.NotModified, notModifiedByDate.StatusCode);

        // The handler has no validators to compare: the same conditional request gets the whole body again.
        using var handlerConditional = new HttpRequestMessage(HttpMethod.Get, url);
        handlerConditional.Headers.IfNoneMatch.Add(etag!);
        using var handlerAgain = await before.Client.SendAsync(handlerConditional);
        Assert.Equal(HttpStatusCode.OK, handlerAgain.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Only_the_middleware_answers_range_requests_with_206_and_the_requested_bytes(string url)
    {
        await using var before = await StartAsync(handlers: true);
        await using var after = await StartAsync(handlers: false);
        var whole = await after.Client.GetByteArrayAsync(url);

        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new RangeHeaderValue(10, 29);
        using var partial = await after.Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(whole[10..30], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(new ContentRangeHeaderValue(10, 29, whole.Length), partial.Content.Headers.ContentRange);

        using var handlerRange = new HttpRequestMessage(HttpMethod.Get, url);
        handlerRange.Headers.Range = new RangeHeaderValue(10, 29);
        using var handlerWhole = await before.Client.SendAsync(handlerRange);
        Assert.Equal(HttpStatusCode.OK, handlerWhole.StatusCode);
        Assert.Equal(whole, await handlerWhole.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The app: with <paramref name="handlers"/>, the reported code; without, the fixed startup.</summary>
    private async Task<RunningApp> StartAsync(bool handlers)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = _contentRoot,
            WebRootPath = Path.Combine(_contentRoot, "wwwroot"),
            ApplicationName = typeof(StaticFileMiddlewareEquivalenceTests).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddControllers().AddApplicationPart(typeof(SiteCssController).Assembly);

        var app = builder.Build();
        if (!handlers)
        {
            // What the "Serve with the static-file middleware" fix produces for the two handlers below (see StaticFileServedByHandlerServeFixTests).
            app.UseStaticFiles();
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(Path.Combine(app.Environment.WebRootPath, "css")),
                RequestPath = "/assets/css",
            });
        }

        app.UseRouting();
        if (handlers)
        {
            app.MapControllers();
            app.MapGet("/logo.png", (IWebHostEnvironment env) => Results.Bytes(File.ReadAllBytes(Path.Combine(env.WebRootPath, "logo.png")), "image/png"));
        }

        await app.StartAsync();
        var address = app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no address");
        return new RunningApp(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private sealed class RunningApp(WebApplication app, HttpClient client) : IAsyncDisposable
    {
        public HttpClient Client { get; } = client;

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

/// <summary>The action PERF001 reports in samples/ProductCatalog (the same code).</summary>
public sealed class SiteCssController : Controller
{
    private readonly IWebHostEnvironment _environment;

    public SiteCssController(IWebHostEnvironment environment) => _environment = environment;

    [HttpGet("/assets/css/site.css")]
    public IActionResult SiteCss()
    {
        var path = Path.Combine(_environment.WebRootPath, "css", "site.css");
        return File(System.IO.File.ReadAllBytes(path), "text/css");
    }
}
