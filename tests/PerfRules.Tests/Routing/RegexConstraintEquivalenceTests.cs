using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PerfRules.Routing;

namespace PerfRules.Tests.Routing;

/// <summary>
/// Runs ASP.NET Core's own route constraints (resolved the way an inline <c>{p:regex(…)}</c> or
/// <c>{p:int:min(0)}</c> is resolved after <c>AddRouting()</c>) on generated inputs and checks that every
/// built-in PerfRules proposes for a regex accepts the same values for the bound parameter's type:
/// the constraint may reject only values that can never bind, and may accept only other spellings
/// (signs, padding, leading zeros, other GUID formats) of values whose canonical spelling the regex accepts.
/// The observed differences are asserted exactly: they are what the rule's documentation states.
/// </summary>
public sealed class RegexConstraintEquivalenceTests
{
    // Features that explain a difference; every differing input must have at least one.
    private const string OutOfRange = "out of the type's range";
    private const string NonAsciiDigits = "non-ASCII digits";
    private const string PlusSign = "plus sign";
    private const string MinusZero = "minus zero";
    private const string Whitespace = "surrounding whitespace";
    private const string LeadingZeros = "leading zeros";
    private const string NulPadding = "NUL padding";
    private const string FormatN = "GUID format N";
    private const string FormatB = "GUID format B";
    private const string FormatP = "GUID format P";
    private const string FormatX = "GUID format X";
    private const string LineFeed = "line feed";
    private const string NonAsciiLetter = "non-ASCII letter";
    private const string Empty = "empty";

    private const string GuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private static readonly IInlineConstraintResolver Resolver = CreateResolver();

    private static readonly Lazy<IReadOnlyList<string>> NumericInputs = new(CreateNumericInputs);
    private static readonly Lazy<IReadOnlyList<string>> GuidInputs = new(CreateGuidInputs);
    private static readonly Lazy<IReadOnlyList<string>> BooleanInputs = new(CreateBooleanInputs);
    private static readonly Lazy<IReadOnlyList<string>> TextInputs = new(CreateTextInputs);

    // pattern, parameter type, the built-in PerfRules proposes
    public static TheoryData<string, string, string> ProposedRewrites() => new()
    {
        { """^\d+$""", "Int32", "int:min(0)" },
        { """^\d+$""", "Int64", "long:min(0)" },
        { """^[0-9]+$""", "Int32", "int:min(0)" },
        { """^[0-9]+$""", "Int64", "long:min(0)" },
        { """\A\d+\z""", "Int32", "int:min(0)" },
        { """\A\d+\z""", "Int64", "long:min(0)" },
        { """^(\d+)$""", "Int32", "int:min(0)" },
        { """^(\d+)$""", "Int64", "long:min(0)" },
        { """^\d{1,5}$""", "Int32", "int:range(0,99999)" },
        { """^\d{1,5}$""", "Int64", "long:range(0,99999)" },
        { """^[1-9]\d*$""", "Int32", "int:min(1)" },
        { """^[1-9]\d*$""", "Int64", "long:min(1)" },
        { """^[1-9][0-9]{0,2}$""", "Int32", "int:range(1,999)" },
        { """^[1-9][0-9]{0,2}$""", "Int64", "long:range(1,999)" },
        { """^-?\d+$""", "Int32", "int" },
        { """^-?\d+$""", "Int64", "long" },
        { """^[0-5]$""", "Int32", "int:range(0,5)" },
        { """^[0-5]$""", "Int64", "long:range(0,5)" },
        { """^(0|[1-9]\d*)$""", "Int32", "int:min(0)" },
        { """^(0|[1-9]\d*)$""", "Int64", "long:min(0)" },
        { """^(true|false)$""", "Boolean", "bool" },
        { GuidPattern, "Guid", "guid" },
    };

    [Theory]
    [MemberData(nameof(ProposedRewrites))]
    public void The_analysis_proposes_this_builtin_for_the_parameter_type(string pattern, string type, string builtIn)
    {
        var verdict = RegexConstraintAnalysis.Analyze(pattern, implicitlyAnchored: false);

        Assert.Equal(RegexConstraintVerdictKind.BuiltInForParameterType, verdict.Kind);
        Assert.Equal(builtIn, verdict.BuiltInFor(Enum.Parse<BoundParameterType>(type)));
    }

