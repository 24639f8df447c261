namespace PerfRules.Clients.Tests.Infrastructure;

/// <summary>
/// A folder feed holding the freshly packed PerfRules .nupkg: the one given by PERFRULES_FEED (CI packs once and
/// sets it), or packed here from src/PerfRules.Package into a temp folder. Each test run also gets its own NuGet
/// packages folder, so a repacked package of an unchanged version is never served from a stale extracted copy.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public const string FeedVariable = "PERFRULES_FEED";

    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "perfrules-clients-" + Guid.NewGuid().ToString("N"));

    public PackageFeed()
    {
        Directory.CreateDirectory(_scratch);
        var given = Environment.GetEnvironmentVariable(FeedVariable);
        if (!string.IsNullOrEmpty(given))
        {
            FeedDirectory = Path.GetFullPath(given);
        }
        else
        {
            FeedDirectory = Path.Combine(_scratch, "feed");
            // The test project references the package project, so it is built in this configuration already; packing
            // without a build, with the nuspec outside the repository, writes nothing another test project could race on.
            var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            DotNet.Run(Repository.Root, [
                "pack", Repository.PathOf("src", "PerfRules.Package", "PerfRules.Package.csproj"), "-c", configuration, "--no-build",
                "-o", FeedDirectory, "-p:NuspecOutputPath=" + Path.Combine(_scratch, "nuspec") + "/"])
                .EnsureSuccess();
        }

        var packages = Directory.GetFiles(FeedDirectory, "PerfRules.*.nupkg");
        if (packages.Length != 1)
        {
            throw new InvalidOperationException($"expected one PerfRules package in {FeedDirectory}, found {packages.Length}");
        }

        PackagePath = packages[0];
        Version = Path.GetFileNameWithoutExtension(PackagePath)["PerfRules.".Length..];
        PackagesFolder = Path.Combine(_scratch, "nuget-packages");
        Directory.CreateDirectory(PackagesFolder);
    }

    public string FeedDirectory { get; }

    public string PackagePath { get; }

    public string Version { get; }

    /// <summary>The isolated globalPackagesFolder every consumer app of this test run restores into.</summary>
    public string PackagesFolder { get; }

    /// <summary>A fresh folder for one consumer app, removed with the feed.</summary>
    public string NewAppDirectory(string name)
    {
        var directory = Path.Combine(_scratch, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private readonly Dictionary<string, object> _shared = new(StringComparer.Ordinal);

    /// <summary>A result several tests read (e.g. the default build): computed by the first test that asks.</summary>
    public T Shared<T>(string key, Func<T> create)
        where T : notnull
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(key, out var value))
            {
                value = create();
                _shared[key] = value;
            }

            return (T)value;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>All client tests share one feed and run one at a time (the machine has 2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class ClientsCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "clients";
}
