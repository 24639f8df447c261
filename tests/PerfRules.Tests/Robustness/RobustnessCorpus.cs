using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PerfRules.Tests.Meta;

namespace PerfRules.Tests.Robustness;

/// <summary>A named C# source the robustness tests start from.</summary>
public sealed record CorpusSource(string Name, string Text);

/// <summary>
/// The starting sources of the robustness tests: every C# source written as a raw string in the rule tests
/// (tests/PerfRules.Tests/Rules/**.cs, markup removed, interpolation holes left empty) and every file of the
/// samples (samples/**.cs). Found on disk so that tests and samples added later are covered.
/// </summary>
internal static class RobustnessCorpus
{
    private static readonly Lazy<ImmutableArray<CorpusSource>> All = new(Load);

    // {|#0:, {|PERF005:, [|, |], |}: the markup of Microsoft.CodeAnalysis.Testing.
    private static readonly Regex Markup = new(@"\{\|[^:|{}\s]*:|\[\||\|\]|\|\}", RegexOptions.CultureInvariant);

    public static ImmutableArray<CorpusSource> Sources => All.Value;

    public static CorpusSource Get(string name) => Sources.Single(s => s.Name == name);

    /// <summary>Every Razor view of the samples and of the test web app (samples/**.cshtml, tests/PerfRules.Tests.Web/**.cshtml).</summary>
    public static ImmutableArray<CorpusSource> Views => AllViews.Value;

    private static readonly Lazy<ImmutableArray<CorpusSource>> AllViews = new(() =>
    {
        var views = ImmutableArray.CreateBuilder<CorpusSource>();
        foreach (var root in new[] { RepositoryLayout.PathOf("samples"), RepositoryLayout.PathOf("tests", "PerfRules.Tests.Web") })
        {
            foreach (var file in Directory.EnumerateFiles(root, "*.cshtml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(RepositoryLayout.Root, file).Replace('\\', '/');
                if (!relative.Contains("/obj/", StringComparison.Ordinal) && !relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    views.Add(new CorpusSource(relative, File.ReadAllText(file)));
                }
            }
        }

        return views.ToImmutable();
    });

    private static ImmutableArray<CorpusSource> Load()
    {
        var sources = ImmutableArray.CreateBuilder<CorpusSource>();
        var testsRoot = RepositoryLayout.PathOf("tests", "PerfRules.Tests", "Rules");
        foreach (var file in Directory.EnumerateFiles(testsRoot, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(RepositoryLayout.Root, file).Replace('\\', '/');
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            var index = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var text in RawStrings(root))
            {
                var source = Markup.Replace(text, string.Empty);
                if (source.Length >= 60 && (source.Contains("class ", StringComparison.Ordinal) || source.Contains(';', StringComparison.Ordinal)) && seen.Add(source))
                {
                    sources.Add(new CorpusSource($"{relative}#{index++}", source));
                }
            }
        }

        var samplesRoot = RepositoryLayout.PathOf("samples");
        foreach (var file in Directory.EnumerateFiles(samplesRoot, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(RepositoryLayout.Root, file).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            sources.Add(new CorpusSource(relative, File.ReadAllText(file)));
        }

        return sources.ToImmutable();
    }

    private static IEnumerable<string> RawStrings(SyntaxNode root)
    {
        foreach (var node in root.DescendantNodes())
        {
            switch (node)
            {
                case LiteralExpressionSyntax literal when literal.Token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken):
                    yield return literal.Token.ValueText;
                    break;
                case InterpolatedStringExpressionSyntax interpolated when interpolated.StringStartToken.IsKind(SyntaxKind.InterpolatedMultiLineRawStringStartToken):
                    var builder = new StringBuilder();
                    foreach (var content in interpolated.Contents)
                    {
                        if (content is InterpolatedStringTextSyntax textPart)
                        {
                            builder.Append(textPart.TextToken.ValueText);
                        }
                    }

                    yield return Dedent(builder.ToString());
                    break;
            }
        }
    }

    // The text parts of an interpolated raw string keep their indentation: remove the common indentation.
    private static string Dedent(string text)
    {
        var lines = text.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart(' ')));
    }
}
