using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Storefront.Services;

public sealed class MailOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 2525;

    /// <summary>How long the relay takes to accept a message, like a real relay that checks and queues it.</summary>
    public int RelayDelayMilliseconds { get; set; } = 200;
}

/// <summary>
/// Stands in for the shop's SMTP relay: a minimal SMTP server on 127.0.0.1 that takes
/// <see cref="MailOptions.RelayDelayMilliseconds"/> to accept each message. It runs on threads of its own (not the
/// thread pool), so it answers in the same time whatever the request handlers do with their threads: it behaves
/// like a relay on another machine.
/// </summary>
public sealed class MailRelay : IHostedService
{
    private readonly MailOptions _options;
    private TcpListener? _listener;

    public MailRelay(IOptions<MailOptions> options) => _options = options.Value;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new TcpListener(IPAddress.Parse(_options.Host), _options.Port);
        _listener.Start(backlog: 512);
        new Thread(AcceptLoop) { IsBackground = true, Name = "mail-relay-accept" }.Start(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _listener?.Stop();
        return Task.CompletedTask;
    }

    private void AcceptLoop(object? state)
    {
        var listener = (TcpListener)state!;
        while (true)
        {
            TcpClient client;
            try
            {
                client = listener.AcceptTcpClient();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            new Thread(Converse) { IsBackground = true, Name = "mail-relay-session" }.Start(client);
        }
    }

    private void Converse(object? state)
    {
        using var client = (TcpClient)state!;
        try
        {
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            writer.WriteLine("220 relay.storefront.test ESMTP");
            while (reader.ReadLine() is { } line)
            {
                var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (command)
                {
                    case "EHLO":
                    case "HELO":
                        writer.WriteLine("250 relay.storefront.test");
                        break;
                    case "DATA":
                        writer.WriteLine("354 End data with <CR><LF>.<CR><LF>");
                        while (reader.ReadLine() is { } data && data != ".")
                        {
                        }

                        Thread.Sleep(_options.RelayDelayMilliseconds);
                        writer.WriteLine("250 2.0.0 Queued");
                        break;
                    case "QUIT":
                        writer.WriteLine("221 2.0.0 Bye");
                        return;
                    default:
                        writer.WriteLine("250 2.0.0 OK");
                        break;
                }
            }
        }
        catch (IOException)
        {
            // the client went away
        }
    }
}
