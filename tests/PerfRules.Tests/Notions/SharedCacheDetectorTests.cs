using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;
using PerfRules.Notions;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Notions;

/// <summary>
/// The shared notion "shared-cached response" (RULES.md) on its own: which handlers' responses may be stored and replayed
/// to other users, what makes them so (the source named in messages), and whether the cache varies by cookies.
/// </summary>
public sealed class SharedCacheDetectorTests
{
    private const string MvcUsings = """
        using System;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.RazorPages;
        using Microsoft.AspNetCore.OutputCaching;

        """;

    private const string ProgramUsings = """
        using System;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.OutputCaching;
        using Microsoft.Extensions.DependencyInjection;

        """;

    // ---------------------------------------------------------------- [OutputCache]

    [Fact]
    public void OutputCache_on_the_action_shares_the_response_and_is_named_with_the_action()
    {
        var caches = ForAction(MvcUsings + """
            public class HomeController : Controller { [OutputCache(Duration = 60)] public IActionResult Index() => View(); }
            """, "HomeController", "Index");

        var cache = Assert.Single(caches);
        Assert.Equal(SharedCacheKind.OutputCacheAttribute, cache.Kind);
        Assert.Equal("[OutputCache(Duration = 60)] on 'Index'", cache.Source);
        Assert.True(cache.IsOnHandler);
        Assert.False(cache.VariesByCookie);
    }

    [Fact]
    public void OutputCache_on_the_controller_shares_every_action_and_is_named_with_the_controller()
    {
        var caches = ForAction(MvcUsings + """
            [OutputCache]
            public class ProductsController : Controller { public IActionResult Index() => View(); }
            """, "ProductsController", "Index");

        var cache = Assert.Single(caches);
        Assert.Equal("[OutputCache] on 'ProductsController'", cache.Source);
        Assert.False(cache.IsOnHandler);
    }

    [Fact]
    public void OutputCache_on_an_abstract_base_controller_is_inherited()
    {
        var caches = ForAction(MvcUsings + """
            [OutputCache]
            public abstract class CachedController : Controller { }
            public class ProductsController : CachedController { public IActionResult Index() => View(); }
            """, "ProductsController", "Index");

        Assert.Equal("[OutputCache] on 'CachedController'", Assert.Single(caches).Source);
    }

    [Fact]
    public void OutputCache_NoStore_on_the_action_overrides_the_controller_attribute()
    {
        var caches = ForAction(MvcUsings + """
            [OutputCache]
            public class ProductsController : Controller { [OutputCache(NoStore = true)] public IActionResult Index() => View(); }
            """, "ProductsController", "Index");

        Assert.Empty(caches);
    }

    [Fact]
    public void OutputCache_varying_by_the_Cookie_header_in_any_case_varies_by_cookie()
    {
        var caches = ForAction(MvcUsings + """
            public class HomeController : Controller { [OutputCache(VaryByHeaderNames = new[] { "Accept", "cookie" })] public IActionResult Index() => View(); }
            """, "HomeController", "Index");

        Assert.True(Assert.Single(caches).VariesByCookie);
    }

    [Fact]
    public void OutputCache_varying_by_a_header_named_like_the_cookie_header_does_not_vary_by_cookie()
    {
        var caches = ForAction(MvcUsings + """
            public class HomeController : Controller { [OutputCache(VaryByHeaderNames = new[] { "Cookie-Consent", "Set-Cookie" })] public IActionResult Index() => View(); }
            """, "HomeController", "Index");

        Assert.False(Assert.Single(caches).VariesByCookie);
    }

    [Fact]
    public void OutputCache_on_a_POST_action_is_not_shared_because_only_GET_and_HEAD_are_stored()
    {
        var caches = ForAction(MvcUsings + """
            public class HomeController : Controller { [OutputCache, HttpPost] public IActionResult Save() => View(); }
            """, "HomeController", "Save");

        Assert.Empty(caches);
    }

