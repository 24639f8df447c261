using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace PerfRules.Razor;

/// <summary>A loop in a Razor file: the keyword (<c>foreach</c>, <c>for</c>, <c>while</c>, <c>do</c>) and its braced body.</summary>
internal readonly record struct RazorLoop(TextSpan Keyword, TextSpan Body);

/// <summary>A <c>&lt;cache&gt;</c> or <c>&lt;distributed-cache&gt;</c> element: its start tag, attributes and content.</summary>
internal sealed class RazorCacheElement(string name, TextSpan startTag, ImmutableDictionary<string, string> attributes, TextSpan content)
{
    public string Name { get; } = name;

    public TextSpan StartTag { get; } = startTag;

    /// <summary>Attribute names (lower case) and their raw values; attributes without a value map to "".</summary>
    public ImmutableDictionary<string, string> Attributes { get; } = attributes;

    public TextSpan Content { get; } = content;
}

/// <summary>A partial view or view component rendered from a Razor file.</summary>
internal readonly record struct RazorPartial(string Display, TextSpan Span);

/// <summary>
/// What PerfRules needs to know of a <c>.cshtml</c> file, read by <see cref="RazorScanner"/>: where C# code is,
/// the loops, the cache tag helpers, the partials and the page's route template. <see cref="IsComplete"/> is false for malformed files
/// (unclosed blocks or elements), on which the rules say nothing.
/// </summary>
internal sealed class RazorDocument(
    bool isComplete,
    ImmutableArray<TextSpan> code,
    ImmutableArray<RazorLoop> loops,
    ImmutableArray<RazorCacheElement> caches,
    ImmutableArray<RazorPartial> partials,
    TextSpan? pageRoute = null)
{
    public bool IsComplete { get; } = isComplete;

    /// <summary>
    /// The route template of the file's <c>@page "…"</c> directive: the text between the quotes, which the Razor compiler
    /// takes as it is written (no C# escapes: <c>@page "{id:regex(^\d+$)}"</c> is the regex <c>^\d+$</c>). Null without a
    /// directive, or when the directive has no string (or an expression).
    /// </summary>
    public TextSpan? PageRoute { get; } = pageRoute;

    /// <summary>Spans of C# code: implicit and explicit expressions, code blocks, control-flow headers and bodies (markup inside them excluded).</summary>
    public ImmutableArray<TextSpan> Code { get; } = code;

    public ImmutableArray<RazorLoop> Loops { get; } = loops;

    public ImmutableArray<RazorCacheElement> Caches { get; } = caches;

    public ImmutableArray<RazorPartial> Partials { get; } = partials;

    public bool IsInLoop(TextSpan span)
    {
        foreach (var loop in Loops)
        {
            if (loop.Body.Contains(span))
            {
                return true;
            }
        }

        return false;
    }

    public IEnumerable<RazorCacheElement> CachesAround(TextSpan span)
    {
        foreach (var cache in Caches)
        {
            if (cache.Content.Contains(span))
            {
                yield return cache;
            }
        }
    }
}
