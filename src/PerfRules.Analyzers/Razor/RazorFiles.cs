using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace PerfRules.Razor;

/// <summary>
/// The <c>.cshtml</c> files the Razor SDK hands the compiler as AdditionalFiles, scanned once per file and
/// shared by every Razor rule.
/// </summary>
internal static class RazorFiles
{
    /// <summary>Files larger than this are not scanned (generated or data files, not hand-written views).</summary>
    private const int MaxLength = 4 * 1024 * 1024;

    private static readonly ConditionalWeakTable<AdditionalText, Scanned> Cache = new();

    /// <summary>The scanned view, or null when the file is not a view, cannot be read, or could not be followed.</summary>
    public static (RazorDocument Document, SourceText Text)? Read(AdditionalText file, CancellationToken cancellationToken)
    {
        if (!file.Path.EndsWith(".cshtml", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!Cache.TryGetValue(file, out var scanned))
        {
            var text = file.GetText(cancellationToken);
            scanned = text is null || text.Length > MaxLength
                ? new Scanned(null, null)
                : new Scanned(RazorScanner.Scan(text.ToString(), cancellationToken), text);
            scanned = Cache.GetValue(file, _ => scanned);
        }

        return scanned.Document is { IsComplete: true } document && scanned.Text is { } source ? (document, source) : null;
    }

    public static Location LocationOf(AdditionalText file, SourceText text, TextSpan span)
        => Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span));

    private sealed class Scanned(RazorDocument? document, SourceText? text)
    {
        public RazorDocument? Document { get; } = document;

        public SourceText? Text { get; } = text;
    }
}
