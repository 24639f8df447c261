using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace PerfRules.Tests.Web.Controllers;

/// <summary>
/// PERF006's antiforgery case: two output-cached pages, one whose view has a post form (the form tag helper generates an
/// antiforgery token, which sets the antiforgery cookie) and the same page with <c>asp-antiforgery="false"</c>. Each action
/// counts its executions.
/// </summary>
public sealed class ContactPageController : Controller
{
    private static readonly ConcurrentDictionary<string, int> Counts = new(StringComparer.Ordinal);

    public static int Executions(string action) => Counts.TryGetValue(action, out var count) ? count : 0;

    public static void ResetExecutions() => Counts.Clear();

    [HttpGet("/contact-page/with-token")]
    [OutputCache(Duration = 60)]
    public IActionResult WithToken()
    {
        Counts.AddOrUpdate(nameof(WithToken), 1, static (_, n) => n + 1);
        return View();
    }

    [HttpGet("/contact-page/without-token")]
    [OutputCache(Duration = 60)]
    public IActionResult WithoutToken()
    {
        Counts.AddOrUpdate(nameof(WithoutToken), 1, static (_, n) => n + 1);
        return View();
    }

    [HttpPost("/contact-page/send")]
    public IActionResult Send() => NoContent();
}
