using System.Collections.Generic;
using System.Collections.Immutable;

namespace PerfRules.Routing;

/// <summary>A node of the small regular-expression syntax tree PerfRules reasons about.</summary>
internal abstract class RegexNode
{
}

internal sealed class RegexAlternation(ImmutableArray<RegexNode> branches) : RegexNode
{
    public ImmutableArray<RegexNode> Branches { get; } = branches;
}

internal sealed class RegexSequence(ImmutableArray<RegexNode> items) : RegexNode
{
    public ImmutableArray<RegexNode> Items { get; } = items;
}

/// <summary>A capturing or non-capturing group (both match the same text).</summary>
internal sealed class RegexGroup(RegexNode body) : RegexNode
{
    public RegexNode Body { get; } = body;
}

/// <summary>A quantified node; <see cref="Max"/> is -1 for unbounded.</summary>
internal sealed class RegexRepeat(RegexNode body, int min, int max) : RegexNode
{
    public RegexNode Body { get; } = body;

    public int Min { get; } = min;

    public int Max { get; } = max;

    public bool IsUnbounded => Max < 0;
}

internal sealed class RegexLiteral(char value) : RegexNode
{
    public char Value { get; } = value;
}

internal enum RegexAnchorKind
{
    /// <summary><c>^</c> or <c>\A</c>.</summary>
    Start,

    /// <summary><c>$</c> or <c>\Z</c>: end, or before a final line feed.</summary>
    EndOrBeforeFinalNewline,

    /// <summary><c>\z</c>: the very end.</summary>
    End,

    /// <summary><c>\b</c>, <c>\B</c>, <c>\G</c>.</summary>
    Other,
}

internal sealed class RegexAnchor(RegexAnchorKind kind) : RegexNode
{
    public RegexAnchorKind Kind { get; } = kind;
}

/// <summary>A character class: explicit ranges plus the <c>\d</c>, <c>\w</c>, <c>\s</c> categories; <c>.</c> is a negated class of '\n'.</summary>
internal sealed class RegexCharClass(bool negated, ImmutableArray<(char Low, char High)> ranges, bool digits, bool otherCategories) : RegexNode
{
    public bool Negated { get; } = negated;

    public ImmutableArray<(char Low, char High)> Ranges { get; } = ranges;

    /// <summary>Contains <c>\d</c>: every Unicode decimal digit.</summary>
    public bool Digits { get; } = digits;

    /// <summary>Contains a category PerfRules does not model (<c>\w</c>, <c>\s</c>, <c>\p{…}</c>, negated categories).</summary>
    public bool OtherCategories { get; } = otherCategories;

    public bool IsDot => Negated && !Digits && !OtherCategories && Ranges.Length == 1 && Ranges[0] == ('\n', '\n');

    /// <summary>The set of ASCII characters the class lists, when it is a plain positive class of ranges.</summary>
    public HashSet<char>? AsciiSet()
    {
        if (Negated || OtherCategories)
        {
            return null;
        }

        var set = new HashSet<char>();
        foreach (var (low, high) in Ranges)
        {
            if (high > 127)
            {
                return null;
            }

            for (var c = low; c <= high; c++)
            {
                set.Add(c);
            }
        }

        if (Digits)
        {
            for (var c = '0'; c <= '9'; c++)
            {
                set.Add(c);
            }
        }

        return set;
    }
}

/// <summary>A construct PerfRules does not model (look-arounds, back-references, inline options, …).</summary>
internal sealed class RegexUnsupported : RegexNode
{
    public static readonly RegexUnsupported Instance = new();
}
