using System.Security;
using System.Text.RegularExpressions;

namespace PerfRules.Clients.Tests.Infrastructure;

/// <summary>
/// A generated ASP.NET Core app in a temp folder that references PerfRules as users do: a PackageReference
/// restored from the test run's folder feed through a nuget.config of its own.
/// </summary>
public sealed partial class ConsumerApp
{
    /// <summary>The app's entry point: a builder local (the extract fix registers constraints after it).</summary>
    public const string ProgramSource = """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.MapGet("/", () => "consumer app");
        app.Run();

        """;

    private ConsumerApp(string directory, string targetFramework)
    {
        Directory = directory;
        TargetFramework = targetFramework;
    }

    public string Directory { get; }

    public string TargetFramework { get; }

    public string ProjectPath => Path.Combine(Directory, "App.csproj");

    /// <summary>
    /// Writes the app: project, nuget.config, Program.cs and the given source files (relative path → text).
    /// <paramref name="publicFeed"/> adds the public NuGet feed for everything but PerfRules (package source
    /// mapping keeps PerfRules on the local feed): older target frameworks need their targeting packs from it.
    /// </summary>
    public static ConsumerApp Create(
        PackageFeed feed,
        string name,
        IEnumerable<KeyValuePair<string, string>> files,
        string targetFramework = "net10.0",
        string? perfRulesMode = null,
        bool publicFeed = false)
    {
        var app = new ConsumerApp(feed.NewAppDirectory(name), targetFramework);
        var mode = perfRulesMode is null ? string.Empty : $"\n    <PerfRulesMode>{perfRulesMode}</PerfRulesMode>";
        app.Write("App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>{targetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RootNamespace>App</RootNamespace>{mode}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PerfRules" Version="{feed.Version}" />
              </ItemGroup>
            </Project>

            """);
        var local = SecurityElement.Escape(feed.FeedDirectory);
        var sources = publicFeed
            ? $"""
                  <add key="perfrules-local" value="{local}" />
                  <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                </packageSources>
                <packageSourceMapping>
                  <packageSource key="perfrules-local"><package pattern="PerfRules" /></packageSource>
                  <packageSource key="nuget.org"><package pattern="*" /></packageSource>
                </packageSourceMapping>
              """
            : $"""
                  <add key="perfrules-local" value="{local}" />
                </packageSources>
              """;
        app.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{SecurityElement.Escape(feed.PackagesFolder)}" />
              </config>
              <packageSources>
                <clear />
            {sources}
            </configuration>

            """);
        // An empty root .editorconfig: nothing above the temp folder configures the app.
        app.Write(".editorconfig", "root = true\n");
        app.Write("Program.cs", ProgramSource);
        foreach (var (path, text) in files)
        {
            app.Write(path, text);
        }

        return app;
    }

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    public CommandResult Run(params string[] arguments) => DotNet.Run(Directory, arguments);

    public CommandResult Restore() => Run("restore", ProjectPath);

    /// <summary>Builds the app (restoring first unless told not to) and parses the diagnostics it printed.</summary>
    public BuildOutput Build(params string[] extraArguments)
    {
        var result = Run(["build", ProjectPath, "--no-incremental", "-v:m", .. extraArguments]);
        return new BuildOutput(result, ParseDiagnostics(result.Output, Directory));
    }

    private static IReadOnlyList<BuildDiagnostic> ParseDiagnostics(string output, string directory)
    {
        var diagnostics = new List<BuildDiagnostic>();
        foreach (var line in output.Split('\n'))
        {
            var match = DiagnosticLine().Match(line.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var file = match.Groups["file"].Value.Trim();
            var diagnostic = new BuildDiagnostic(
                match.Groups["id"].Value,
                match.Groups["severity"].Value,
                Path.GetRelativePath(directory, file).Replace('\\', '/'),
                int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["message"].Value);
            if (!diagnostics.Contains(diagnostic))
            {
                diagnostics.Add(diagnostic); // MSBuild prints each diagnostic again in its summary
            }
        }

        return diagnostics;
    }

    [GeneratedRegex(@"^(?<file>[^(]+)\((?<line>\d+),(?<column>\d+)\): (?<severity>warning|error|info) (?<id>[A-Z]+[0-9]+): (?<message>.*) \[[^\]]+\]$")]
    private static partial Regex DiagnosticLine();
}

/// <summary>One diagnostic line of a build: id, severity, file (relative to the app), line and column (1-based).</summary>
public sealed record BuildDiagnostic(string Id, string Severity, string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}): {Severity} {Id}: {Message}";
}

/// <summary>A build's result and its parsed diagnostics.</summary>
public sealed record BuildOutput(CommandResult Result, IReadOnlyList<BuildDiagnostic> Diagnostics)
{
    public bool Succeeded => Result.ExitCode == 0;

    public IReadOnlyList<BuildDiagnostic> Perf => Diagnostics.Where(d => d.Id.StartsWith("PERF", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<BuildDiagnostic> Errors => Diagnostics.Where(d => d.Severity == "error").ToList();

    public override string ToString() => Result.ToString();
}
