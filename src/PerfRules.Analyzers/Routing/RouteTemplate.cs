using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;

namespace PerfRules.Routing;

/// <summary>One inline constraint of a route parameter, e.g. <c>regex(^\d+$)</c> in <c>{id:regex(^\d+$)}</c>.</summary>
/// <param name="ParameterName">The parameter the constraint applies to.</param>
/// <param name="Text">The constraint text as ASP.NET Core resolves it (escapes decoded).</param>
/// <param name="Start">Where the constraint text starts in the template string (before decoding).</param>
/// <param name="End">Where it ends in the template string (exclusive).</param>
/// <param name="ArgumentStart">Where the text between the first '(' and the final ')' starts in the template string; -1 without arguments.</param>
/// <param name="ArgumentEnd">Where that argument ends in the template string (exclusive).</param>
internal readonly record struct RouteConstraintReference(string ParameterName, string Text, int Start, int End, int ArgumentStart, int ArgumentEnd)
{
    /// <summary>The constraint's name: the text before '(' (the policy map is case-insensitive).</summary>
    public string Name => Text.IndexOf('(') is var open and >= 0 ? Text.Substring(0, open) : Text;

    /// <summary>The argument between the first '(' and the final ')', or null.</summary>
    public string? Argument
    {
        get
        {
            var open = Text.IndexOf('(');
            return open >= 0 && Text.Length > open + 1 && Text[Text.Length - 1] == ')' ? Text.Substring(open + 1, Text.Length - open - 2) : null;
        }
    }

    public bool IsRegex => string.Equals(Name, "regex", StringComparison.OrdinalIgnoreCase) && Argument is not null;
}

/// <summary>
/// Reads route templates the way ASP.NET Core's route pattern parser does, keeping for every inline
/// constraint where its text stands in the template string: parameters in braces, <c>{{</c>/<c>}}</c>
/// escapes, constraint arguments that contain '(', ')', ':', '=' or escaped braces, optional
/// (<c>?</c>), catch-all (<c>*</c>/<c>**</c>) and default values. For MVC attribute routes the
/// <c>[[</c>/<c>]]</c> escapes of token replacement are decoded first.
/// </summary>
internal static class RouteTemplate
{
    /// <summary>
    /// The inline constraints of <paramref name="template"/>; default (IsDefault) when the template is
    /// malformed, as ASP.NET Core would reject it (unbalanced braces, empty parameters).
    /// </summary>
    public static ImmutableArray<RouteConstraintReference> ParseConstraints(string template, bool isAttributeRoute)
    {
        // Step 1 (attribute routes only): token replacement's [[ and ]] escapes. A lone '[' or ']' starts a
        // token such as [controller]; we only read templates whose brackets are all escaped or whose tokens
        // contain no braces, and keep the offsets of the original text.
        var (text, map) = isAttributeRoute ? DecodeBrackets(template) : (template, Identity(template.Length));
        if (text is null)
        {
            return default;
        }

        var result = ImmutableArray.CreateBuilder<RouteConstraintReference>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '{')
            {
                if (i + 1 < text.Length && text[i + 1] == '{')
                {
                    i += 2; // escaped brace in a literal
                    continue;
                }

                if (!TryReadParameter(text, ref i, out var inner, out var innerStart))
                {
                    return default;
                }

                if (!ReadParameter(text, inner, innerStart, map, result))
                {
                    return default;
                }

                continue;
            }

            if (c == '}')
            {
                if (i + 1 < text.Length && text[i + 1] == '}')
                {
                    i += 2;
                    continue;
                }

                return default; // unbalanced close brace
            }

