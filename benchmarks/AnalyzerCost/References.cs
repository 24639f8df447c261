using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace PerfRules.Benchmarks;

/// <summary>Compilation references from the SDK's targeting packs (reference assemblies, as a real build uses).</summary>
internal sealed class ReferenceSet
{
    private ReferenceSet(string netCorePack, string aspNetCorePack)
    {
        NetCorePack = netCorePack;
        AspNetCorePack = aspNetCorePack;
        NetCore = Load(netCorePack);
        AspNetCore = NetCore.AddRange(Load(aspNetCorePack));
    }

    public string NetCorePack { get; }

    public string AspNetCorePack { get; }

    public ImmutableArray<MetadataReference> NetCore { get; }

    public ImmutableArray<MetadataReference> AspNetCore { get; }

    public static ReferenceSet FromSdk()
    {
        // <dotnet root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        return new ReferenceSet(LatestPack(dotnetRoot, "Microsoft.NETCore.App.Ref"), LatestPack(dotnetRoot, "Microsoft.AspNetCore.App.Ref"));
    }

    private static string LatestPack(string dotnetRoot, string name)
    {
        var major = Environment.Version.Major;
        return Directory.EnumerateDirectories(Path.Combine(dotnetRoot, "packs", name))
            .Where(d => Version.TryParse(Path.GetFileName(d), out var v) && v.Major == major)
            .OrderBy(d => Version.Parse(Path.GetFileName(d)))
            .LastOrDefault() ?? throw new InvalidOperationException($"no {name} {major}.x pack under {dotnetRoot}/packs");
    }

    private static ImmutableArray<MetadataReference> Load(string pack)
    {
        var folder = Path.Combine(pack, "ref", $"net{Environment.Version.Major}.0");
        return Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToImmutableArray();
    }
}