    [Theory]
    [MemberData(nameof(ProposedRewrites))]
    public void The_proposed_builtin_differs_from_the_regex_only_on_unbindable_values_and_other_spellings(string pattern, string type, string builtIn)
    {
        var comparison = Compare(pattern, builtIn, Enum.Parse<BoundParameterType>(type));

        Assert.True(comparison.Violations.Count == 0, $"regex({pattern}) vs {builtIn} for {type}: {comparison.Violations.Count} real differences, e.g.\n{string.Join("\n", comparison.Violations.Take(12))}");
    }

    [Fact]
    public void Digits_regex_and_int_min_0_differ_only_on_unbindable_values_and_spellings()
    {
        var comparison = Compare("""^\d+$""", "int:min(0)", BoundParameterType.Int32);

        AssertDifferences(comparison, [OutOfRange, NonAsciiDigits], [NulPadding, PlusSign, MinusZero, Whitespace]);
        Assert.Contains("99999999999", comparison.RegexOnly);
        Assert.Contains("2147483648", comparison.RegexOnly);
        Assert.Contains("١٢٣", comparison.RegexOnly);
        Assert.Contains("１２３", comparison.RegexOnly);
        Assert.Contains("+5", comparison.ConstraintOnly);
        Assert.Contains(" 5", comparison.ConstraintOnly);
        Assert.Contains("\t5", comparison.ConstraintOnly);
        Assert.Contains("-0", comparison.ConstraintOnly);
        Assert.DoesNotContain("5\n", comparison.ConstraintOnly); // '$' matches before a final line feed: both accept it
        Assert.DoesNotContain("-1", comparison.ConstraintOnly);
    }

    [Fact]
    public void Digits_regex_and_long_min_0_differ_only_on_unbindable_values_and_spellings()
    {
        var comparison = Compare("""^\d+$""", "long:min(0)", BoundParameterType.Int64);

        AssertDifferences(comparison, [OutOfRange, NonAsciiDigits], [NulPadding, PlusSign, MinusZero, Whitespace]);
        Assert.DoesNotContain("99999999999", comparison.RegexOnly);
        Assert.Contains("9223372036854775808", comparison.RegexOnly);
        Assert.Contains("١٢٣", comparison.RegexOnly);
        Assert.Contains("+5", comparison.ConstraintOnly);
        Assert.Contains("-0", comparison.ConstraintOnly);
    }

    [Theory]
    [InlineData("""^[0-9]+$""", "int:min(0)", "Int32")]
    [InlineData("""^[0-9]+$""", "long:min(0)", "Int64")]
    public void Ascii_digits_regex_and_min_0_differ_only_on_out_of_range_values_and_spellings(string pattern, string builtIn, string type)
    {
        var comparison = Compare(pattern, builtIn, Enum.Parse<BoundParameterType>(type));

        AssertDifferences(comparison, [OutOfRange], [NulPadding, PlusSign, MinusZero, Whitespace]);
        Assert.DoesNotContain("١٢٣", comparison.RegexOnly);
        Assert.Contains("+5", comparison.ConstraintOnly);
    }

    [Theory]
    [InlineData("Int32", "int:min(0)")]
    [InlineData("Int64", "long:min(0)")]
    public void String_anchored_digits_regex_also_differs_on_a_final_line_feed_that_only_the_builtin_accepts(string type, string builtIn)
    {
        var comparison = Compare("""\A\d+\z""", builtIn, Enum.Parse<BoundParameterType>(type));

        AssertDifferences(comparison, [OutOfRange, NonAsciiDigits], [NulPadding, PlusSign, MinusZero, Whitespace]);
        Assert.Contains("5\n", comparison.ConstraintOnly);
        Assert.Contains("-0", comparison.ConstraintOnly);
    }

    [Theory]
    [InlineData("Int32", "int:min(0)")]
    [InlineData("Int64", "long:min(0)")]
    public void Grouped_digits_regex_differs_like_the_plain_one(string type, string builtIn)
    {
        var parameterType = Enum.Parse<BoundParameterType>(type);
        var grouped = Compare("""^(\d+)$""", builtIn, parameterType);
        var plain = Compare("""^\d+$""", builtIn, parameterType);

        Assert.Equal(plain.RegexOnly, grouped.RegexOnly);
        Assert.Equal(plain.ConstraintOnly, grouped.ConstraintOnly);
    }

