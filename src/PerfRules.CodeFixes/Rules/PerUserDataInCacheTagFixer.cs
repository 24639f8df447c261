using System;
using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace PerfRules.Rules;

/// <summary>
/// PERF010 fix "Vary the cache by it": adds (or extends) the <c>vary-by-user</c>/<c>vary-by-cookie</c> attribute of the
/// enclosing cache tag helper in the <c>.cshtml</c> file (an additional document).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PerUserDataInCacheTagFixer)), Shared]
public sealed class PerUserDataInCacheTagFixer : CodeFixProvider
{
    internal const string VaryKey = "PERF010.VaryCacheKey";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PerUserDataInSharedCacheTag);

    public override FixAllProvider GetFixAllProvider() => new VaryFixAllProvider();

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var properties = diagnostic.Properties;
            if (properties.TryGetValue(PerUserDataInCacheTagAnalyzer.AttributeProperty, out var attribute) && attribute is { Length: > 0 }
                && properties.TryGetValue(PerUserDataInCacheTagAnalyzer.ValueProperty, out var value) && value is { Length: > 0 }
                && properties.TryGetValue(PerUserDataInCacheTagAnalyzer.StartTagStartProperty, out var start)
                && int.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out var tagStart))
            {
                var document = context.TextDocument;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Vary the cache by it ({attribute}=\"{value}\")",
                        cancellationToken => VaryAsync(document, tagStart, attribute, value, cancellationToken),
                        VaryKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Solution> VaryAsync(TextDocument document, int tagStart, string attribute, string value, CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var change = ComputeChange(text.ToString(), tagStart, attribute, value);
        return change is { } c ? WithText(document, text.WithChanges(c)) : document.Project.Solution;
    }

    private static Solution WithText(TextDocument document, SourceText text)
        => document is Document
            ? document.Project.Solution.WithDocumentText(document.Id, text)
            : document.Project.Solution.WithAdditionalDocumentText(document.Id, text);

    /// <summary>Sets the attribute of the start tag at <paramref name="tagStart"/> to the value, adding it after the tag name when missing.</summary>
    private static TextChange? ComputeChange(string source, int tagStart, string attribute, string value)
    {
        if (tagStart < 0 || tagStart >= source.Length || source[tagStart] != '<')
        {
            return null;
        }

        var tagEnd = source.IndexOf('>', tagStart);
        if (tagEnd < 0)
        {
            return null;
        }

        var nameEnd = tagStart + 1;
        while (nameEnd < tagEnd && (char.IsLetter(source[nameEnd]) || source[nameEnd] == '-'))
        {
            nameEnd++;
        }

        // An existing attribute of that name gets the new value (e.g. vary-by-cookie="lang" -> "lang,theme").
        var existing = source.IndexOf(" " + attribute + "=\"", tagStart, tagEnd - tagStart, StringComparison.OrdinalIgnoreCase);
        if (existing < 0)
        {
            return new TextChange(new TextSpan(nameEnd, 0), " " + attribute + "=\"" + value + "\"");
        }

        var valueStart = existing + attribute.Length + 3;
        var valueEnd = source.IndexOf('"', valueStart);
        return valueEnd < 0 || valueEnd > tagEnd ? null : new TextChange(TextSpan.FromBounds(valueStart, valueEnd), value);
    }

    /// <summary>
    /// Fixes every PERF010 diagnostic of the project (or solution) once per cache tag and attribute, merging the cookie
    /// names several reads need. The workspace's batch fixer does not edit additional documents.
    /// </summary>
    private sealed class VaryFixAllProvider : FixAllProvider
    {
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => new[] { FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
            => Task.FromResult<CodeAction?>(fixAllContext.CodeActionEquivalenceKey != VaryKey
                ? null
                : CodeAction.Create("Vary every cache by the per-user data it renders", cancellationToken => FixAllAsync(fixAllContext, cancellationToken), VaryKey));

        private static async Task<Solution> FixAllAsync(FixAllContext context, CancellationToken cancellationToken)
        {
            var solution = context.Solution;
            var projects = context.Scope == FixAllScope.Solution ? solution.Projects.ToList() : new List<Project> { context.Project };
            foreach (var project in projects)
            {
                var diagnostics = await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false);
                foreach (var file in diagnostics.Where(d => d.Id == RuleIdentifiers.PerUserDataInSharedCacheTag).GroupBy(d => d.Location.GetLineSpan().Path))
                {
                    var document = solution.GetProject(project.Id)?.AdditionalDocuments.FirstOrDefault(d => d.FilePath == file.Key);
                    if (document is null)
                    {
                        continue;
                    }

                    var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                    var source = text.ToString();
                    var changes = new List<TextChange>();
                    foreach (var tag in file.GroupBy(d => (Start: d.Properties.TryGetValue(PerUserDataInCacheTagAnalyzer.StartTagStartProperty, out var s) ? s : null, Attribute: d.Properties.TryGetValue(PerUserDataInCacheTagAnalyzer.AttributeProperty, out var a) ? a : null)))
                    {
                        if (!int.TryParse(tag.Key.Start, NumberStyles.None, CultureInfo.InvariantCulture, out var tagStart) || tag.Key.Attribute is not { Length: > 0 } attribute)
                        {
                            continue;
                        }

                        var parts = new List<string>();
                        foreach (var diagnostic in tag)
                        {
                            var value = diagnostic.Properties.TryGetValue(PerUserDataInCacheTagAnalyzer.ValueProperty, out var v) ? v ?? string.Empty : string.Empty;
                            foreach (var part in value.Split(','))
                            {
                                if (part.Length > 0 && !parts.Contains(part, StringComparer.OrdinalIgnoreCase))
                                {
                                    parts.Add(part);
                                }
                            }
                        }

                        if (parts.Count > 0 && ComputeChange(source, tagStart, attribute, string.Join(",", parts)) is { } change)
                        {
                            changes.Add(change);
                        }
                    }

                    solution = WithText(document, text.WithChanges(changes.OrderBy(c => c.Span.Start)));
                }
            }

            return solution;
        }
    }
}
