using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace PerfRules.Routing;

/// <summary>
/// Reads a regex route constraint the way ASP.NET Core runs it (<c>IgnoreCase | CultureInvariant</c>;
/// inline <c>regex(…)</c> as written, dictionary strings wrapped in <c>^(…)$</c>) and concludes whether
/// it is invalid, can backtrack catastrophically, is unanchored, or has a built-in equivalent.
/// </summary>
internal static class RegexConstraintAnalysis
{
    private const RegexOptions RouteOptions = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    public static RegexConstraintVerdict Analyze(string pattern, bool implicitlyAnchored)
    {
        var reason = Validate(implicitlyAnchored ? "^(" + pattern + ")$" : pattern);
        if (reason is not null)
        {
            return RegexConstraintVerdict.Invalid(reason);
        }

        var tree = RegexParser.Parse(pattern);
        if (HasNestedQuantifiers(tree, insideRepeat: false))
        {
            return RegexConstraintVerdict.Nested();
        }

        var branches = tree is RegexAlternation alternation ? alternation.Branches : ImmutableArray.Create(tree);
        var stripped = ImmutableArray.CreateBuilder<RegexNode>(branches.Length);
        var missingStart = false;
        var missingEnd = false;
        foreach (var branch in branches)
        {
            var items = Items(branch);
            var start = 0;
            var end = items.Length;
            if (start < end && items[start] is RegexAnchor { Kind: RegexAnchorKind.Start })
            {
                start++;
            }
            else
            {
                missingStart = true;
            }

            if (end > start && items[end - 1] is RegexAnchor { Kind: RegexAnchorKind.End or RegexAnchorKind.EndOrBeforeFinalNewline })
            {
                end--;
            }
            else
            {
                missingEnd = true;
            }

            stripped.Add(new RegexSequence(items.Slice(start, end - start)));
        }

        if (!implicitlyAnchored && (missingStart || missingEnd))
        {
            var detail = missingStart && missingEnd
                ? "contains a match"
                : missingStart ? "ends with a match" : "starts with a match";
            return RegexConstraintVerdict.Unanchored(detail);
        }

        var body = stripped.Count == 1 ? stripped[0] : new RegexAlternation(stripped.ToImmutable());
        return Classify(body);
    }

