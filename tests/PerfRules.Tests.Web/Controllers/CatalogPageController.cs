using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace PerfRules.Tests.Web.Controllers;

/// <summary>
/// PERF003 before and after its fix: the same rendered catalog page, once as the rule finds it and once as
/// "Cache the rendered output" leaves it (<c>[OutputCache(Duration = 60)]</c>; the host adds AddOutputCache/UseOutputCache).
/// Each action counts its executions.
/// </summary>
public sealed class CatalogPageController : Controller
{
    private static readonly ConcurrentDictionary<string, int> Counts = new(StringComparer.Ordinal);

    public static IReadOnlyList<Item> Products { get; } = Enumerable.Range(1, 50).Select(i => new Item(i, "Product " + i)).ToArray();

    public static int Executions(string action) => Counts.TryGetValue(action, out var count) ? count : 0;

    public static void ResetExecutions() => Counts.Clear();

    [HttpGet("/catalog-page/unfixed")]
    public IActionResult Unfixed()
    {
        Counts.AddOrUpdate(nameof(Unfixed), 1, static (_, n) => n + 1);
        return View("Catalog", Products);
    }

    [HttpGet("/catalog-page/fixed")]
    [OutputCache(Duration = 60)]
    public IActionResult Fixed()
    {
        Counts.AddOrUpdate(nameof(Fixed), 1, static (_, n) => n + 1);
        return View("Catalog", Products);
    }
}
