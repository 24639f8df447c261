using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PerfRules.Tests.Integration;

/// <summary>
/// The claims of PERF002 and PERF006, checked against the real framework: an app on Kestrel (127.0.0.1, a free port) with
/// ASP.NET Core's output-caching middleware and MVC controllers written as the rules and their fixes leave them. Handler
/// executions are counted and bodies compared; nothing is timed. docs/rules/PERF002.md and PERF006.md cite these tests.
/// </summary>
public sealed class CookieCacheIntegrationTests
{
    [Fact]
    public async Task PERF002_a_cached_action_reading_a_cookie_replays_user_As_page_to_user_B()
    {
        await using var server = await CacheServer.StartAsync();

        var alice = await server.GetAsync("/greet/shared", "name=alice");
        var bob = await server.GetAsync("/greet/shared", "name=bob");

        Assert.Equal("Hello, alice", alice.Body);
        Assert.Equal("Hello, alice", bob.Body); // Bob is greeted as Alice: her page came from the cache
        Assert.Equal(1, server.Executions("shared"));
    }

    [Fact]
    public async Task PERF002_after_the_vary_fix_each_user_gets_their_own_page_and_repeated_visits_still_hit_the_cache()
    {
        await using var server = await CacheServer.StartAsync();

        var alice = await server.GetAsync("/greet/varied", "name=alice");
        var bob = await server.GetAsync("/greet/varied", "name=bob");
        var aliceAgain = await server.GetAsync("/greet/varied", "name=alice");

        Assert.Equal("Hello, alice", alice.Body);
        Assert.Equal("Hello, bob", bob.Body);
        Assert.Equal("Hello, alice", aliceAgain.Body);
        Assert.Equal(2, server.Executions("varied")); // one execution per distinct Cookie header
    }

    [Fact]
    public async Task PERF002_after_the_do_not_store_fix_each_user_gets_their_own_page_and_the_action_runs_every_time()
    {
        await using var server = await CacheServer.StartAsync();

        var alice = await server.GetAsync("/greet/nostore", "name=alice");
        var bob = await server.GetAsync("/greet/nostore", "name=bob");
        var aliceAgain = await server.GetAsync("/greet/nostore", "name=alice");

        Assert.Equal(("Hello, alice", "Hello, bob", "Hello, alice"), (alice.Body, bob.Body, aliceAgain.Body));
        Assert.Equal(3, server.Executions("nostore"));
    }

    [Fact]
    public async Task PERF002_the_do_not_store_attribute_the_fix_adds_to_an_action_overrides_its_controllers_OutputCache()
    {
        await using var server = await CacheServer.StartAsync();

        var alice = await server.GetAsync("/cached-controller/personal", "name=alice");
        var bob = await server.GetAsync("/cached-controller/personal", "name=bob");
        await server.GetAsync("/cached-controller/shared", null);
        await server.GetAsync("/cached-controller/shared", null);

        Assert.Equal(("Hello, alice", "Hello, bob"), (alice.Body, bob.Body));
        Assert.Equal(2, server.Executions("personal"));
        Assert.Equal(1, server.Executions("controller-shared")); // the controller's other actions stay cached
    }

    [Fact]
    public async Task PERF002_CacheOutput_on_MapControllers_shares_an_action_without_attributes_and_an_actions_NoStore_attribute_opts_out()
    {
        await using var server = await CacheServer.StartAsync(cacheAllControllers: true);

        var alice = await server.GetAsync("/convention/cached", "name=alice");
        var bob = await server.GetAsync("/convention/cached", "name=bob");
        var aliceOptedOut = await server.GetAsync("/convention/opted-out", "name=alice");
        var bobOptedOut = await server.GetAsync("/convention/opted-out", "name=bob");

        Assert.Equal(("Hello, alice", "Hello, alice"), (alice.Body, bob.Body));
        Assert.Equal(1, server.Executions("convention-cached"));
        Assert.Equal(("Hello, alice", "Hello, bob"), (aliceOptedOut.Body, bobOptedOut.Body));
        Assert.Equal(2, server.Executions("convention-opted-out"));
    }

    [Fact]
    public async Task PERF002_and_PERF006_with_a_public_ResponseCache_and_the_response_caching_middleware()
    {
        await using var server = await CacheServer.StartAsync();

        var alice = await server.GetAsync("/public/greet", "name=alice");
        var bob = await server.GetAsync("/public/greet", "name=bob");
        for (var i = 0; i < 3; i++)
        {
            await server.GetAsync("/public/sets-cookie", null);
        }

        Assert.Equal(("Hello, alice", "Hello, alice"), (alice.Body, bob.Body)); // PERF002: replayed by the response cache
        Assert.Equal(1, server.Executions("public-greet"));
        Assert.Equal(3, server.Executions("public-sets-cookie")); // PERF006: never stored
    }

    [Fact]
    public async Task PERF006_a_cached_action_that_sets_a_cookie_runs_on_every_request_because_its_response_is_never_stored()
    {
        await using var server = await CacheServer.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            var response = await server.GetAsync("/visit/sets-cookie", null);
            Assert.Contains("seen=1", response.SetCookie, StringComparison.Ordinal);
        }