    [Theory]
    [InlineData("Int32", "int:range(0,99999)")]
    [InlineData("Int64", "long:range(0,99999)")]
    public void One_to_five_digits_regex_and_range_differ_only_on_non_ascii_digits_and_spellings(string type, string builtIn)
    {
        var comparison = Compare("""^\d{1,5}$""", builtIn, Enum.Parse<BoundParameterType>(type));

        AssertDifferences(comparison, [NonAsciiDigits], [NulPadding, PlusSign, MinusZero, Whitespace, LeadingZeros]);
        Assert.Contains("١٢٣", comparison.RegexOnly);
        Assert.Contains("000001", comparison.ConstraintOnly);
        Assert.DoesNotContain("100000", comparison.ConstraintOnly);
    }

    [Theory]
    [InlineData("Int32", "int:min(1)")]
    [InlineData("Int64", "long:min(1)")]
    public void No_leading_zero_regex_and_min_1_differ_only_on_out_of_range_values_and_spellings(string type, string builtIn)
    {
        var comparison = Compare("""^[1-9]\d*$""", builtIn, Enum.Parse<BoundParameterType>(type));

        AssertDifferences(comparison, [OutOfRange, NonAsciiDigits], [NulPadding, PlusSign, Whitespace, LeadingZeros]);
        Assert.Contains("007", comparison.ConstraintOnly);
        Assert.DoesNotContain("0", comparison.ConstraintOnly);
        Assert.DoesNotContain("-0", comparison.ConstraintOnly);
        Assert.Contains("1١", comparison.RegexOnly);
    }

    [Theory]
    [InlineData("Int32", "int:range(1,999)")]
    [InlineData("Int64", "long:range(1,999)")]
    public void One_to_three_digits_without_leading_zero_regex_and_range_differ_only_on_spellings(string type, string builtIn)
    {
        var comparison = Compare("""^[1-9][0-9]{0,2}$""", builtIn, Enum.Parse<BoundParameterType>(type));

        AssertDifferences(comparison, [], [NulPadding, PlusSign, Whitespace, LeadingZeros]);
        Assert.Contains("0999", comparison.ConstraintOnly);
        Assert.DoesNotContain("1000", comparison.ConstraintOnly);
    }

    [Theory]
    [InlineData("Int32", "int")]
    [InlineData("Int64", "long")]
    public void Signed_digits_regex_and_the_plain_type_differ_only_on_unbindable_values_and_spellings(string type, string builtIn)
    {
        var comparison = Compare("""^-?\d+$""", builtIn, Enum.Parse<BoundParameterType>(type));

        AssertDifferences(comparison, [OutOfRange, NonAsciiDigits], [NulPadding, PlusSign, Whitespace]);
        Assert.Contains("-99999999999999999999", comparison.RegexOnly);
        Assert.Contains("-١", comparison.RegexOnly);
        Assert.DoesNotContain("-0", comparison.ConstraintOnly);
        Assert.Contains("+0", comparison.ConstraintOnly);
    }

    [Theory]
    [InlineData("Int32", "int:range(0,5)")]
    [InlineData("Int64", "long:range(0,5)")]
    public void Single_digit_class_regex_and_range_differ_only_on_spellings(string type, string builtIn)
    {
        var comparison = Compare("""^[0-5]$""", builtIn, Enum.Parse<BoundParameterType>(type));

        AssertDifferences(comparison, [], [NulPadding, PlusSign, MinusZero, Whitespace, LeadingZeros]);
        Assert.Contains("05", comparison.ConstraintOnly);
        Assert.DoesNotContain("6", comparison.ConstraintOnly);
    }

    [Theory]
    [InlineData("Int32", "int:min(0)")]
    [InlineData("Int64", "long:min(0)")]
    public void Zero_or_no_leading_zero_regex_and_min_0_differ_only_on_unbindable_values_and_spellings(string type, string builtIn)
    {
        var comparison = Compare("""^(0|[1-9]\d*)$""", builtIn, Enum.Parse<BoundParameterType>(type));

        AssertDifferences(comparison, [OutOfRange, NonAsciiDigits], [NulPadding, PlusSign, MinusZero, Whitespace, LeadingZeros]);
        Assert.Contains("00", comparison.ConstraintOnly);
        Assert.Contains("-0", comparison.ConstraintOnly);
    }

    [Fact]
    public void True_or_false_regex_and_bool_differ_only_on_padding()
    {
        var comparison = Compare("""^(true|false)$""", "bool", BoundParameterType.Boolean);

        AssertDifferences(comparison, [], [Whitespace, NulPadding]);
        Assert.Contains(" true", comparison.ConstraintOnly);
        Assert.Contains("false\0", comparison.ConstraintOnly);
        Assert.DoesNotContain("TRUE", comparison.ConstraintOnly);
        Assert.DoesNotContain("true\n", comparison.ConstraintOnly); // '$' matches before a final line feed
    }