    [Fact]
    public void OutputCache_on_an_action_accepting_GET_through_AcceptVerbs_is_shared()
    {
        var caches = ForAction(MvcUsings + """
            public class HomeController : Controller { [OutputCache, AcceptVerbs("POST", "GET")] public IActionResult Both() => View(); }
            """, "HomeController", "Both");

        Assert.Single(caches);
    }

    [Fact]
    public void A_user_attribute_named_OutputCache_in_another_namespace_is_not_output_caching()
    {
        var caches = ForAction("""
            using Microsoft.AspNetCore.Mvc;
            namespace MyApp { public sealed class OutputCacheAttribute : System.Attribute { } }
            namespace MyApp.Web { [MyApp.OutputCache] public class HomeController : Controller { public IActionResult Index() => View(); } }
            """, "MyApp.Web.HomeController", "Index");

        Assert.Empty(caches);
    }

    [Fact]
    public void OutputCache_with_an_unregistered_policy_name_is_not_guessed()
    {
        var facts = FactsForAction(MvcUsings + """
            public class HomeController : Controller { [OutputCache(PolicyName = "Nowhere")] public IActionResult Index() => View(); }
            """, "HomeController", "Index", out var conventions);

        Assert.True(facts.DependsOnConventions);
        Assert.Empty(facts.Resolve(conventions));
    }

    // ---------------------------------------------------------------- [ResponseCache]

    [Theory]
    [InlineData("[ResponseCache(Duration = 60)]", true)]
    [InlineData("[ResponseCache(Duration = 60, Location = ResponseCacheLocation.Any)]", true)]
    [InlineData("[ResponseCache(Duration = 60, Location = ResponseCacheLocation.Client)]", false)]
    [InlineData("[ResponseCache(Duration = 60, Location = ResponseCacheLocation.None)]", false)]
    [InlineData("[ResponseCache(Duration = 60, NoStore = true)]", false)]
    [InlineData("[ResponseCache(Duration = 0)]", false)]
    [InlineData("[ResponseCache(VaryByHeader = \"Accept\")]", false)]
    public void ResponseCache_is_shared_only_with_a_public_location_a_duration_and_no_NoStore(string attribute, bool shared)
    {
        var caches = ForAction(MvcUsings + "public class HomeController : Controller { " + attribute + " public IActionResult Index() => View(); }", "HomeController", "Index");

        Assert.Equal(shared, caches.Length == 1 && caches[0].Kind == SharedCacheKind.ResponseCacheAttribute);
    }

    [Fact]
    public void ResponseCache_varying_by_the_Cookie_header_in_a_list_varies_by_cookie()
    {
        var caches = ForAction(MvcUsings + """
            public class HomeController : Controller { [ResponseCache(Duration = 60, VaryByHeader = "Accept-Encoding, Cookie")] public IActionResult Index() => View(); }
            """, "HomeController", "Index");

        var cache = Assert.Single(caches);
        Assert.True(cache.VariesByCookie);
        Assert.Equal("[ResponseCache] on 'Index'", cache.Source); // arguments longer than 60 characters are left out of the message
    }

    [Fact]
    public void A_private_ResponseCache_on_the_action_overrides_a_public_one_on_the_controller()
    {
        var caches = ForAction(MvcUsings + """
            [ResponseCache(Duration = 60)]
            public class HomeController : Controller { [ResponseCache(Duration = 60, Location = ResponseCacheLocation.Client)] public IActionResult Index() => View(); }
            """, "HomeController", "Index");

        Assert.Empty(caches);
    }