        Assert.Equal(3, server.Executions("sets-cookie"));
    }

    [Fact]
    public async Task PERF006_the_same_cached_action_without_the_cookie_write_runs_once_and_is_served_from_the_cache()
    {
        await using var server = await CacheServer.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            var response = await server.GetAsync("/visit/plain", null);
            Assert.Equal("welcome", response.Body);
            Assert.Null(response.SetCookie);
        }

        Assert.Equal(1, server.Executions("plain"));
    }

    /// <summary>A real app on Kestrel with output caching and the controllers below.</summary>
    private sealed class CacheServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _client;

        private CacheServer(WebApplication app, HttpClient client)
        {
            _app = app;
            _client = client;
        }

        public static async Task<CacheServer> StartAsync(bool cacheAllControllers = false)
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<ExecutionCounter>();
            builder.Services.AddOutputCache();
            builder.Services.AddResponseCaching();
            builder.Services.AddControllers().AddApplicationPart(typeof(GreetingController).Assembly);
            var app = builder.Build();
            app.UseResponseCaching();
            app.UseOutputCache();
            var controllers = app.MapControllers();
            if (cacheAllControllers)
            {
                controllers.CacheOutput();
            }

            await app.StartAsync();

            var address = app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no address");
            var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(address) };
            return new CacheServer(app, client);
        }

        public int Executions(string action) => _app.Services.GetRequiredService<ExecutionCounter>().Get(action);

        public async Task<(string Body, string? SetCookie)> GetAsync(string path, string? cookie)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }

            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var setCookie = response.Headers.TryGetValues("Set-Cookie", out var values) ? string.Join("; ", values) : null;
            return (await response.Content.ReadAsStringAsync(), setCookie);
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>How many times each action ran, per app.</summary>
public sealed class ExecutionCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Add(string action) => _counts.AddOrUpdate(action, 1, static (_, count) => count + 1);

    public int Get(string action) => _counts.TryGetValue(action, out var count) ? count : 0;
}

/// <summary>PERF002 before and after each fix.</summary>
[Route("greet")]
public sealed class GreetingController(ExecutionCounter counter) : ControllerBase
{
    [HttpGet("shared")]
    [OutputCache(Duration = 60)]
    public string Shared()
    {
        counter.Add("shared");
        return "Hello, " + Request.Cookies["name"]; // PERF002
    }

    [HttpGet("varied")]
    [OutputCache(Duration = 60, VaryByHeaderNames = new[] { "Cookie" })] // after "Vary the cache by this cookie"
    public string Varied()
    {
        counter.Add("varied");
        return "Hello, " + Request.Cookies["name"];
    }

    [HttpGet("nostore")]
    [OutputCache(Duration = 60, NoStore = true)] // after "Do not store this response"
    public string NoStore()
    {
        counter.Add("nostore");
        return "Hello, " + Request.Cookies["name"];
    }
}

/// <summary>PERF002 with the cache on the controller: the fix adds an opting-out attribute to the action only.</summary>
[Route("cached-controller")]
[OutputCache(Duration = 60)]
public sealed class CachedController(ExecutionCounter counter) : ControllerBase
{
    [HttpGet("personal")]
    [OutputCache(NoStore = true)] // after "Do not store this response"
    public string Personal()
    {
        counter.Add("personal");
        return "Hello, " + Request.Cookies["name"];
    }

    [HttpGet("shared")]
    public string Shared()
    {
        counter.Add("controller-shared");
        return "same for everyone";
    }
}

/// <summary>PERF002 with the cache from <c>MapControllers().CacheOutput()</c> (only in the app that applies it).</summary>
[Route("convention")]
public sealed class ConventionController(ExecutionCounter counter) : ControllerBase
{
    [HttpGet("cached")]
    public string Cached()
    {
        counter.Add("convention-cached");
        return "Hello, " + Request.Cookies["name"];
    }

    [HttpGet("opted-out")]
    [OutputCache(NoStore = true)]
    public string OptedOut()
    {
        counter.Add("convention-opted-out");
        return "Hello, " + Request.Cookies["name"];
    }
}

/// <summary>PERF002 and PERF006 with a public <c>[ResponseCache]</c>, stored by the response caching middleware.</summary>
[Route("public")]
[ResponseCache(Duration = 60)]
public sealed class PublicController(ExecutionCounter counter) : ControllerBase
{
    [HttpGet("greet")]
    public string Greet()
    {
        counter.Add("public-greet");
        return "Hello, " + Request.Cookies["name"]; // PERF002
    }

    [HttpGet("sets-cookie")]
    public string SetsCookie()
    {
        counter.Add("public-sets-cookie");
        Response.Cookies.Append("seen", "1"); // PERF006
        return "welcome";
    }
}

/// <summary>PERF006: the same cached action with and without a cookie write.</summary>
[Route("visit")]
public sealed class VisitController(ExecutionCounter counter) : ControllerBase
{
    [HttpGet("sets-cookie")]
    [OutputCache(Duration = 60)]
    public string SetsCookie()
    {
        counter.Add("sets-cookie");
        Response.Cookies.Append("seen", "1"); // PERF006
        return "welcome";
    }

    [HttpGet("plain")]
    [OutputCache(Duration = 60)]
    public string Plain()
    {
        counter.Add("plain");
        return "welcome";
    }
}
