using Microsoft.AspNetCore.Mvc;

namespace PerfRules.Tests.Web.Controllers;

public sealed record Item(int Id, string Name);

/// <summary>Pages whose views are the "before" and "after" of the PERF009 and PERF010 fixes.</summary>
public sealed class FragmentsController : Controller
{
    public static readonly Item[] Items = [new(1, "Teapot"), new(2, "Kettle"), new(3, "Cups")];

    [HttpGet("/greeting/unfixed")]
    public IActionResult GreetingUnfixed() => View();

    [HttpGet("/greeting/fixed")]
    public IActionResult GreetingFixed() => View();

    [HttpGet("/items/unfixed")]
    public IActionResult ItemsUnfixed() => View(Items);

    [HttpGet("/items/fixed")]
    public IActionResult ItemsFixed() => View(Items);
}
