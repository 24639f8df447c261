using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PerfRules.Tests.Web.Controllers;

namespace PerfRules.Tests.Integration;

/// <summary>
/// PERF003's claim against the real framework: a rendered MVC view (tests/PerfRules.Tests.Web, compiled by the Razor SDK) served
/// by a TestServer, before the fix (no caching) and in the form "Cache the rendered output" leaves the app
/// (<c>[OutputCache(Duration = 60)]</c> on the action, <c>AddOutputCache()</c>, <c>UseOutputCache()</c> before the endpoints).
/// Action executions are counted; nothing is timed. docs/rules/PERF003.md cites these tests.
/// </summary>
public sealed class OutputCacheIntegrationTests
{
    private const int Requests = 25;

    [Fact]
    public async Task Before_the_fix_the_action_and_its_view_run_for_every_GET_request()
    {
        CatalogPageController.ResetExecutions();
        await using var app = await StartAsync(registerOutputCache: false);
        using var client = app.GetTestClient();

        var bodies = await GetManyAsync(client, "/catalog-page/unfixed");

        Assert.All(bodies, body => Assert.Contains("Product 50", body, StringComparison.Ordinal));
        Assert.Equal(Requests, CatalogPageController.Executions(nameof(CatalogPageController.Unfixed)));
    }

    [Fact]
    public async Task After_the_fix_the_action_runs_once_and_every_other_request_gets_the_same_rendered_page_from_the_cache()
    {
        CatalogPageController.ResetExecutions();
        await using var app = await StartAsync(registerOutputCache: true);
        using var client = app.GetTestClient();

        var bodies = await GetManyAsync(client, "/catalog-page/fixed");

        Assert.All(bodies, body => Assert.Equal(bodies[0], body));
        Assert.Contains("Product 50", bodies[0], StringComparison.Ordinal);
        Assert.Equal(1, CatalogPageController.Executions(nameof(CatalogPageController.Fixed)));
    }

    [Fact]
    public async Task The_attribute_alone_caches_nothing_which_is_why_the_fix_registers_the_middleware()
    {
        CatalogPageController.ResetExecutions();
        await using var app = await StartAsync(registerOutputCache: false);
        using var client = app.GetTestClient();

        await GetManyAsync(client, "/catalog-page/fixed");

        Assert.Equal(Requests, CatalogPageController.Executions(nameof(CatalogPageController.Fixed)));
    }

    /// <summary>The app as Program.cs reads before the fix, or after it (the two lines the fix adds).</summary>
    private static async Task<WebApplication> StartAsync(bool registerOutputCache)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(CatalogPageController).Assembly.GetName().Name });
        builder.WebHost.UseTestServer();
        builder.Services.AddControllersWithViews().AddApplicationPart(typeof(CatalogPageController).Assembly);
        if (registerOutputCache)
        {
            builder.Services.AddOutputCache();
        }

        var app = builder.Build();
        app.UseRouting();
        if (registerOutputCache)
        {
            app.UseOutputCache();
        }

        app.MapControllers();
        await app.StartAsync();
        return app;
    }

    private static async Task<List<string>> GetManyAsync(HttpClient client, string path)
    {
        var bodies = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        return bodies;
    }
}