    [Fact]
    public void D_format_guid_regex_and_guid_differ_only_on_other_formats_and_padding()
    {
        var comparison = Compare(GuidPattern, "guid", BoundParameterType.Guid);

        AssertDifferences(comparison, [], [FormatN, FormatB, FormatP, FormatX, Whitespace]);
        var guid = FixedGuid();
        Assert.Contains(guid.ToString("N"), comparison.ConstraintOnly);
        Assert.Contains(guid.ToString("B"), comparison.ConstraintOnly);
        Assert.Contains(guid.ToString("P"), comparison.ConstraintOnly);
        Assert.Contains(guid.ToString("X"), comparison.ConstraintOnly);
        Assert.Contains(" " + guid.ToString("D") + " ", comparison.ConstraintOnly);
        Assert.DoesNotContain(guid.ToString("D").ToUpperInvariant(), comparison.ConstraintOnly);
    }

    [Theory]
    [InlineData("""^\d{3}$""", "int:range(0,999)")]
    [InlineData("""^\d{2,4}$""", "int:range(0,9999)")]
    public void A_minimum_digit_count_gets_no_builtin_because_the_range_accepts_shorter_spellings(string pattern, string nearest)
    {
        var verdict = RegexConstraintAnalysis.Analyze(pattern, implicitlyAnchored: false);
        Assert.Null(verdict.BuiltInFor(BoundParameterType.Int32));
        Assert.Null(verdict.BuiltInFor(BoundParameterType.Int64));

        // why: the nearest range accepts "5", whose value the regex only accepts as "005"/"05"
        Assert.False(Matches(CreateConstraint("regex(" + pattern + ")"), "5"));
        Assert.True(Matches(CreateConstraint(nearest), "5"));
    }

    [Fact]
    public void Guid_regex_with_a_repeated_group_gets_no_builtin()
    {
        var verdict = RegexConstraintAnalysis.Analyze("""^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$""", implicitlyAnchored: false);

        Assert.Equal(RegexConstraintVerdictKind.NoBuiltIn, verdict.Kind);
        Assert.Null(verdict.BuiltInFor(BoundParameterType.Guid));
    }

    [Fact]
    public void Every_non_ascii_char_the_case_insensitive_letter_regex_accepts_is_rejected_by_alpha()
    {
        var route = CreateConstraint("""regex(^[a-zA-Z]$)""");
        var alpha = CreateConstraint("alpha");
        var accepted = new List<string>();
        for (var c = '\u0080'; c < '\uFFFF'; c++)
        {
            var s = c.ToString();
            if (Matches(route, s))
            {
                accepted.Add($"U+{(int)c:X4}");
                Assert.False(Matches(alpha, s), $"alpha accepts U+{(int)c:X4}");
            }
        }

        Assert.Equal(["U+212A"], accepted);
    }

    [Fact]
    public void Letters_regex_is_only_close_to_alpha_which_rejects_the_Kelvin_sign()
    {
        var verdict = RegexConstraintAnalysis.Analyze("""^[a-zA-Z]+$""", implicitlyAnchored: false);
        Assert.Equal(RegexConstraintVerdictKind.ClosestBuiltIn, verdict.Kind);
        Assert.Equal("alpha", verdict.BuiltIn);
        Assert.Null(verdict.BuiltInFor(BoundParameterType.None));

        var comparison = Compare("""^[a-zA-Z]+$""", "alpha", BoundParameterType.None, TextInputs.Value);

        AssertDifferences(comparison, [NonAsciiLetter], [Empty, LineFeed]);
        Assert.Contains("\u212A", comparison.RegexOnly);
        Assert.Contains("a\u212Ab", comparison.RegexOnly);
        Assert.All(comparison.RegexOnly, s => Assert.Contains('\u212A', s));
        Assert.Equal([string.Empty, "\n"], comparison.ConstraintOnly); // alpha is "^[A-Za-z]*$": '*' and '$' accept "" and "\n"
    }

