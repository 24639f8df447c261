using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PerfRules.Tests.Web.Controllers;

namespace PerfRules.Tests.Integration;

/// <summary>
/// PERF006's antiforgery claim against the real framework (TestServer, views compiled by the Razor SDK): an output-cached
/// page whose view has a post form sets the antiforgery cookie, so the output cache never stores it and the action runs
/// for every visitor without the cookie; the same page without the token is stored and runs once. Executions are
/// counted; nothing is timed.
/// </summary>
public sealed class AntiforgeryOutputCacheIntegrationTests
{
    private const int Requests = 10;

    [Fact]
    public async Task A_cached_page_with_a_post_form_sets_the_antiforgery_cookie_and_is_rendered_for_every_request()
    {
        ContactPageController.ResetExecutions();
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.GetAsync("/contact-page/with-token");
            response.EnsureSuccessStatusCode();
            Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
            Assert.Contains("__RequestVerificationToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(Requests, ContactPageController.Executions(nameof(ContactPageController.WithToken)));
    }

    [Fact]
    public async Task The_same_cached_page_without_the_token_is_stored_and_rendered_once()
    {
        ContactPageController.ResetExecutions();
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.GetAsync("/contact-page/without-token");
            response.EnsureSuccessStatusCode();
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }

        Assert.Equal(1, ContactPageController.Executions(nameof(ContactPageController.WithoutToken)));
    }

    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(ContactPageController).Assembly.GetName().Name });
        builder.WebHost.UseTestServer();
        builder.Services.AddControllersWithViews().AddApplicationPart(typeof(ContactPageController).Assembly);
        builder.Services.AddOutputCache();
        var app = builder.Build();
        app.UseRouting();
        app.UseOutputCache();
        app.MapControllers();
        await app.StartAsync();
        return app;
    }
}
