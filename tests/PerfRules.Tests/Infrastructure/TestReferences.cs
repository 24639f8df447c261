using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace PerfRules.Tests.Infrastructure;

/// <summary>
/// Compilation references taken from the test process itself: the .NET and ASP.NET Core shared
/// frameworks the tests run on. Nothing is downloaded while the tests run.
/// </summary>
internal static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> NetCoreOnly = new(() => Load(typeof(object)));
    private static readonly Lazy<ImmutableArray<MetadataReference>> WithAspNetCore = new(() => Load(typeof(object), typeof(WebApplication)));

    /// <summary>An empty reference set: the references come from <see cref="AspNetCore"/> or <see cref="NetCore"/>.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    public static ImmutableArray<MetadataReference> NetCore => NetCoreOnly.Value;

    public static ImmutableArray<MetadataReference> AspNetCore => WithAspNetCore.Value;

    private static ImmutableArray<MetadataReference> Load(params Type[] anchors)
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var anchor in anchors)
        {
            var directory = Path.GetDirectoryName(anchor.Assembly.Location)!;
            foreach (var file in Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal))
            {
                if (IsManagedAssembly(file))
                {
                    builder.Add(MetadataReference.CreateFromFile(file));
                }
            }
        }

        return builder.ToImmutable();
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            return reader.HasMetadata && reader.GetMetadataReader().IsAssembly;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