            i++;
        }

        return result.ToImmutable();
    }

    // Reads "{...}" starting at text[i] == '{'; braces inside are escaped by doubling. On success i is past the '}'.
    private static bool TryReadParameter(string text, ref int i, out string inner, out int innerStart)
    {
        inner = string.Empty;
        innerStart = i + 1;
        var j = i + 1;
        while (true)
        {
            if (j >= text.Length)
            {
                return false;
            }

            var c = text[j];
            if (c == '{')
            {
                if (j + 1 >= text.Length || text[j + 1] != '{')
                {
                    return false; // unescaped '{' inside a parameter
                }

                j += 2;
                continue;
            }

            if (c == '}')
            {
                if (j + 1 < text.Length && text[j + 1] == '}')
                {
                    j += 2;
                    continue;
                }

                break;
            }

            j++;
        }

        inner = text.Substring(innerStart, j - innerStart);
        i = j + 1;
        return inner.Length > 0;
    }

    private static bool ReadParameter(string text, string rawInner, int rawInnerStart, int[] map, ImmutableArray<RouteConstraintReference>.Builder result)
    {
        // Decode "}}" and "{{" inside the parameter, remembering where each decoded character came from.
        var decoded = new StringBuilder(rawInner.Length);
        var origin = new List<int>(rawInner.Length + 1);
        for (var k = 0; k < rawInner.Length; k++)
        {
            origin.Add(rawInnerStart + k);
            decoded.Append(rawInner[k]);
            if ((rawInner[k] == '}' || rawInner[k] == '{') && k + 1 < rawInner.Length && rawInner[k + 1] == rawInner[k])
            {
                k++;
            }
        }

        origin.Add(rawInnerStart + rawInner.Length);
        var parameter = decoded.ToString();

        var start = 0;
        var end = parameter.Length - 1;
        if (parameter.StartsWith("**", StringComparison.Ordinal))
        {
            start = 2;
        }
        else if (parameter[0] == '*')
        {
            start = 1;
        }

        if (end >= 0 && parameter[end] == '?')
        {
            end--;
        }

        // The name runs to the first ':' or '=' that is not its first character.
        var index = start;
        var name = string.Empty;
        while (index <= end)
        {
            var c = parameter[index];
            if ((c == ':' || c == '=') && index != start)
            {
                name = parameter.Substring(start, index - start);
                break;
            }

            if (index == end)
            {
                name = parameter.Substring(start, index - start + 1);
            }

            index++;
        }

        if (name.Length == 0 || name.IndexOfAny(InvalidNameCharacters) >= 0)
        {
            return false;
        }

        foreach (var (from, to) in SplitConstraints(parameter, index, end))
        {
            var constraintText = parameter.Substring(from, to - from);
            var open = constraintText.IndexOf('(');
            int argumentStart = -1, argumentEnd = -1;
            if (open >= 0 && constraintText.Length > open + 1 && constraintText[constraintText.Length - 1] == ')')
            {
                argumentStart = Original(map, origin[from + open + 1]);
                argumentEnd = Original(map, origin[to - 1]);
            }

            result.Add(new RouteConstraintReference(name, constraintText, Original(map, origin[from]), Original(map, origin[to]), argumentStart, argumentEnd));
        }

        return true;
    }

    private static readonly char[] InvalidNameCharacters = { '/', '{', '}', '?', '*' };

    /// <summary>
    /// The constraint texts of a parameter after its name, as ASP.NET Core splits them: a ')' ends an argument
    /// only before ':', '=' or the end; a ':' or '=' inside parentheses ends the constraint only when no ')'
    /// follows anywhere later.
    /// </summary>
    private static List<(int From, int To)> SplitConstraints(string text, int index, int end)
    {
        var constraints = new List<(int, int)>();
        var state = 0; // 0 start, 1 name, 2 inside parentheses
        var from = index;
        while (true)
        {
            char? c = index > end ? null : text[index];
            var done = false;
            switch (state)
            {
                case 0:
                    if (c is null || c == '=')
                    {
                        done = true;
                    }
                    else if (c == ':')
                    {
                        state = 1;
                        from = index + 1;
                    }
                    else if (c == '(')
                    {
                        state = 2;
                    }

                    break;
                case 1:
                    if (c is null || c == '=')
                    {
                        if (index > from)
                        {
                            constraints.Add((from, index));
                        }

                        done = true;
                    }
                    else if (c == ':')
                    {
                        if (index > from)
                        {
                            constraints.Add((from, index));
                        }

                        from = index + 1;
                    }
                    else if (c == '(')
                    {
                        state = 2;
                    }

                    break;
                default:
                    if (c is null)
                    {
                        constraints.Add((from, index));
                        done = true;
                    }
                    else if (c == ')')
                    {
                        char? next = index + 1 > end ? null : text[index + 1];
                        if (next is null || next == '=')
                        {
                            constraints.Add((from, index + 1));
                            done = true;
                        }
                        else if (next == ':')
                        {
                            constraints.Add((from, index + 1));
                            state = 0;
                            from = index + 1;
                        }
                    }
                    else if (c == ':' || c == '=')
                    {
                        var closing = text.IndexOf(')', index + 1);
                        if (closing < 0 || closing > end)
                        {
                            constraints.Add((from, index));
                            if (c == ':')
                            {
                                state = 1;
                                from = index + 1;
                            }
                            else
                            {
                                done = true;
                            }
                        }
                        else
                        {
                            index = closing - 1;
                        }
                    }

                    break;
            }

            if (done)
            {
                return constraints;
            }

            index++;
        }
    }

    private static int Original(int[] map, int index) => map[index];

    private static int[] Identity(int length)
    {
        var map = new int[length + 1];
        for (var i = 0; i <= length; i++)
        {
            map[i] = i;
        }

        return map;
    }

    // Attribute routes: "[[" -> "[", "]]" -> "]". Tokens like [controller] or [action] stay as they are (they
    // contain no braces and no constraint). A lone bracket inside a parameter would be read as a token by MVC:
    // such templates are left alone (null).
    private static (string? Text, int[] Map) DecodeBrackets(string template)
    {
        if (template.IndexOf('[') < 0 && template.IndexOf(']') < 0)
        {
            return (template, Identity(template.Length));
        }

        var builder = new StringBuilder(template.Length);
        var map = new List<int>(template.Length + 1);
        var depth = 0;
        var braces = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '[' || c == ']' || c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                map.Add(i);
                builder.Append(c);
                if (c is '{' or '}')
                {
                    map.Add(i + 1);
                    builder.Append(c);
                }

                i++;
                continue;
            }

            if (c == '{')
            {
                braces++;
            }
            else if (c == '}')
            {
                braces--;
            }
            else if ((c == '[' || c == ']') && braces > 0)
            {
                return (null, Array.Empty<int>()); // MVC would read a token inside the parameter
            }

            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (depth > 0 && (c == '{' || c == '}'))
            {
                return (null, Array.Empty<int>());
            }

            if (depth < 0 || depth > 1)
            {
                return (null, Array.Empty<int>());
            }

            map.Add(i);
            builder.Append(c);
        }

        if (depth != 0)
        {
            return (null, Array.Empty<int>());
        }

        map.Add(template.Length);
        return (builder.ToString(), map.ToArray());
    }
}
