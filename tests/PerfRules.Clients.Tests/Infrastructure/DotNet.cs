using System.Diagnostics;

namespace PerfRules.Clients.Tests.Infrastructure;

/// <summary>Runs the dotnet CLI as a user would, with a bounded wait and the output captured.</summary>
internal static class DotNet
{
    /// <summary>Generous bound for one command on a busy 2-core machine; a command that exceeds it is killed.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(6);

    public static CommandResult Run(string workingDirectory, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        // The output goes to files, not pipes: build servers started by the command (compiler server, MSBuild nodes)
        // inherit the process's handles and would keep a pipe open after the command itself has exited.
        var outputFile = Path.Combine(Path.GetTempPath(), "perfrules-cmd-" + Guid.NewGuid().ToString("N") + ".log");
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$@\" >\"$PERFRULES_OUTPUT\" 2>&1");
        start.ArgumentList.Add("dotnet");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Isolate(start.Environment);
        start.Environment["PERFRULES_OUTPUT"] = outputFile;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', start.ArgumentList.Skip(3))} did not finish within {limit}:\n{ReadAndDelete(outputFile)}");
        }

        return new CommandResult(string.Join(' ', start.ArgumentList.Skip(3)), process.ExitCode, ReadAndDelete(outputFile));
    }

    /// <summary>
    /// Removes what the test host's own MSBuild/SDK environment would leak into a nested command, so the consumer
    /// app is built by the machine's SDK exactly as a user's shell would build it.
    /// </summary>
    public static void Isolate(IDictionary<string, string?> environment)
    {
        foreach (var key in environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key is "DOTNET_HOST_PATH" or "CI" or "TreatWarningsAsErrors" or "Configuration")
            {
                environment.Remove(key);
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en-US";
    }

    private static string ReadAndDelete(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>The exit code and combined output of one dotnet command.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output)
{
    public CommandResult EnsureSuccess()
        => ExitCode == 0 ? this : throw new InvalidOperationException($"dotnet {Command} exited with {ExitCode}:\n{Output}");

    public override string ToString() => $"dotnet {Command} (exit {ExitCode})\n{Output}";
}