    [Fact]
    public void Three_chars_regex_is_only_close_to_length_3_which_counts_line_feeds()
    {
        var verdict = RegexConstraintAnalysis.Analyze("""^.{3}$""", implicitlyAnchored: false);
        Assert.Equal(RegexConstraintVerdictKind.ClosestBuiltIn, verdict.Kind);
        Assert.Equal("length(3)", verdict.BuiltIn);

        var comparison = Compare("""^.{3}$""", "length(3)", BoundParameterType.None, TextInputs.Value);

        AssertDifferences(comparison, [LineFeed], [LineFeed]);
        Assert.Contains("abc\n", comparison.RegexOnly); // '$' matches before a final line feed
        Assert.Contains("a\nb", comparison.ConstraintOnly);
        Assert.Contains("ab\n", comparison.ConstraintOnly);
        Assert.All(comparison.RegexOnly, s => Assert.True(s.Length == 4 && s[3] == '\n', Escape(s)));
    }

    [Fact]
    public void Digits_regex_has_no_builtin_for_a_string_parameter()
    {
        var verdict = RegexConstraintAnalysis.Analyze("""^\d+$""", implicitlyAnchored: false);

        Assert.Null(verdict.BuiltInFor(BoundParameterType.None));
        Assert.Null(verdict.BuiltInFor(BoundParameterType.Boolean));
        Assert.Null(verdict.BuiltInFor(BoundParameterType.Guid));
    }

    [Fact]
    public void Bool_and_guid_builtins_are_only_proposed_for_their_own_type()
    {
        var boolean = RegexConstraintAnalysis.Analyze("""^(true|false)$""", implicitlyAnchored: false);
        var guid = RegexConstraintAnalysis.Analyze(GuidPattern, implicitlyAnchored: false);

        Assert.Null(boolean.BuiltInFor(BoundParameterType.None));
        Assert.Null(boolean.BuiltInFor(BoundParameterType.Int32));
        Assert.Null(guid.BuiltInFor(BoundParameterType.None));
        Assert.Null(guid.BuiltInFor(BoundParameterType.Boolean));
    }

    [Theory]
    [InlineData("""\d+""", "contains a match")]
    [InlineData("""^\d+""", "starts with a match")]
    [InlineData("""\d+$""", "ends with a match")]
    [InlineData("""^\d+$|\d""", "contains a match")]
    public void Unanchored_patterns_get_the_unanchored_verdict(string pattern, string detail)
    {
        var verdict = RegexConstraintAnalysis.Analyze(pattern, implicitlyAnchored: false);

        Assert.Equal(RegexConstraintVerdictKind.Unanchored, verdict.Kind);
        Assert.Equal(detail, verdict.Detail);
        Assert.Null(verdict.BuiltInFor(BoundParameterType.Int32));
    }

    [Fact]
    public void Unanchored_digits_really_accept_values_that_merely_contain_digits()
    {
        Assert.True(Matches(CreateConstraint("""regex(\d+)"""), "abc1"));
    }

    [Theory]
    [InlineData("""^(a+)+$""")]
    [InlineData("""^(\d+)*$""")]
    public void Nested_quantifiers_get_the_nested_verdict(string pattern)
    {
        var verdict = RegexConstraintAnalysis.Analyze(pattern, implicitlyAnchored: false);

        Assert.Equal(RegexConstraintVerdictKind.NestedQuantifiers, verdict.Kind);
        Assert.Null(verdict.BuiltInFor(BoundParameterType.Int32));
    }

    [Fact]
    public void A_pattern_dotnet_rejects_gets_the_invalid_verdict()
    {
        var verdict = RegexConstraintAnalysis.Analyze("""^[0-9+$""", implicitlyAnchored: false);

        Assert.Equal(RegexConstraintVerdictKind.Invalid, verdict.Kind);
        Assert.False(string.IsNullOrEmpty(verdict.Detail));
        Assert.Null(verdict.BuiltInFor(BoundParameterType.Int32));
        Assert.ThrowsAny<Exception>(() => Matches(CreateConstraint("""regex(^[0-9+$)"""), "1"));
    }

    // ---------------------------------------------------------------- harness

    private sealed record Comparison(BoundParameterType Type, List<string> RegexOnly, List<string> ConstraintOnly, List<string> Violations);