    [Fact]
    public void ResponseCache_with_a_cache_profile_registered_in_AddControllers_uses_the_profile()
    {
        var caches = ForAction(ProgramUsings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllersWithViews(o => o.CacheProfiles.Add("Default", new CacheProfile { Duration = 60 }));
            builder.Build().Run();

            public class HomeController : Controller { [ResponseCache(CacheProfileName = "Default")] public IActionResult Index() => View(); }
            """, "HomeController", "Index");

        Assert.Equal("[ResponseCache(CacheProfileName = \"Default\")] on 'Index'", Assert.Single(caches).Source);
    }

    [Fact]
    public void ResponseCache_with_a_private_cache_profile_is_not_shared_and_the_attribute_overrides_the_profile()
    {
        var source = ProgramUsings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllersWithViews(o => o.CacheProfiles["Private"] = new CacheProfile { Duration = 60, Location = ResponseCacheLocation.Client });
            builder.Build().Run();

            public class HomeController : Controller
            {
                [ResponseCache(CacheProfileName = "Private")] public IActionResult Index() => View();
                [ResponseCache(CacheProfileName = "Private", Location = ResponseCacheLocation.Any)] public IActionResult Public() => View();
            }
            """;

        Assert.Empty(ForAction(source, "HomeController", "Index"));
        Assert.Single(ForAction(source, "HomeController", "Public"));
    }

    [Fact]
    public void ResponseCache_with_a_profile_that_is_not_registered_in_visible_code_is_not_guessed()
    {
        var facts = FactsForAction(MvcUsings + """
            public class HomeController : Controller { [ResponseCache(CacheProfileName = "Elsewhere")] public IActionResult Index() => View(); }
            """, "HomeController", "Index", out var conventions);

        Assert.True(facts.DependsOnConventions);
        Assert.Empty(facts.Resolve(conventions));
    }

    [Fact]
    public void An_attribute_still_being_typed_gives_no_answer_and_no_exception()
    {
        var facts = FactsForAction(MvcUsings + """
            public class HomeController : Controller { [OutputCache(NoStore = )] public IActionResult Index() => View(); }
            """, "HomeController", "Index", out var conventions, allowErrors: true);

        Assert.Empty(facts.Resolve(conventions));
    }

    // ---------------------------------------------------------------- Razor Pages

    [Fact]
    public void OutputCache_on_a_page_model_shares_its_GET_handlers_only()
    {
        var source = MvcUsings + """
            [OutputCache]
            public class IndexModel : PageModel { public void OnGet() { } public void OnPost() { } }
            """;

        Assert.Equal("[OutputCache] on 'IndexModel'", Assert.Single(ForAction(source, "IndexModel", "OnGet")).Source);
        Assert.True(Assert.Single(ForAction(source, "IndexModel", "OnGet")).IsOnHandler);
        Assert.Empty(ForAction(source, "IndexModel", "OnPost"));
    }

    // ---------------------------------------------------------------- endpoints

    [Fact]
    public void CacheOutput_on_the_endpoint_shares_a_GET_endpoint()
    {
        var cache = Assert.Single(ForEndpoint("""
            app.MapGet("/a", () => "a").CacheOutput();
            """, "/a"));

        Assert.Equal(SharedCacheKind.CacheOutputConvention, cache.Kind);
        Assert.Equal("'.CacheOutput()' on the endpoint", cache.Source);
    }

    [Fact]
    public void CacheOutput_on_a_POST_endpoint_or_with_NoCache_is_not_shared()
    {
        Assert.Empty(ForEndpoint("""app.MapPost("/a", () => "a").CacheOutput();""", "/a"));
        Assert.Empty(ForEndpoint("""app.MapGet("/a", () => "a").CacheOutput(b => b.NoCache());""", "/a"));
    }

    [Fact]
    public void CacheOutput_with_a_policy_varying_by_the_Cookie_header_or_a_cookie_value_varies_by_cookie()
    {
        Assert.True(Assert.Single(ForEndpoint("""app.MapGet("/a", () => "a").CacheOutput(b => b.SetVaryByHeader("Cookie"));""", "/a")).VariesByCookie);
        Assert.True(Assert.Single(ForEndpoint("""app.MapGet("/a", () => "a").CacheOutput(b => b.VaryByValue(c => new("c", c.Request.Cookies["c"] ?? "")));""", "/a")).VariesByCookie);
        Assert.False(Assert.Single(ForEndpoint("""app.MapGet("/a", () => "a").CacheOutput(b => b.SetVaryByHeader("Accept"));""", "/a")).VariesByCookie);
    }

    [Fact]
    public void CacheOutput_on_a_chained_route_group_shares_its_endpoints()
    {
        var cache = Assert.Single(ForEndpoint("""
            app.MapGroup("/g").CacheOutput().MapGet("/a", () => "a");
            """, "/a"));

        Assert.Equal("'.CacheOutput()' on the route group", cache.Source);
    }

    [Fact]
    public void CacheOutput_on_a_route_group_variable_shares_its_endpoints_whether_chained_or_applied_later()
    {
        Assert.Single(ForEndpoint("""
            var group = app.MapGroup("/g").CacheOutput();
            group.MapGet("/a", () => "a");
            """, "/a"));
        Assert.Single(ForEndpoint("""
            var group = app.MapGroup("/g");
            group.MapGet("/a", () => "a");
            group.CacheOutput();
            """, "/a"));
        Assert.Empty(ForEndpoint("""
            var group = app.MapGroup("/g");
            var other = app.MapGroup("/o");
            group.MapGet("/a", () => "a");
            other.CacheOutput();
            """, "/a"));
    }

    [Fact]
    public void A_named_policy_registered_in_AddOutputCache_is_resolved_and_an_unregistered_one_is_not_guessed()
    {
        Assert.Single(ForEndpoint("""app.MapGet("/a", () => "a").CacheOutput("Short");""", "/a",
            services: """builder.Services.AddOutputCache(o => o.AddPolicy("Short", b => b.Expire(TimeSpan.FromSeconds(5))));"""));
        Assert.Empty(ForEndpoint("""app.MapGet("/a", () => "a").CacheOutput("Short");""", "/a",
            services: """builder.Services.AddOutputCache(o => o.AddPolicy("Short", b => b.NoCache()));"""));
        Assert.Empty(ForEndpoint("""app.MapGet("/a", () => "a").CacheOutput("Missing");""", "/a"));
    }

    [Fact]
    public void A_base_policy_that_caches_shares_every_GET_endpoint_but_a_conditional_one_is_not_guessed()
    {
        var cache = Assert.Single(ForEndpoint("""app.MapGet("/a", () => "a");""", "/a",
            services: """builder.Services.AddOutputCache(o => o.AddBasePolicy(b => b.Cache()));"""));
        Assert.Equal(SharedCacheKind.OutputCacheBasePolicy, cache.Kind);

        Assert.Empty(ForEndpoint("""app.MapPost("/a", () => "a");""", "/a",
            services: """builder.Services.AddOutputCache(o => o.AddBasePolicy(b => b.Cache()));"""));
        Assert.Empty(ForEndpoint("""app.MapGet("/a", () => "a");""", "/a",
            services: """builder.Services.AddOutputCache(o => o.AddBasePolicy(b => b.With(c => c.HttpContext.Request.Path.StartsWithSegments("/blog"))));"""));
        Assert.Empty(ForEndpoint("""app.MapGet("/a", () => "a");""", "/a",
            services: """builder.Services.AddOutputCache(o => o.AddBasePolicy(b => b.Expire(TimeSpan.FromSeconds(5)), excludeDefaultPolicy: true));"""));
    }

    [Fact]
    public void CacheOutput_on_MapControllers_shares_actions_without_their_own_attribute()
    {
        var source = ProgramUsings + """
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.MapControllers().CacheOutput();
            app.Run();

            public class HomeController : Controller
            {
                public IActionResult Index() => View();
                [OutputCache(NoStore = true)] public IActionResult Fresh() => View();
            }
            """;

        Assert.Equal("'.CacheOutput()' on MapControllers()", Assert.Single(ForAction(source, "HomeController", "Index")).Source);
        Assert.Empty(ForAction(source, "HomeController", "Fresh"));
    }

    [Fact]
    public void CacheOutput_on_MapRazorPages_does_not_share_controller_actions()
    {
        var source = ProgramUsings + """
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.MapRazorPages().CacheOutput();
            app.Run();

            public class HomeController : Controller { public IActionResult Index() => View(); }
            """;

        Assert.Empty(ForAction(source, "HomeController", "Index"));
    }

    [Fact]
    public void Without_conventions_only_what_the_handler_says_is_known()
    {
        var facts = FactsForAction(MvcUsings + "public class HomeController : Controller { public IActionResult Index() => View(); }", "HomeController", "Index", out _);

        Assert.True(facts.DependsOnConventions);
        Assert.Empty(facts.Resolve(null));
    }

    // ---------------------------------------------------------------- helpers

    private static ImmutableArray<SharedCache> ForAction(string source, string typeName, string methodName)
        => FactsForAction(source, typeName, methodName, out var conventions).Resolve(conventions);

    private static HandlerCacheFacts FactsForAction(string source, string typeName, string methodName, out CacheConventions conventions, bool allowErrors = false)
    {
        var (compilation, detector) = Compile(source, allowErrors);
        conventions = CollectConventions(compilation, detector);
        var type = compilation.GetTypeByMetadataName(typeName) ?? throw new InvalidOperationException("no type " + typeName);
        var method = type.GetMembers(methodName).OfType<IMethodSymbol>().Single();
        var kind = detector.Handlers.Classify(method);
        Assert.NotEqual(RequestHandlerKind.None, kind);
        return detector.Describe(new RequestHandler(kind, method, null, false), null, CancellationToken.None);
    }

    private static ImmutableArray<SharedCache> ForEndpoint(string statements, string route, string services = "")
    {
        var source = ProgramUsings
            + "var builder = WebApplication.CreateBuilder(args);\n" + services + "\n"
            + "var app = builder.Build();\n" + statements + "\napp.Run();\n";
        var (compilation, detector) = Compile(source, allowErrors: false);
        var conventions = CollectConventions(compilation, detector);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var mapCall = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(node => model.GetOperation(node) as IInvocationOperation)
            .Single(op => op is not null && detector.Handlers.IsEndpointMapMethod(op.TargetMethod)
                          && op.Arguments.Any(a => a.Value.ConstantValue.Value as string == route))!;
        var handler = detector.Handlers.GetEndpointHandler(mapCall) ?? throw new InvalidOperationException("no handler");
        var facts = detector.Describe(new RequestHandler(RequestHandlerKind.EndpointHandler, handler.Method, handler.Lambda, false), mapCall, CancellationToken.None);
        return facts.Resolve(conventions);
    }

    private static (Compilation Compilation, SharedCacheDetector Detector) Compile(string source, bool allowErrors)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12));
        var kind = source.Contains("WebApplication.", StringComparison.Ordinal) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        var compilation = CSharpCompilation.Create("Test", [tree], TestReferences.AspNetCore, new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
        if (!allowErrors)
        {
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        }

        var types = WellKnownTypes.GetOrCreate(compilation);
        var detector = SharedCacheDetector.Create(types) ?? throw new InvalidOperationException("no detector");
        return (compilation, detector);
    }

    private static CacheConventions CollectConventions(Compilation compilation, SharedCacheDetector detector)
    {
        var conventions = new CacheConventions();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                switch (model.GetOperation(node))
                {
                    case IInvocationOperation invocation:
                        detector.Collect(invocation, conventions);
                        break;
                    case ISimpleAssignmentOperation assignment:
                        detector.Collect(assignment, conventions);
                        break;
                }
            }
        }

        return conventions;
    }
}
