using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfRules.Clients.Tests.Infrastructure;

/// <summary>
/// A minimal Language Server Protocol client over stdio (JSON-RPC with Content-Length framing): sends requests and
/// notifications, answers the server's own requests (workspace/configuration with the given settings, capability
/// registration, progress creation), and keeps every notification. Waits are bounded; the server is killed on dispose.
/// </summary>
public sealed class LspClient : IDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly List<JsonObject> _notifications = [];
    private readonly List<JsonObject> _serverRequests = [];
    private readonly StringBuilder _stderr = new();
    private readonly Func<JsonObject, JsonNode?> _configuration;
    private int _nextId;

    private LspClient(Process process, Func<JsonObject, JsonNode?> configuration)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _configuration = configuration;
        _ = Task.Run(ReadLoopAsync);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    /// <summary>Starts <c>dotnet {arguments}</c> in <paramref name="workingDirectory"/> as the server.</summary>
    /// <param name="configuration">Answers one item of a workspace/configuration request (its "section").</param>
    public static LspClient Start(string workingDirectory, IEnumerable<string> arguments, Func<JsonObject, JsonNode?> configuration)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        DotNet.Isolate(start.Environment);
        var process = Process.Start(start) ?? throw new InvalidOperationException("the language server did not start");
        return new LspClient(process, configuration);
    }

    /// <summary>What the server wrote to stderr (its log), for failure messages.</summary>
    public string ServerLog
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Every request the server sent to the client, in order.</summary>
    public IReadOnlyList<JsonObject> ServerRequests
    {
        get
        {
            lock (_serverRequests)
            {
                return _serverRequests.ToList();
            }
        }
    }

    public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        try
        {
            return await completion.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no answer to {method} within {timeout}; server log:\n{ServerLog}");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public Task NotifyAsync(string method, JsonNode? parameters)
        => SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    /// <summary>Notifications of <paramref name="method"/> received so far.</summary>
    public IReadOnlyList<JsonObject> Notifications(string method)
    {
        lock (_notifications)
        {
            return _notifications.Where(n => (string?)n["method"] == method).ToList();
        }
    }

    /// <summary>Asks <paramref name="probe"/> every second until it returns a value or <paramref name="timeout"/> passes.</summary>
    public static async Task<T?> PollAsync<T>(Func<Task<T?>> probe, TimeSpan timeout)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (value is not null || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _writeLock.Dispose();
    }

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _writeLock.WaitAsync();
        try
        {
            await _input.WriteAsync(header);
            await _input.WriteAsync(body);
            await _input.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var output = _process.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                var length = await ReadHeaderAsync(output);
                if (length < 0)
                {
                    break;
                }

                var body = new byte[length];
                await output.ReadExactlyAsync(body);
                if (JsonNode.Parse(body) is JsonObject message)
                {
                    await DispatchAsync(message);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or EndOfStreamException or JsonException)
        {
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new IOException("the language server closed its output; log:\n" + ServerLog));
        }
    }

    private async Task DispatchAsync(JsonObject message)
    {
        var hasId = message.TryGetPropertyValue("id", out var idNode) && idNode is not null;
        var method = (string?)message["method"];
        if (method is null && hasId)
        {
            if (_pending.TryGetValue(idNode!.GetValue<int>(), out var completion))
            {
                if (message["error"] is { } error)
                {
                    completion.TrySetException(new InvalidOperationException("LSP error: " + error.ToJsonString()));
                }
                else
                {
                    completion.TrySetResult(message["result"]?.DeepClone());
                }
            }

            return;
        }

        if (method is not null && hasId)
        {
            lock (_serverRequests)
            {
                _serverRequests.Add((JsonObject)message.DeepClone());
            }

            JsonNode? result = null;
            if (method == "workspace/configuration")
            {
                var answers = new JsonArray();
                foreach (var item in message["params"]?["items"]?.AsArray() ?? [])
                {
                    answers.Add(_configuration(item as JsonObject ?? []));
                }

                result = answers;
            }

            await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = idNode!.DeepClone(), ["result"] = result });
            return;
        }

        lock (_notifications)
        {
            _notifications.Add(message);
        }
    }

    private static async Task<int> ReadHeaderAsync(Stream stream)
    {
        var line = new StringBuilder();
        var length = -1;
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return -1;
            }

            if (one[0] == '\n')
            {
                var text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (text.Length == 0)
                {
                    return length;
                }

                if (text.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(text["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            else
            {
                line.Append((char)one[0]);
            }
        }
    }
}
