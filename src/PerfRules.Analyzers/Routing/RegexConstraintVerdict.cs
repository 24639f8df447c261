namespace PerfRules.Routing;

internal enum RegexConstraintVerdictKind
{
    /// <summary>.NET rejects the pattern: the app fails when the route is first matched.</summary>
    Invalid,

    /// <summary>A quantifier inside a quantified group: matching can take exponential time.</summary>
    NestedQuantifiers,

    /// <summary>The pattern is not anchored at both ends: it accepts values that merely contain a match.</summary>
    Unanchored,

    /// <summary>A built-in constraint accepts the same values once bound to a parameter of <see cref="RegexConstraintVerdict.ParameterType"/>.</summary>
    BuiltInForParameterType,

    /// <summary>A built-in constraint is close but accepts different values (<see cref="RegexConstraintVerdict.Difference"/>).</summary>
    ClosestBuiltIn,

    /// <summary>No built-in constraint accepts the same values.</summary>
    NoBuiltIn,
}

/// <summary>The numeric parameter types a digit pattern can be rewritten for.</summary>
internal enum BoundParameterType
{
    None,
    Int32,
    Int64,
    Boolean,
    Guid,
}

/// <summary>What PerfRules concluded about a regex route constraint.</summary>
internal sealed class RegexConstraintVerdict
{
    // BuiltInFor's answers by BoundParameterType, all worked out on first use (racing threads make equal arrays).
    private string?[]? _builtInFor;

    private RegexConstraintVerdict(RegexConstraintVerdictKind kind) => Kind = kind;

    public RegexConstraintVerdictKind Kind { get; private init; }

    /// <summary>Why .NET rejects an invalid pattern; which part is unanchored; the closest built-in's difference.</summary>
    public string? Detail { get; private init; }

    /// <summary>The closest built-in constraint (ClosestBuiltIn), or the constraint for <see cref="ParameterType"/>.</summary>
    public string? BuiltIn { get; private init; }

    public string? Difference { get; private init; }

    /// <summary>For BuiltInForParameterType: the kind of parameter the rewrite needs.</summary>
    public BoundParameterType ParameterType { get; private init; }

    /// <summary>For whole-number patterns: the smallest and largest value (null: unbounded).</summary>
    public long? Minimum { get; private init; }

    public long? Maximum { get; private init; }

    public bool IsWholeNumber { get; private init; }

    public static RegexConstraintVerdict Invalid(string reason) => new(RegexConstraintVerdictKind.Invalid) { Detail = reason };

    public static RegexConstraintVerdict Nested() => new(RegexConstraintVerdictKind.NestedQuantifiers);

    public static RegexConstraintVerdict Unanchored(string detail) => new(RegexConstraintVerdictKind.Unanchored) { Detail = detail };

    public static RegexConstraintVerdict None() => new(RegexConstraintVerdictKind.NoBuiltIn);

    public static RegexConstraintVerdict Closest(string builtIn, string difference)
        => new(RegexConstraintVerdictKind.ClosestBuiltIn) { BuiltIn = builtIn, Difference = difference };

    public static RegexConstraintVerdict ForType(BoundParameterType type, string builtIn)
        => new(RegexConstraintVerdictKind.BuiltInForParameterType) { ParameterType = type, BuiltIn = builtIn };

    public static RegexConstraintVerdict WholeNumber(long? minimum, long? maximum)
        => new(RegexConstraintVerdictKind.BuiltInForParameterType) { ParameterType = BoundParameterType.Int32, IsWholeNumber = true, Minimum = minimum, Maximum = maximum };

    /// <summary>
    /// The built-in constraint that accepts the same parameter values for a parameter of <paramref name="type"/>,
    /// or null when there is none for that type.
    /// </summary>
    public string? BuiltInFor(BoundParameterType type)
    {
        // A verdict is shared by every route with the same pattern (and asked again for each message).
        var answers = _builtInFor;
        if (answers is null)
        {
            answers = new string?[(int)BoundParameterType.Guid + 1];
            for (var i = 0; i < answers.Length; i++)
            {
                answers[i] = ComputeBuiltInFor((BoundParameterType)i);
            }

            _builtInFor = answers;
        }

        return answers[(int)type];
    }

    private string? ComputeBuiltInFor(BoundParameterType type)
    {
        if (Kind != RegexConstraintVerdictKind.BuiltInForParameterType)
        {
            return null;
        }

        if (!IsWholeNumber)
        {
            return type == ParameterType ? BuiltIn : null;
        }

        var (name, min, max) = type switch
        {
            BoundParameterType.Int32 => ("int", (long)int.MinValue, (long)int.MaxValue),
            BoundParameterType.Int64 => ("long", long.MinValue, long.MaxValue),
            _ => (null, 0L, 0L),
        };

        if (name is null)
        {
            return null;
        }

        // Values outside the type's range can never be bound, so the bounds clip to the type.
        long? low = Minimum is { } lo && lo > min ? lo : null;
        long? high = Maximum is { } hi && hi < max ? hi : null;
        if (low is { } l && l > max || high is { } h && h < min)
        {
            return null;
        }

        return (low, high) switch
        {
            (null, null) => name,
            ({ } l2, null) => $"{name}:min({l2})",
            (null, { } h2) => $"{name}:max({h2})",
            ({ } l3, { } h3) when l3 == h3 => null,
            ({ } l4, { } h4) => $"{name}:range({l4},{h4})",
        };
    }

    /// <summary>A short description of the accepted values, for messages.</summary>
    public string DescribeValues()
    {
        if (IsWholeNumber)
        {
            return (Minimum, Maximum) switch
            {
                (null, null) => "whole numbers",
                ({ } l, null) => $"whole numbers from {l}",
                (null, { } h) => $"whole numbers up to {h}",
                ({ } l, { } h) => $"whole numbers from {l} to {h}",
            };
        }

        return ParameterType switch
        {
            BoundParameterType.Guid => "GUIDs",
            BoundParameterType.Boolean => "'true' and 'false'",
            _ => "these values",
        };
    }
}
