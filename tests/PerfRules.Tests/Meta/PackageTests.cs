using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace PerfRules.Tests.Meta;

/// <summary>Packs PerfRules.Package into a temporary folder and opens the package it produced.</summary>
public sealed class PackageTests : IClassFixture<PackageTests.PackedPackage>
{
    private readonly PackedPackage _package;

    public PackageTests(PackedPackage package) => _package = package;

    [Fact]
    public void Package_holds_both_assemblies_under_the_roslyn_4_8_analyzer_folder_and_nothing_in_lib()
    {
        Assert.Contains("analyzers/dotnet/roslyn4.8/cs/PerfRules.Analyzers.dll", _package.Entries);
        Assert.Contains("analyzers/dotnet/roslyn4.8/cs/PerfRules.CodeFixes.dll", _package.Entries);
        Assert.DoesNotContain(_package.Entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
        Assert.DoesNotContain(_package.Entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.Contains("README.md", _package.Entries);
        Assert.Contains("LICENSE", _package.Entries);
    }

    [Fact]
    public void Nuspec_is_a_development_dependency_with_a_licence_readme_and_no_dependencies()
    {
        var nuspec = _package.Nuspec;
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("PerfRules", metadata.Element(ns + "id")!.Value);
        Assert.Equal("true", metadata.Element(ns + "developmentDependency")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Empty(metadata.Descendants(ns + "dependency"));
    }

    [Theory]
    [InlineData("PerfRules.Analyzers.dll")]
    [InlineData("PerfRules.CodeFixes.dll")]
    public void Assemblies_reference_Microsoft_CodeAnalysis_no_newer_than_4_8(string assembly)
    {
        var references = _package.AssemblyReferences("analyzers/dotnet/roslyn4.8/cs/" + assembly);
        var roslyn = references.Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(roslyn);
        Assert.All(roslyn, r => Assert.True(r.Version <= new Version(4, 8, 0, 0), $"{assembly} references {r.Name} {r.Version}"));
        Assert.DoesNotContain(references, r => r.Name == "Microsoft.CodeAnalysis.Workspaces" && assembly == "PerfRules.Analyzers.dll");
    }

    [Fact]
    public void Package_ships_the_preset_targets_and_one_global_analyzer_config_per_mode_in_buildTransitive()
    {
        Assert.Contains("buildTransitive/PerfRules.targets", _package.Entries);
        foreach (var mode in new[] { "recommended", "strict", "none" })
        {
            var config = _package.Text($"buildTransitive/config/perfrules.{mode}.globalconfig");
            Assert.Contains("is_global = true", config, StringComparison.Ordinal);
            Assert.Contains("global_level = -100", config, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(_package.Entries, e => e.StartsWith("build/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("strict", "warning")]
    [InlineData("none", "none")]
    public void Preset_sets_every_rule_of_the_release_files_and_nothing_else(string mode, string severity)
    {
        var released = new List<string>();
        foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            released.AddRange(File.ReadAllLines(RepositoryLayout.PathOf("src", "PerfRules.Analyzers", file))
                .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^PERF\d{3}\s*\|"))
                .Select(l => l[..7]));
        }

        var settings = _package.Text($"buildTransitive/config/perfrules.{mode}.globalconfig")
            .Split('\n')
            .Where(l => l.StartsWith("dotnet_diagnostic.", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .ToList();

        Assert.NotEmpty(released);
        Assert.Equal(released.Distinct().Order().Select(id => $"dotnet_diagnostic.{id}.severity = {severity}"), settings.Order());
    }

    [Fact]
    public void Recommended_preset_overrides_no_default_severity()
        => Assert.DoesNotContain("dotnet_diagnostic.", _package.Text("buildTransitive/config/perfrules.recommended.globalconfig"), StringComparison.Ordinal);

    public sealed class PackedPackage : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "perfrules-pack-" + Guid.NewGuid().ToString("N"));

        public PackedPackage()
        {
            var project = RepositoryLayout.PathOf("src", "PerfRules.Package", "PerfRules.Package.csproj");
            var start = new ProcessStartInfo("dotnet", ["pack", project, "-c", "Release", "-o", _directory, "-nologo"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
            }

            var path = Directory.GetFiles(_directory, "PerfRules.*.nupkg").Single();
            using var archive = ZipFile.OpenRead(path);
            Entries = archive.Entries.Select(e => e.FullName).ToList();
            using (var nuspecStream = archive.GetEntry("PerfRules.nuspec")!.Open())
            {
                Nuspec = XDocument.Load(nuspecStream);
            }

            foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(".globalconfig", StringComparison.Ordinal) || e.FullName.EndsWith(".targets", StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(entry.Open());
                _texts[entry.FullName] = reader.ReadToEnd();
            }

            foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal)))
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                _assemblies[entry.FullName] = copy.ToArray();
            }
        }

        private readonly Dictionary<string, byte[]> _assemblies = new(StringComparer.Ordinal);

        private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

        /// <summary>The text of a .targets or .globalconfig entry of the package.</summary>
        public string Text(string entry) => _texts.TryGetValue(entry, out var text) ? text : throw new KeyNotFoundException(entry + " is not in the package");

        public IReadOnlyList<string> Entries { get; }

        public XDocument Nuspec { get; }

        public IReadOnlyList<(string Name, Version Version)> AssemblyReferences(string entry)
        {
            using var reader = new PEReader(new MemoryStream(_assemblies[entry]));
            var metadata = reader.GetMetadataReader();
            return metadata.AssemblyReferences
                .Select(h => metadata.GetAssemblyReference(h))
                .Select(r => (metadata.GetString(r.Name), r.Version))
                .ToList();
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
