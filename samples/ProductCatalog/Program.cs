var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllersWithViews();
builder.Services.AddAuthorization();

var app = builder.Build();

app.UseAuthorization();

// PERF008: every request for /css/site.css runs the authorization middleware before the file is served.
app.UseStaticFiles();

app.MapControllers();

// PERF005: an inline regex where the built-in 'int' constraint (with min(0)) does the same job.
app.MapGet("/orders/{id:regex(^\\d+$)}", (int id) => Results.Ok(new { id, status = "shipped" }));

// PERF005: an unanchored regex: it accepts any value that merely contains a digit ("abc1").
app.MapGet("/invoices/{number:regex(\\d+)}", (string number) => Results.Ok(new { number }));

app.MapGet("/", () => "ProductCatalog sample: try /products/42, /orders/7, /invoices/INV-1, /css/site.css");

app.Run();
