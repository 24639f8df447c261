using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PerfRules.Tests.Robustness;

/// <summary>A mutated source: what was done to it, and the text.</summary>
public sealed record Mutant(string Description, string Text);

/// <summary>
/// Deterministic mutations of a source (a fixed seed per source): code being typed, deleted, mis-braced,
/// renamed to unicode. Bounded counts keep the suite fast.
/// </summary>
internal static class Mutations
{
    public const int Truncations = 2;
    public const int TokenDeletions = 2;

    public static IEnumerable<Mutant> Of(string source, int seed)
    {
        var random = new Random(seed);
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToArray();
        if (tokens.Length == 0)
        {
            yield break;
        }

        // Truncated at evenly spread points, each moved by a random offset (mid-token cuts included).
        for (var i = 1; i <= Truncations; i++)
        {
            var at = Math.Clamp((source.Length * i / (Truncations + 1)) + random.Next(-7, 8), 0, source.Length);
            yield return new Mutant($"truncated at {at}", source[..at]);
        }

        // Truncated just after a random token (the editor state after typing that token).
        var after = tokens[random.Next(tokens.Length)];
        yield return new Mutant($"truncated after token '{after.Text}' at {after.Span.End}", source[..after.Span.End]);

        // One to three random tokens deleted.
        for (var i = 0; i < TokenDeletions; i++)
        {
            var count = 1 + random.Next(3);
            var deleted = Enumerable.Range(0, count).Select(_ => tokens[random.Next(tokens.Length)]).DistinctBy(t => t.SpanStart).OrderByDescending(t => t.SpanStart).ToArray();
            var text = source;
            foreach (var token in deleted)
            {
                text = text.Remove(token.SpanStart, token.Span.Length);
            }

            yield return new Mutant($"deleted {string.Join(", ", deleted.Select(t => $"'{t.Text}' at {t.SpanStart}"))}", text);
        }

        // Unbalanced braces: an extra '{' before a random token, a random '}' removed.
        var open = tokens[random.Next(tokens.Length)];
        yield return new Mutant($"'{{' inserted at {open.SpanStart}", source.Insert(open.SpanStart, "{ "));
        var closers = tokens.Where(t => t.IsKind(SyntaxKind.CloseBraceToken)).ToArray();
        if (closers.Length > 0)
        {
            var closer = closers[random.Next(closers.Length)];
            yield return new Mutant($"'}}' removed at {closer.SpanStart}", source.Remove(closer.SpanStart, 1));
        }

        // Unicode identifiers: every identifier of the source renamed consistently, and escapes in identifiers.
        yield return new Mutant("identifiers renamed to unicode", RenameIdentifiers(source, tokens, name => name + "_Ωμέγα名前"));
        yield return new Mutant("identifiers written with unicode escapes", RenameIdentifiers(source, tokens, EscapeFirstLetter));
    }

    private static string RenameIdentifiers(string source, SyntaxToken[] tokens, Func<string, string> rename)
    {
        // Only names declared in the source itself, so that references to framework members still bind.
        var root = tokens[0].SyntaxTree!.GetRoot();
        var declared = root.DescendantNodes()
            .Select(n => n switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax t => t.Identifier,
                Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax m => m.Identifier,
                Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax v => v.Identifier,
                Microsoft.CodeAnalysis.CSharp.Syntax.ParameterSyntax p => p.Identifier,
                Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax p => p.Identifier,
                _ => default,
            })
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText.Length > 1)
            .Select(t => t.ValueText)
            .ToHashSet(StringComparer.Ordinal);
        var builder = new StringBuilder(source);
        foreach (var token in tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken) && declared.Contains(t.ValueText)).OrderByDescending(t => t.SpanStart))
        {
            builder.Remove(token.SpanStart, token.Span.Length).Insert(token.SpanStart, rename(token.ValueText));
        }

        return builder.ToString();
    }

    private static string EscapeFirstLetter(string name) => $"\\u{(int)name[0]:X4}{name[1..]}";

    /// <summary>A minimal API and a controller whose bodies hold thousands of statements and routes.</summary>
    public static string HugeMethods(int statements)
    {
        var builder = new StringBuilder();
        builder.AppendLine("using Microsoft.AspNetCore.Builder;\nusing Microsoft.AspNetCore.Http;\nusing Microsoft.AspNetCore.Mvc;\n");
        builder.AppendLine("public static class Endpoints\n{\n    public static void Map(WebApplication app)\n    {");
        builder.AppendLine("        app.UseRouting();");
        for (var i = 0; i < statements; i++)
        {
            builder.AppendLine(i % 3 == 0
                ? $"        app.MapGet(\"/items{i}/{{id:regex(^\\\\d+$)}}\", (int id) => id + {i});"
                : $"        var local{i} = {i} * 2;");
        }

        builder.AppendLine("        app.UseStaticFiles();\n    }\n}\n");
        builder.AppendLine("public sealed class HugeController : Controller\n{\n    [HttpGet(\"/huge/{slug:regex(^[a-z0-9-]+$)}\")]\n    public int Get(string slug)\n    {\n        var total = 0;");
        for (var i = 0; i < statements; i++)
        {
            builder.AppendLine($"        total += slug.Length * {i};");
        }

        builder.AppendLine("        return total;\n    }\n}");
        return builder.ToString();
    }

    /// <summary>Deep nesting of blocks, lambdas, parentheses, and of groups inside a route regex.</summary>
    public static string DeepNesting(int depth, int regexDepth)
    {
        var builder = new StringBuilder();
        builder.AppendLine("using System;\nusing Microsoft.AspNetCore.Builder;\nusing Microsoft.AspNetCore.Http;\n");
        builder.AppendLine("public static class Nested\n{\n    public static void Map(WebApplication app)\n    {");
        builder.Append(' ', 8).AppendLine(string.Concat(Enumerable.Repeat("if (app is not null) { ", depth)));
        builder.AppendLine("app.UseAuthorization(); app.UseStaticFiles();");
        builder.AppendLine($"app.MapGet(\"/deep/{{id:regex(^{new string('(', regexDepth)}\\\\d{new string(')', regexDepth)}$)}}\", (string id) => id);");
        builder.AppendLine(string.Concat(Enumerable.Repeat("} ", depth)));
        builder.AppendLine("        Func<int, int> f = " + string.Concat(Enumerable.Repeat("x => ", depth / 4)) + "1" + ";");
        builder.AppendLine("        var sum = " + new string('(', depth) + "1" + new string(')', depth) + ";");
        builder.AppendLine("        app.MapGet(\"/route/" + string.Concat(Enumerable.Range(0, depth / 4).Select(i => $"{{p{i}:regex(^[a-z]+$)}}/")) + "\", () => sum);");
        builder.AppendLine("    }\n}");
        return builder.ToString();
    }
}
