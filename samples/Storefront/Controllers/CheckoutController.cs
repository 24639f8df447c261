using System.Net.Mail;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Storefront.Services;

namespace Storefront.Controllers;

public sealed record Confirmation(string OrderNumber, string Email);

public sealed class CheckoutController : Controller
{
    private readonly MailOptions _mail;

    public CheckoutController(IOptions<MailOptions> mail) => _mail = mail.Value;

    // PERF004: the confirmation e-mail is sent synchronously: the request's thread waits for the relay.
    [HttpPost("/checkout")]
    public IActionResult PlaceOrder([FromForm] string email)
    {
        var orderNumber = $"SF-{Random.Shared.Next(100_000, 999_999)}";
        using var message = new MailMessage("orders@storefront.test", email, $"Order {orderNumber}", "Thank you for your order.");
        using var smtp = new SmtpClient(_mail.Host, _mail.Port);
        smtp.Send(message);
        return View("Confirmation", new Confirmation(orderNumber, email));
    }

    // PERF007: the receipt PDF is rendered on a thread-pool thread that nobody awaits: it is lost when the app stops,
    // its failure is never seen, and the request's services are disposed under it.
    [HttpPost("/orders/{orderNumber}/receipt")]
    public IActionResult RequestReceipt(string orderNumber)
    {
        _ = Task.Run(() => RenderReceipt(orderNumber));
        return Accepted();
    }

    private static void RenderReceipt(string orderNumber)
    {
        var receipt = new System.Text.StringBuilder();
        for (var line = 0; line < 1_000; line++)
        {
            receipt.Append(orderNumber).Append(": line ").Append(line).AppendLine();
        }
    }
}
