using System.Collections.Immutable;

namespace PerfRules.Routing;

/// <summary>
/// Parses the subset of .NET regular-expression syntax that route constraints use into <see cref="RegexNode"/>s.
/// Constructs it does not model become <see cref="RegexUnsupported"/>; it never throws. Validity is
/// decided by .NET's own <c>Regex</c> parser, not by this one.
/// </summary>
internal sealed class RegexParser
{
    private readonly string _pattern;
    private int _position;

    private RegexParser(string pattern) => _pattern = pattern;

    public static RegexNode Parse(string pattern)
    {
        var parser = new RegexParser(pattern);
        var node = parser.ParseAlternation();
        return parser._position == pattern.Length ? node : RegexUnsupported.Instance;
    }

    private bool AtEnd => _position >= _pattern.Length;

    private char Current => _pattern[_position];

    private RegexNode ParseAlternation()
    {
        var branches = ImmutableArray.CreateBuilder<RegexNode>();
        branches.Add(ParseSequence());
        while (!AtEnd && Current == '|')
        {
            _position++;
            branches.Add(ParseSequence());
        }

        return branches.Count == 1 ? branches[0] : new RegexAlternation(branches.ToImmutable());
    }

    private RegexNode ParseSequence()
    {
        var items = ImmutableArray.CreateBuilder<RegexNode>();
        while (!AtEnd && Current != '|' && Current != ')')
        {
            var atom = ParseAtom();
            items.Add(ParseQuantifiers(atom));
        }

        return items.Count == 1 ? items[0] : new RegexSequence(items.ToImmutable());
    }

    private RegexNode ParseQuantifiers(RegexNode atom)
    {
        while (!AtEnd)
        {
            int min, max;
            var c = Current;
            if (c == '*')
            {
                (min, max) = (0, -1);
                _position++;
            }
            else if (c == '+')
            {
                (min, max) = (1, -1);
                _position++;
            }
            else if (c == '?')
            {
                (min, max) = (0, 1);
                _position++;
            }
            else if (c == '{' && TryReadBraces(out min, out max))
            {
            }
            else
            {
                return atom;
            }

            if (!AtEnd && Current == '?')
            {
                _position++; // lazy: matches the same set of strings
            }

            atom = atom is RegexAnchor ? RegexUnsupported.Instance : new RegexRepeat(atom, min, max);
        }

        return atom;
    }

    private bool TryReadBraces(out int min, out int max)
    {
        min = max = 0;
        var position = _position + 1;
        if (!TryReadNumber(ref position, out min))
        {
            return false;
        }

        max = min;
        if (position < _pattern.Length && _pattern[position] == ',')
        {
            position++;
            max = -1;
            if (position < _pattern.Length && char.IsDigit(_pattern[position]) && !TryReadNumber(ref position, out max))
            {
                return false;
            }
        }

        if (position >= _pattern.Length || _pattern[position] != '}')
        {
            return false;
        }

        _position = position + 1;
        return true;
    }

    private bool TryReadNumber(ref int position, out int value)
    {
        value = 0;
        var start = position;
        while (position < _pattern.Length && _pattern[position] is >= '0' and <= '9')
        {
            if (value > 100_000_000)
            {
                return false;
            }

            value = (value * 10) + (_pattern[position] - '0');
            position++;
        }

        return position > start;
    }

    private RegexNode ParseAtom()
    {
        var c = Current;
        _position++;
        switch (c)
        {
            case '^':
                return new RegexAnchor(RegexAnchorKind.Start);
            case '$':
                return new RegexAnchor(RegexAnchorKind.EndOrBeforeFinalNewline);
            case '.':
                return new RegexCharClass(true, ImmutableArray.Create(('\n', '\n')), false, false);
            case '(':
                return ParseGroup();
            case '[':
                return ParseClass();
            case '\\':
                return ParseEscape(inClass: false, out _);
            case '*' or '+' or '?':
                return RegexUnsupported.Instance; // invalid: a quantifier with nothing before it
            default:
                return new RegexLiteral(c);
        }
    }

    private RegexNode ParseGroup()
    {
        if (!AtEnd && Current == '?')
        {
            if (_position + 1 < _pattern.Length && _pattern[_position + 1] == ':')
            {
                _position += 2;
            }
            else if (_position + 1 < _pattern.Length && (_pattern[_position + 1] == '<' || _pattern[_position + 1] == '\'')
                && _position + 2 < _pattern.Length && _pattern[_position + 2] != '=' && _pattern[_position + 2] != '!')
            {
                // named group (?<name>...) or (?'name'...)
                var close = _pattern[_position + 1] == '<' ? '>' : '\'';
                var end = _pattern.IndexOf(close, _position + 2);
                if (end < 0)
                {
                    return Skip();
                }

                _position = end + 1;
            }
            else
            {
                return Skip(); // look-arounds, atomic groups, inline options, conditionals, comments
            }
        }

        var body = ParseAlternation();
        if (AtEnd || Current != ')')
        {
            return RegexUnsupported.Instance;
        }

        _position++;
        return new RegexGroup(body);
    }