    private static Comparison Compare(string pattern, string builtIn, BoundParameterType type, IReadOnlyList<string>? inputs = null)
    {
        var regex = CreateConstraint("regex(" + pattern + ")");
        var constraint = CreateConstraint(builtIn);
        inputs ??= type switch
        {
            BoundParameterType.Guid => GuidInputs.Value,
            BoundParameterType.Boolean => BooleanInputs.Value,
            _ => NumericInputs.Value,
        };

        var regexOnly = new List<string>();
        var constraintOnly = new List<string>();
        var violations = new List<string>();
        foreach (var s in inputs)
        {
            var byRegex = Matches(regex, s);
            var byConstraint = Matches(constraint, s);
            if (byRegex == byConstraint)
            {
                continue;
            }

            if (byRegex)
            {
                regexOnly.Add(s);
                if (type != BoundParameterType.None && TryBind(type, s, out _))
                {
                    violations.Add($"only the regex accepts \"{Escape(s)}\", which binds to {type}");
                }
            }
            else
            {
                constraintOnly.Add(s);
                if (type != BoundParameterType.None)
                {
                    if (!TryBind(type, s, out var canonical))
                    {
                        violations.Add($"only {builtIn} accepts \"{Escape(s)}\", which does not bind to {type}");
                    }
                    else if (!canonical.Any(spelling => Matches(regex, spelling)))
                    {
                        violations.Add($"only {builtIn} accepts \"{Escape(s)}\"; the regex rejects its value's canonical spelling \"{Escape(canonical[0])}\"");
                    }
                }
            }
        }

        return new Comparison(type, regexOnly, constraintOnly, violations);
    }

    /// <summary>Asserts the criterion, that every difference is explained, and which explanations occur.</summary>
    private static void AssertDifferences(Comparison comparison, string[] regexOnlyFeatures, string[] constraintOnlyFeatures)
    {
        Assert.True(comparison.Violations.Count == 0, string.Join("\n", comparison.Violations.Take(12)));
        Assert.Equal(regexOnlyFeatures.Order(StringComparer.Ordinal), ObservedFeatures(comparison.RegexOnly, comparison.Type, "regex-only"));
        Assert.Equal(constraintOnlyFeatures.Order(StringComparer.Ordinal), ObservedFeatures(comparison.ConstraintOnly, comparison.Type, "constraint-only"));
    }

    private static IEnumerable<string> ObservedFeatures(List<string> inputs, BoundParameterType type, string side)
    {
        var features = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in inputs)
        {
            var own = type == BoundParameterType.None ? TextFeatures(s) : ValueFeatures(s, type, unbindable: side == "regex-only");
            Assert.True(own.Count > 0, $"unexplained {side} difference: \"{Escape(s)}\"");
            if (own.Count == 1)
            {
                features.UnionWith(own); // the differences that have a single explanation
            }
        }