    /// <summary>Null when .NET accepts the pattern with the options routing uses; else .NET's reason.</summary>
    public static string? Validate(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RouteOptions, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException exception)
        {
            return exception.Message;
        }
    }

    private static ImmutableArray<RegexNode> Items(RegexNode node)
        => node is RegexSequence sequence ? sequence.Items : ImmutableArray.Create(node);

    /// <summary>An unbounded repeat inside another repeat whose body is nothing but (optional parts and) that repeat: <c>(a+)+</c>, <c>(\w+\d?)*</c>.</summary>
    private static bool HasNestedQuantifiers(RegexNode node, bool insideRepeat)
    {
        switch (node)
        {
            case RegexRepeat repeat:
                if (insideRepeat && repeat.IsUnbounded)
                {
                    return true;
                }

                var repeats = repeat.Max is < 0 or > 1;
                return HasNestedQuantifiers(repeat.Body, repeats || insideRepeat && repeat.Max != 1);
            case RegexGroup group:
                return HasNestedQuantifiers(group.Body, insideRepeat);
            case RegexSequence sequence:
                foreach (var item in sequence.Items)
                {
                    if (HasNestedQuantifiers(item, insideRepeat && CanBeEmptyExcept(sequence, item)))
                    {
                        return true;
                    }
                }

                return false;
            case RegexAlternation alternation:
                foreach (var branch in alternation.Branches)
                {
                    if (HasNestedQuantifiers(branch, insideRepeat))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    // Inside a repeated sequence, an inner unbounded repeat is ambiguous only when everything else in the sequence can match empty.
    private static bool CanBeEmptyExcept(RegexSequence sequence, RegexNode except)
    {
        foreach (var item in sequence.Items)
        {
            if (!ReferenceEquals(item, except) && !CanBeEmpty(item))
            {
                return false;
            }
        }

        return true;
    }

    private static bool CanBeEmpty(RegexNode node) => node switch
    {
        RegexRepeat repeat => repeat.Min == 0 || CanBeEmpty(repeat.Body),
        RegexGroup group => CanBeEmpty(group.Body),
        RegexSequence sequence => AllEmpty(sequence.Items),
        RegexAlternation alternation => AnyEmpty(alternation.Branches),
        RegexAnchor => true,
        _ => false,
    };

    private static bool AllEmpty(ImmutableArray<RegexNode> nodes)
    {
        foreach (var node in nodes)
        {
            if (!CanBeEmpty(node))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyEmpty(ImmutableArray<RegexNode> nodes)
    {
        foreach (var node in nodes)
        {
            if (CanBeEmpty(node))
            {
                return true;
            }
        }

        return false;
    }

    private static RegexConstraintVerdict Classify(RegexNode body)
    {
        body = Unwrap(body);
        if (TryWholeNumbers(body, out var min, out var max) && (min is null || max is null || min != max))
        {
            return RegexConstraintVerdict.WholeNumber(min, max);
        }

        if (IsTrueOrFalse(body))
        {
            return RegexConstraintVerdict.ForType(BoundParameterType.Boolean, "bool");
        }

        if (IsGuid(body))
        {
            return RegexConstraintVerdict.ForType(BoundParameterType.Guid, "guid");
        }

        if (TryRepeatOf(body, IsLetters, out var letterMin, out var letterMax))
        {
            return RegexConstraintVerdict.Closest(
                "alpha" + LengthSuffix(letterMin, letterMax, ":"),
                "the regex matches case-insensitively, so it also accepts 'K' (U+212A KELVIN SIGN), which 'alpha' rejects");
        }

        if (TryRepeatOf(body, c => c.IsDot, out var dotMin, out var dotMax) && LengthSuffix(dotMin, dotMax, string.Empty) is { Length: > 0 } length)
        {
            return RegexConstraintVerdict.Closest(
                length,
                "'" + length + "' also accepts values containing line feeds, which '.' does not match");
        }

        return RegexConstraintVerdict.None();
    }

    private static string LengthSuffix(int min, int max, string separator) => (min, max) switch
    {
        (_, -1) when min <= 1 => string.Empty,
        (_, -1) => $"{separator}minlength({min})",
        _ when min == max => $"{separator}length({min})",
        _ => $"{separator}length({Math.Max(min, 1)},{max})",
    };

    private static RegexNode Unwrap(RegexNode node)
    {
        while (true)
        {
            switch (node)
            {
                case RegexGroup group:
                    node = group.Body;
                    continue;
                case RegexSequence { Items.Length: 1 } single:
                    node = single.Items[0];
                    continue;
                default:
                    return node;
            }
        }
    }

    private static bool TryRepeatOf(RegexNode node, Func<RegexCharClass, bool> isClass, out int min, out int max)
    {
        min = max = 1;
        node = Unwrap(node);
        if (node is RegexRepeat repeat && Unwrap(repeat.Body) is RegexCharClass repeated && isClass(repeated))
        {
            (min, max) = (repeat.Min, repeat.Max);
            return min >= 1;
        }

        return node is RegexCharClass single && isClass(single);
    }

    private static bool IsLetters(RegexCharClass charClass)
    {
        if (charClass.Digits || charClass.AsciiSet() is not { } set)
        {
            return false;
        }

        var folded = new HashSet<char>();
        foreach (var c in set)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }

            folded.Add(char.ToLowerInvariant(c));
        }

        return folded.Count == 26;
    }

    // Whole numbers: [-?] then digits, as a union of contiguous value ranges.
    private static bool TryWholeNumbers(RegexNode body, out long? min, out long? max)
    {
        min = max = null;
        var ranges = new List<(long? Low, long? High)>();
        var branches = body is RegexAlternation alternation ? alternation.Branches : ImmutableArray.Create(body);
        foreach (var branch in branches)
        {
            if (!TryNumberBranch(Unwrap(branch), out var low, out var high))
            {
                return false;
            }

            ranges.Add((low, high));
        }

        return TryMerge(ranges, out min, out max);
    }

    private static bool TryNumberBranch(RegexNode branch, out long? low, out long? high)
    {
        low = high = null;
        var items = Items(branch);
        var negative = false;
        if (items.Length > 0 && Unwrap(items[0]) is RegexRepeat { Min: 0, Max: 1 } sign && Unwrap(sign.Body) is RegexLiteral { Value: '-' })
        {
            negative = true;
            items = items.RemoveAt(0);
        }

        if (!TryUnsigned(items, out var unsignedLow, out var unsignedHigh))
        {
            return false;
        }

        if (!negative)
        {
            (low, high) = (unsignedLow, unsignedHigh);
            return true;
        }

        // -?X where X covers [0, h]: the values are [-h, h]; other shapes are not contiguous.
        if (unsignedLow != 0)
        {
            return false;
        }

        (low, high) = (unsignedHigh is { } h ? -h : null, unsignedHigh);
        return true;
    }

    // Digit-only shapes: D{m,n}; [a-b]; [1-9]D{m,n}; a literal number such as 0 or 42.
    private static bool TryUnsigned(ImmutableArray<RegexNode> items, out long? low, out long? high)
    {
        low = high = null;
        if (items.Length == 1 && Digits(Unwrap(items[0]), out var all, out var from, out var to, out var min, out var max))
        {
            // \d{m,n} with m >= 2 accepts "005" but not "5": no built-in accepts the same spellings of 5.
            if (all && min == 1)
            {
                low = 0;
                high = max < 0 ? null : Power10Minus1(max);
                return max < 0 || high is not null;
            }

            if (!all && min == 1 && max == 1)
            {
                (low, high) = (from, to);
                return true;
            }

            return false;
        }

        if (items.Length == 2
            && Digits(Unwrap(items[0]), out var firstAll, out var firstFrom, out var firstTo, out var firstMin, out var firstMax)
            && !firstAll && firstFrom == 1 && firstTo == 9 && firstMin == 1 && firstMax == 1
            && Digits(Unwrap(items[1]), out var restAll, out _, out _, out var restMin, out var restMax) && restAll)
        {
            low = restMin >= 18 ? null : Power10(restMin);
            high = restMax < 0 ? null : Power10Minus1(restMax + 1);
            return low is not null && (restMax < 0 || high is not null);
        }

        // a literal whole number without leading zeros ("0", "42")
        var digits = new System.Text.StringBuilder();
        foreach (var item in items)
        {
            if (Unwrap(item) is RegexLiteral { Value: >= '0' and <= '9' } literal)
            {
                digits.Append(literal.Value);
            }
            else
            {
                return false;
            }
        }

        if (digits.Length == 0 || digits.Length > 18 || (digits.Length > 1 && digits[0] == '0'))
        {
            return false;
        }

        low = high = long.Parse(digits.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }

    // A digit class, optionally repeated: all digits (\d or [0-9]) or a contiguous ASCII subrange [a-b].
    private static bool Digits(RegexNode node, out bool all, out int from, out int to, out int min, out int max)
    {
        all = false;
        from = to = 0;
        min = max = 1;
        if (node is RegexRepeat repeat)
        {
            (min, max) = (repeat.Min, repeat.Max);
            node = Unwrap(repeat.Body);
        }

        if (node is not RegexCharClass charClass || charClass.AsciiSet() is not { Count: > 0 } set)
        {
            return false;
        }

        var digits = new List<int>();
        foreach (var c in set)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            digits.Add(c - '0');
        }

        digits.Sort();
        from = digits[0];
        to = digits[digits.Count - 1];
        if (to - from + 1 != digits.Count)
        {
            return false;
        }

        all = from == 0 && to == 9;
        return true;
    }

    private static bool TryMerge(List<(long? Low, long? High)> ranges, out long? min, out long? max)
    {
        min = max = null;
        // null low means -infinity, null high means +infinity
        ranges.Sort((a, b) => (a.Low ?? long.MinValue).CompareTo(b.Low ?? long.MinValue));
        long? currentLow = ranges[0].Low;
        long? currentHigh = ranges[0].High;
        for (var i = 1; i < ranges.Count; i++)
        {
            var (low, high) = ranges[i];
            if (currentHigh is { } h && (low is null || low.Value > h + 1))
            {
                return false; // a gap
            }

            if (currentHigh is not null && (high is null || high > currentHigh))
            {
                currentHigh = high;
            }
        }

        (min, max) = (currentLow, currentHigh);
        return true;
    }

    private static long Power10(int exponent)
    {
        long value = 1;
        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
        }

        return value;
    }

    private static long? Power10Minus1(int digits) => digits is >= 1 and <= 18 ? Power10(digits) - 1 : null;

    private static bool IsTrueOrFalse(RegexNode body)
    {
        if (body is not RegexAlternation { Branches.Length: 2 } alternation)
        {
            return false;
        }

        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var branch in alternation.Branches)
        {
            var text = new System.Text.StringBuilder();
            foreach (var item in Items(Unwrap(branch)))
            {
                if (item is not RegexLiteral literal)
                {
                    return false;
                }

                text.Append(literal.Value);
            }

            words.Add(text.ToString());
        }

        return words.Contains("true") && words.Contains("false");
    }

    // 8-4-4-4-12 hexadecimal digits separated by '-' (the "D" format).
    private static bool IsGuid(RegexNode body)
    {
        var expected = new[] { 8, 4, 4, 4, 12 };
        var items = Items(Unwrap(body));
        var group = 0;
        var index = 0;
        while (index < items.Length && group < expected.Length)
        {
            var count = 0;
            while (index < items.Length && HexRun(Unwrap(items[index]), out var run))
            {
                count += run;
                index++;
            }

            if (count != expected[group])
            {
                return false;
            }

            group++;
            if (group < expected.Length)
            {
                if (index >= items.Length || Unwrap(items[index]) is not RegexLiteral { Value: '-' })
                {
                    return false;
                }

                index++;
            }
        }

        return group == expected.Length && index == items.Length;
    }

    private static bool HexRun(RegexNode node, out int count)
    {
        count = 1;
        if (node is RegexRepeat repeat)
        {
            if (repeat.Min != repeat.Max)
            {
                return false;
            }

            count = repeat.Min;
            node = Unwrap(repeat.Body);
        }

        if (node is not RegexCharClass charClass || charClass.AsciiSet() is not { } set)
        {
            return false;
        }

        var folded = new HashSet<char>();
        foreach (var c in set)
        {
            if (!Uri.IsHexDigit(c))
            {
                return false;
            }

            folded.Add(char.ToLowerInvariant(c));
        }

        return folded.Count == 16;
    }
}
