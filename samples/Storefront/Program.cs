using Microsoft.AspNetCore.Authentication.Cookies;
using Storefront.Services;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllersWithViews();
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
builder.Services.AddAuthorization();
builder.Services.AddOutputCache();
builder.Services.AddSingleton<Catalog>();
builder.Services.Configure<MailOptions>(builder.Configuration.GetSection("Mail"));
// The shop's mail relay: a slow SMTP server on 127.0.0.1 (see Services/MailRelay.cs).
builder.Services.AddHostedService<MailRelay>();

var app = builder.Build();

app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseOutputCache();

// PERF008: every request for /css/site.css runs routing, authentication and authorization before the file is served.
app.UseStaticFiles();

app.MapControllers();

app.Run();