        return features;
    }

    private static List<string> TextFeatures(string s)
    {
        var features = new List<string>();
        if (s.Length == 0)
        {
            features.Add(Empty);
        }

        if (s.Contains('\n'))
        {
            features.Add(LineFeed);
        }

        if (s.Any(c => c > '\u007F' && char.IsLetter(c)))
        {
            features.Add(NonAsciiLetter);
        }

        return features;
    }

    private static List<string> ValueFeatures(string s, BoundParameterType type, bool unbindable)
    {
        var features = AllValueFeatures(s, type);
        var reasons = new[] { OutOfRange, NonAsciiDigits };
        return features.Where(feature => reasons.Contains(feature) == unbindable).ToList();
    }

    private static List<string> AllValueFeatures(string s, BoundParameterType type)
    {
        var features = new List<string>();
        var trimmed = s.Trim().Trim('\0').Trim();
        if (s.Trim('\0').Trim().Length != s.Trim('\0').Length && trimmed.Length > 0)
        {
            features.Add(Whitespace);
        }

        if (s.EndsWith('\0') || s.StartsWith('\0'))
        {
            features.Add(NulPadding);
        }

        if (s.Any(c => c > '\u007F' && char.IsDigit(c)))
        {
            features.Add(NonAsciiDigits);
        }

        if (IsAsciiInteger(trimmed, out var sign, out var digits))
        {
            if (sign == '+')
            {
                features.Add(PlusSign);
            }

            if (sign == '-' && digits.All(c => c == '0'))
            {
                features.Add(MinusZero);
            }

            if (digits.Length > 1 && digits[0] == '0')
            {
                features.Add(LeadingZeros);
            }

            var inRange = type == BoundParameterType.Int64
                ? long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                : int.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            if (!inRange)
            {
                features.Add(OutOfRange);
            }
        }

        foreach (var (format, feature) in new[] { ("N", FormatN), ("B", FormatB), ("P", FormatP), ("X", FormatX) })
        {
            if (Guid.TryParseExact(trimmed, format, out _))
            {
                features.Add(feature);
            }
        }

        return features;
    }

    private static bool IsAsciiInteger(string s, out char sign, out string digits)
    {
        sign = s.Length > 0 && s[0] is '+' or '-' ? s[0] : '\0';
        digits = sign == '\0' ? s : s.Substring(1);
        return digits.Length > 0 && digits.All(char.IsAsciiDigit);
    }

    private static bool TryBind(BoundParameterType type, string s, out string[] canonical)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (type)
        {
            case BoundParameterType.Int32 when int.TryParse(s, NumberStyles.Integer, invariant, out var i):
                canonical = [i.ToString(invariant)];
                return true;
            case BoundParameterType.Int64 when long.TryParse(s, NumberStyles.Integer, invariant, out var l):
                canonical = [l.ToString(invariant)];
                return true;
            case BoundParameterType.Boolean when bool.TryParse(s, out var b):
                canonical = [b ? "true" : "false"];
                return true;
            case BoundParameterType.Guid when Guid.TryParse(s, out var g):
                canonical = [g.ToString("D"), g.ToString("D").ToUpperInvariant()];
                return true;
            default:
                canonical = [];
                return false;
        }
    }

    private static IInlineConstraintResolver CreateResolver()
    {
        var services = new ServiceCollection();
        services.AddRouting();
        return services.BuildServiceProvider().GetRequiredService<IInlineConstraintResolver>();
    }

    /// <summary>Resolves "name(args)" or several constraints joined by top-level ':' (all must match).</summary>
    private static IRouteConstraint CreateConstraint(string text)
    {
        var parts = new List<IRouteConstraint>();
        var depth = 0;
        var from = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ':' && depth == 0))
            {
                var part = text.Substring(from, i - from);
                parts.Add(Resolver.ResolveConstraint(part) ?? throw new InvalidOperationException("ASP.NET Core does not resolve " + part));
                from = i + 1;
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
        }

        return parts.Count == 1 ? parts[0] : new AllConstraints(parts);
    }

    private sealed class AllConstraints(List<IRouteConstraint> parts) : IRouteConstraint
    {
        public bool Match(Microsoft.AspNetCore.Http.HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
            => parts.All(part => part.Match(httpContext, route, routeKey, values, routeDirection));
    }

    private static bool Matches(IRouteConstraint constraint, string s)
        => constraint.Match(httpContext: null, route: null, "p", new RouteValueDictionary { ["p"] = s }, RouteDirection.IncomingRequest);

    private static string Escape(string s)
    {
        var builder = new StringBuilder();
        foreach (var c in s)
        {
            builder.Append(c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return builder.ToString();
    }

    // ---------------------------------------------------------------- inputs

    private static readonly string[] Padding = ["", " ", "\t", "\n", "\r\n", "\u00A0", "\0"];

    private static IReadOnlyList<string> CreateNumericInputs()
    {
        var inputs = new List<string>
        {
            "", " ", "\n", "\t", "+", "-", "+-5", "--5", "5-", "5+", "1,000", "1_000", "1.0", "1e3", "0x10", "\u22125",
            "+5", "-0", "+0", "-00", "007", "0", "00", "05", "0999", "000001", "100000", "1000", "6", "-1", "-5", "-١",
            " 5", "5 ", "\t5", "5\t", "5\n", "\n5", "5\r\n", " 5 ", "\u00A05", "5\0",
            "١٢٣", "１２３", "٠", "1١", "١1", "١٢٣\n", "۱۲۳", "५", "-99999999999999999999", "99999999999",
            new string('1', 1000), new string('0', 999) + "1", "-" + new string('9', 1000),
            "k", "\u212A", "\u017F", "\u0131", "\u0130", "abc1", "1abc",
        };

        var boundaries = new List<decimal>
        {
            0, 1, -1, int.MaxValue, (decimal)int.MaxValue + 1, int.MinValue, (decimal)int.MinValue - 1,
            long.MaxValue, (decimal)long.MaxValue + 1, long.MinValue, (decimal)long.MinValue - 1,
        };
        decimal power = 1;
        for (var n = 1; n <= 20; n++)
        {
            power *= 10;
            boundaries.Add(power - 1);
            boundaries.Add(power);
            boundaries.Add(-(power - 1));
            boundaries.Add(-power);
        }

        foreach (var value in boundaries)
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            inputs.Add(text);
            inputs.Add("+" + text.TrimStart('-'));
            inputs.Add("0" + text.TrimStart('-'));
            inputs.Add(" " + text);
            inputs.Add(text + "\n");
        }

        var random = new Random(20250612);
        const string asciiDigits = "0123456789";
        const string alphabet = "0123456789abcxyzAKSI+- \t\n\u0660\u0661\u0669\uFF10\uFF11\uFF19\u212A\u017F\u0131\u0130";
        for (var i = 0; i < 1500; i++)
        {
            // integers, some with signs, leading zeros or padding
            var builder = new StringBuilder();
            var sign = random.Next(6) switch { 0 => "+", 1 or 2 => "-", _ => "" };
            var zeros = random.Next(4) == 0 ? new string('0', random.Next(1, 3)) : "";
            var length = random.Next(1, 22);
            for (var k = 0; k < length; k++)
            {
                builder.Append(asciiDigits[random.Next(k == 0 && length > 1 ? 1 : 0, 10)]);
            }

            inputs.Add(Padding[random.Next(Padding.Length)] + sign + zeros + builder + Padding[random.Next(Padding.Length)]);
        }

        for (var i = 0; i < 600; i++)
        {
            // short integers, to hit small ranges
            inputs.Add(Padding[random.Next(3) == 0 ? random.Next(Padding.Length) : 0] + (random.Next(3) == 0 ? "-" : "") + random.Next(0, 2000).ToString(CultureInfo.InvariantCulture));
        }

        for (var i = 0; i < 1500; i++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 13);
            for (var k = 0; k < length; k++)
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }

            inputs.Add(builder.ToString());
        }

        return inputs.Distinct(StringComparer.Ordinal).ToList();
    }

    private static Guid FixedGuid() => new("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    private static IReadOnlyList<string> CreateGuidInputs()
    {
        var random = new Random(20250613);
        var guids = new List<Guid> { FixedGuid(), Guid.Empty, new("ffffffff-ffff-ffff-ffff-ffffffffffff") };
        for (var i = 0; i < 150; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            guids.Add(new Guid(bytes));
        }

        var inputs = new List<string>();
        foreach (var guid in guids)
        {
            foreach (var format in new[] { "N", "D", "B", "P", "X" })
            {
                var text = guid.ToString(format, CultureInfo.InvariantCulture);
                inputs.Add(text);
                inputs.Add(text.ToUpperInvariant());
                inputs.Add(" " + text + " ");
                inputs.Add(Padding[random.Next(Padding.Length)] + text + Padding[random.Next(Padding.Length)]);
                inputs.Add(text + "\n");
                inputs.Add(text.Substring(1));
                inputs.Add(text + "0");
                var position = random.Next(text.Length);
                inputs.Add(text.Substring(0, position) + "g" + text.Substring(position + 1));
                inputs.Add(text.Substring(0, position) + "\u212A" + text.Substring(position + 1));
                inputs.Add(text.Substring(0, position) + "\uFF10" + text.Substring(position + 1));
            }

            var d = guid.ToString("D");
            inputs.Add(d.Replace("-", "", StringComparison.Ordinal).Insert(8, "-"));
            inputs.Add("{" + d);
            inputs.Add(d + "}");
            inputs.Add("(" + d + "}");
        }

        inputs.AddRange(["", " ", "\n", "0", "guid", "{}", "00000000-0000-0000-0000-00000000000", "00000000000000000000000000000000"]);
        return inputs.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IReadOnlyList<string> CreateBooleanInputs()
    {
        var inputs = new List<string> { "", " ", "\n", "0", "1", "t", "f", "yes", "no", "tru", "truee", "fals", "falsee", "truefalse", "true|false" };
        foreach (var word in new[] { "true", "false", "True", "FALSE", "tRuE", "fAlSe", "fal\u017Fe", "\u0131rue", "true\u0130" })
        {
            inputs.Add(word);
            foreach (var before in Padding)
            {
                foreach (var after in Padding)
                {
                    inputs.Add(before + word + after);
                }
            }
        }

        return inputs.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IReadOnlyList<string> CreateTextInputs()
    {
        var inputs = new List<string>
        {
            "", "a", "ab", "abc", "abcd", "ABC", "\u212A", "a\u212Ab", "\u017F", "\u0131", "\u0130", "é", "ß",
            "abc\n", "ab\n", "a\nb", "\nab", "\n\n\n", "a\r\n", "abc\r", "\uD83D\uDE00a", "1 2", "a-b",
        };

        var random = new Random(20250614);
        const string alphabet = "abcxyzAKSIZ019 -_\n\r\t.\u212A\u017F\u0131\u0130\u00E9\u0660\uFF21";
        for (var i = 0; i < 3000; i++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 7);
            for (var k = 0; k < length; k++)
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }

            inputs.Add(builder.ToString());
        }

        return inputs.Distinct(StringComparer.Ordinal).ToList();
    }
}
