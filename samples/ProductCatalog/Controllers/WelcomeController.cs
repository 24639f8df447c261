using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace ProductCatalog.Controllers;

/// <summary>A cached welcome page: the cache is shared by every visitor, so cookies must stay out of it.</summary>
[Route("welcome")]
[OutputCache(Duration = 60)]
public sealed class WelcomeController : ControllerBase
{
    // PERF002: the first visitor's name is cached and shown to everyone for a minute.
    [HttpGet]
    public string Index() => "Welcome back, " + (Request.Cookies["name"] ?? "guest");

    // PERF006: a response that sets a cookie is never stored, so this cache never hits.
    [HttpGet("first-visit")]
    public string FirstVisit()
    {
        Response.Cookies.Append("visited", "1");
        return "Welcome to the catalog!";
    }
}
