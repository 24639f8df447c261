using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using PerfRules.Tests.Meta;
using PerfRules.Tests.Web;
using PerfRules.Tests.Web.Controllers;

namespace PerfRules.Tests.Integration;

/// <summary>
/// PERF009/PERF010 against the real cache tag helper: views of tests/PerfRules.Tests.Web, before and after the fix,
/// compiled by the Razor SDK and served by a TestServer. Behaviour is counted, never timed.
/// </summary>
public sealed class CacheTagHelperIntegrationTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(FragmentsController).Assembly.GetName().Name });
        builder.WebHost.UseTestServer();
        builder.Services.AddControllersWithViews().AddApplicationPart(typeof(FragmentsController).Assembly);
        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        _app = builder.Build();
        _app.UseAuthentication();
        _app.MapControllers();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<string> GetAsync(string path, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-User", user);
        using var response = await _client!.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static string ViewText(string name) => File.ReadAllText(RepositoryLayout.PathOf("tests", "PerfRules.Tests.Web", "Views", "Fragments", name + ".cshtml"));

    [Fact]
    public async Task Unfixed_cached_greeting_shows_the_first_users_name_to_the_next_user()
    {
        Assert.Contains("Welcome back, alice", await GetAsync("/greeting/unfixed", "alice"));
        Assert.Contains("Welcome back, alice", await GetAsync("/greeting/unfixed", "bob"));
    }

    [Fact]
    public async Task The_view_the_PERF010_fix_produces_greets_each_user_by_name()
    {
        using var fixes = new AdditionalFileFixes(new PerUserDataInCacheTagAnalyzer(), "/app/Views/Fragments/GreetingUnfixed.cshtml", ViewText("GreetingUnfixed"));
        Assert.Equal(ViewText("GreetingFixed"), await fixes.FixOnlyDiagnosticAsync(new PerUserDataInCacheTagFixer(), PerUserDataInCacheTagFixer.VaryKey));

        Assert.Contains("Welcome back, alice", await GetAsync("/greeting/fixed", "alice"));
        Assert.Contains("Welcome back, bob", await GetAsync("/greeting/fixed", "bob"));
        Assert.Contains("Welcome back, alice", await GetAsync("/greeting/fixed", "alice"));
    }

    [Fact]
    public async Task Caching_each_item_fragment_renders_the_partial_once_per_item_instead_of_once_per_request()
    {
        const int requests = 20;
        var items = FragmentsController.Items.Length;

        RenderCounter.Reset();
        for (var i = 0; i < requests; i++)
        {
            Assert.Contains("Kettle", await GetAsync("/items/unfixed", "alice"));
        }

        Assert.Equal(requests * items, RenderCounter.Count);

        RenderCounter.Reset();
        for (var i = 0; i < requests; i++)
        {
            Assert.Contains("Kettle", await GetAsync("/items/fixed", "alice"));
        }

        Assert.Equal(items, RenderCounter.Count);
    }
}