    // Skips an unsupported group up to its matching ')' so parsing can go on; the result is unsupported anyway.
    private RegexNode Skip()
    {
        var depth = 1;
        while (!AtEnd && depth > 0)
        {
            var c = Current;
            _position++;
            if (c == '\\')
            {
                _position++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
        }

        return RegexUnsupported.Instance;
    }

    private RegexNode ParseClass()
    {
        var negated = false;
        if (!AtEnd && Current == '^')
        {
            negated = true;
            _position++;
        }

        var ranges = ImmutableArray.CreateBuilder<(char, char)>();
        var digits = false;
        var other = false;
        var first = true;
        while (!AtEnd && (Current != ']' || first))
        {
            first = false;
            char low;
            if (Current == '[' && _position + 1 < _pattern.Length && _pattern[_position + 1] == ':')
            {
                other = true; // [:name:] is literal text in .NET, treat conservatively
            }

            if (Current == '-' && _position + 1 < _pattern.Length && _pattern[_position + 1] == '[')
            {
                return SkipClass(); // class subtraction
            }

            if (Current == '\\')
            {
                _position++;
                if (AtEnd)
                {
                    return RegexUnsupported.Instance;
                }

                var escaped = ParseEscape(inClass: true, out var single);
                if (escaped is RegexCharClass category)
                {
                    digits |= category.Digits && !category.Negated;
                    other |= category.OtherCategories || category.Negated;
                    continue;
                }

                if (single is null)
                {
                    return SkipClass();
                }

                low = single.Value;
            }
            else
            {
                low = Current;
                _position++;
            }

            var high = low;
            if (!AtEnd && Current == '-' && _position + 1 < _pattern.Length && _pattern[_position + 1] != ']')
            {
                _position++;
                if (Current == '\\')
                {
                    _position++;
                    if (AtEnd || ParseEscape(inClass: true, out var upper) is not RegexLiteral || upper is null)
                    {
                        return SkipClass();
                    }

                    high = upper.Value;
                }
                else
                {
                    high = Current;
                    _position++;
                }

                if (high < low)
                {
                    return SkipClass();
                }
            }

            ranges.Add((low, high));
        }

        if (AtEnd)
        {
            return RegexUnsupported.Instance;
        }

        _position++; // ']'
        return new RegexCharClass(negated, ranges.ToImmutable(), digits, other);
    }

    private RegexNode SkipClass()
    {
        var depth = 1;
        while (!AtEnd && depth > 0)
        {
            if (Current == '\\')
            {
                _position++;
            }
            else if (Current == '[')
            {
                depth++;
            }
            else if (Current == ']')
            {
                depth--;
            }

            _position++;
        }

        return RegexUnsupported.Instance;
    }

    // After a backslash. Returns a class for \d \w \s (and negations), an anchor, a literal, or unsupported.
    private RegexNode ParseEscape(bool inClass, out char? single)
    {
        single = null;
        if (AtEnd)
        {
            return RegexUnsupported.Instance;
        }

        var c = Current;
        _position++;
        switch (c)
        {
            case 'd':
                return new RegexCharClass(false, ImmutableArray<(char, char)>.Empty, true, false);
            case 'D':
                return new RegexCharClass(true, ImmutableArray<(char, char)>.Empty, true, false);
            case 'w' or 'W' or 's' or 'S':
                return new RegexCharClass(c is 'W' or 'S', ImmutableArray<(char, char)>.Empty, false, true);
            case 'p' or 'P':
                if (!AtEnd && Current == '{')
                {
                    var end = _pattern.IndexOf('}', _position);
                    _position = end < 0 ? _pattern.Length : end + 1;
                }

                return new RegexCharClass(c == 'P', ImmutableArray<(char, char)>.Empty, false, true);
            case 'A' when !inClass:
                return new RegexAnchor(RegexAnchorKind.Start);
            case 'Z' when !inClass:
                return new RegexAnchor(RegexAnchorKind.EndOrBeforeFinalNewline);
            case 'z' when !inClass:
                return new RegexAnchor(RegexAnchorKind.End);
            case 'b' when !inClass:
            case 'B' or 'G' when !inClass:
                return new RegexAnchor(RegexAnchorKind.Other);
            case 'b':
                return Literal('\b', out single);
            case 't':
                return Literal('\t', out single);
            case 'n':
                return Literal('\n', out single);
            case 'r':
                return Literal('\r', out single);
            case 'f':
                return Literal('\f', out single);
            case 'v':
                return Literal('\v', out single);
            case 'e':
                return Literal('\u001b', out single);
            case 'a':
                return Literal('\a', out single);
            case 'x':
                return TryHex(2, out var x) ? Literal((char)x, out single) : RegexUnsupported.Instance;
            case 'u':
                return TryHex(4, out var u) ? Literal((char)u, out single) : RegexUnsupported.Instance;
            default:
                if (char.IsLetterOrDigit(c))
                {
                    return RegexUnsupported.Instance; // back-references, \k, \c, octal: not modelled
                }

                return Literal(c, out single);
        }
    }

    private static RegexNode Literal(char c, out char? single)
    {
        single = c;
        return new RegexLiteral(c);
    }

    private bool TryHex(int count, out int value)
    {
        value = 0;
        if (_position + count > _pattern.Length)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var c = _pattern[_position + i];
            var h = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;
            if (h < 0)
            {
                return false;
            }

            value = (value * 16) + h;
        }

        _position += count;
        return true;
    }
}
