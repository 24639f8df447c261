using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis.Text;

namespace PerfRules.Razor;

/// <summary>
/// A small Razor-aware reader of <c>.cshtml</c> text. It separates markup from C# the way Razor does for the
/// constructs views use (<c>@*…*@</c> comments, <c>@@</c>, <c>@{…}</c>, <c>@(…)</c>, implicit expressions,
/// <c>@if/@foreach/@for/@while/@do/@switch/@using/@try/@lock</c>, markup inside code blocks,
/// <c>&lt;text&gt;</c>, <c>@:</c> lines, C# strings and comments, directives) and records loops, cache tag
/// helpers and partials. It never throws; a file it cannot follow is reported as incomplete.
/// </summary>
internal sealed class RazorScanner
{
    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "!doctype",
    };

    private static readonly HashSet<string> Directives = new(StringComparer.Ordinal)
    {
        "model", "using", "inject", "page", "layout", "addTagHelper", "removeTagHelper", "tagHelperPrefix", "namespace",
        "inherits", "implements", "attribute", "preservewhitespace", "rendermode", "typeparam",
    };

    private static readonly Regex PartialCalls = new(
        @"\b(?:Html\s*\.\s*(?<name>PartialAsync|RenderPartialAsync|Partial|RenderPartial)|Component\s*\.\s*(?<name>InvokeAsync))\s*[(<]",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private const int MaxDepth = 200;

    private readonly string _text;
    private readonly CancellationToken _cancellationToken;
    private readonly List<TextSpan> _code = new();
    private readonly List<RazorLoop> _loops = new();
    private readonly List<RazorCacheElement> _caches = new();
    private readonly List<RazorPartial> _partials = new();
    private bool _complete = true;
    private TextSpan? _pageRoute;
    private int _depth;

    private RazorScanner(string text, CancellationToken cancellationToken)
    {
        _text = text;
        _cancellationToken = cancellationToken;
    }

    public static RazorDocument Scan(string text, CancellationToken cancellationToken = default)
    {
        var scanner = new RazorScanner(text, cancellationToken);
        var end = scanner.ParseMarkup(0, closeTag: null);
        if (end < text.Length)
        {
            scanner._complete = false;
        }

        foreach (var span in scanner._code)
        {
            foreach (Match match in PartialCalls.Matches(text.Substring(span.Start, span.Length)))
            {
                var name = match.Groups["name"].Value;
                var display = name == "InvokeAsync" ? "Component.InvokeAsync" : "Html." + name;
                scanner._partials.Add(new RazorPartial(display, new TextSpan(span.Start + match.Index, match.Length - 1)));
            }
        }

        return new RazorDocument(scanner._complete, scanner._code.ToImmutableArray(), scanner._loops.ToImmutableArray(), scanner._caches.ToImmutableArray(), scanner._partials.ToImmutableArray(), scanner._pageRoute);
    }

    private char At(int i) => i < _text.Length ? _text[i] : '\0';

    // Markup until the end of the text, or until </closeTag> (returns the position after it).
    private int ParseMarkup(int i, string? closeTag)
    {
        var sameNameDepth = 0;
        var openCaches = new Stack<(string Name, TextSpan StartTag, ImmutableDictionary<string, string> Attributes, int ContentStart)>();
        while (i < _text.Length)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var c = _text[i];
            if (c == '@')
            {
                i = ParseTransition(i);
                continue;
            }

            if (c == '<')
            {
                if (string.CompareOrdinal(_text, i, "<!--", 0, 4) == 0)
                {
                    var close = _text.IndexOf("-->", i + 4, StringComparison.Ordinal);
                    i = close < 0 ? _text.Length : close + 3;
                    continue;
                }

                if (At(i + 1) == '/')
                {
                    var name = ReadName(i + 2);
                    var tagEnd = _text.IndexOf('>', i);
                    var after = tagEnd < 0 ? _text.Length : tagEnd + 1;
                    if (closeTag is not null && string.Equals(name, closeTag, StringComparison.OrdinalIgnoreCase))
                    {
                        if (sameNameDepth == 0)
                        {
                            return after;
                        }

                        sameNameDepth--;
                    }

                    if (openCaches.Count > 0 && string.Equals(openCaches.Peek().Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        var open = openCaches.Pop();
                        _caches.Add(new RazorCacheElement(open.Name, open.StartTag, open.Attributes, TextSpan.FromBounds(open.ContentStart, i)));
                    }

                    i = after;
                    continue;
                }

                if (IsNameStart(At(i + 1)))
                {
                    var name = ReadName(i + 1);
                    var (end, selfClosing, attributes) = ParseStartTag(i, name);
                    var lower = name.ToLowerInvariant();
                    if (lower is "partial" || lower.StartsWith("vc:", StringComparison.Ordinal))
                    {
                        _partials.Add(new RazorPartial("<" + name + ">", TextSpan.FromBounds(i, end)));
                    }

                    if (!selfClosing && lower is "cache" or "distributed-cache")
                    {
                        openCaches.Push((name, TextSpan.FromBounds(i, end), attributes, end));
                    }

                    if (!selfClosing && closeTag is not null && string.Equals(name, closeTag, StringComparison.OrdinalIgnoreCase))
                    {
                        sameNameDepth++;
                    }

                    i = end;
                    continue;
                }
            }

            i++;
        }

        if (closeTag is not null || openCaches.Count > 0)
        {
            _complete = false;
        }

        return _text.Length;
    }

    // After "<name": attributes up to '>' ; values may hold @code. Returns the end of the tag.
    private (int End, bool SelfClosing, ImmutableDictionary<string, string> Attributes) ParseStartTag(int start, string name)
    {
        var attributes = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var i = start + 1 + name.Length;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c == '>')
            {
                return (i + 1, VoidElements.Contains(name), attributes.ToImmutable());
            }

            if (c == '/' && At(i + 1) == '>')
            {
                return (i + 2, true, attributes.ToImmutable());
            }

            if (c == '@')
            {
                i = ParseTransition(i);
                continue;
            }

            if (IsNameStart(c))
            {
                var attribute = ReadName(i);
                i += attribute.Length;
                var value = string.Empty;
                if (At(i) == '=')
                {
                    i++;
                    var quote = At(i);
                    if (quote is '"' or '\'')
                    {
                        var valueStart = i + 1;
                        var j = valueStart;
                        while (j < _text.Length && _text[j] != quote)
                        {
                            if (_text[j] == '@')
                            {
                                j = ParseTransition(j);
                                continue;
                            }

                            j++;
                        }

                        value = _text.Substring(valueStart, Math.Min(j, _text.Length) - valueStart);
                        i = j + 1;
                    }
                    else
                    {
                        var valueStart = i;
                        while (i < _text.Length && !char.IsWhiteSpace(_text[i]) && _text[i] != '>')
                        {
                            i++;
                        }

                        value = _text.Substring(valueStart, i - valueStart);
                    }
                }

                attributes[attribute.ToLowerInvariant()] = value;
                continue;
            }

            i++;
        }

        _complete = false;
        return (_text.Length, true, attributes.ToImmutable());
    }

    // At '@' in markup. Returns the position after the construct.
    private int ParseTransition(int at)
    {
        var next = At(at + 1);
        if (at > 0 && (char.IsLetterOrDigit(_text[at - 1]) || _text[at - 1] == '.') && next != '(' && next != '{')
        {
            return at + 1; // an e-mail address or similar text
        }

        switch (next)
        {
            case '@':
                return at + 2;
            case '*':
                {
                    var close = _text.IndexOf("*@", at + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        _complete = false;
                        return _text.Length;
                    }

                    return close + 2;
                }

            case '{':
                return ParseCodeBlock(at + 1, loopKeyword: null);
            case '(':
                {
                    var end = SkipBalanced(at + 1, '(', ')');
                    AddCode(at + 1, end);
                    return end;
                }

            case ':':
                return at + 1;
        }

        if (!IsIdentifierStart(next))
        {
            return at + 1;
        }

        var word = ReadIdentifier(at + 1);
        var afterWord = at + 1 + word.Length;
        switch (word)
        {
            case "if" or "foreach" or "for" or "while" or "switch" or "using" or "lock" or "do" or "try":
                if (word == "using" && At(SkipSpaces(afterWord)) != '(')
                {
                    return SkipLine(afterWord); // @using Namespace directive
                }

                return ParseControlFlow(at + 1, word);
            case "functions" or "code":
                {
                    var brace = SkipWhitespace(afterWord);
                    return At(brace) == '{' ? ParseCodeBlock(brace, loopKeyword: null) : afterWord;
                }

            case "section":
                {
                    var brace = _text.IndexOf('{', afterWord);
                    if (brace < 0)
                    {
                        _complete = false;
                        return _text.Length;
                    }

                    return ParseMarkupBlock(brace);
                }

            case "await":
                {
                    var expression = SkipSpaces(afterWord);
                    var end = ParseImplicitExpression(expression);
                    AddCode(at + 1, end);
                    return end;
                }
        }

        if (Directives.Contains(word))
        {
            if (word == "page" && _pageRoute is null)
            {
                _pageRoute = ReadDirectiveString(SkipSpaces(afterWord));
            }

            return SkipLine(afterWord);
        }

        var expressionEnd = ParseImplicitExpression(at + 1);
        AddCode(at + 1, expressionEnd);
        return expressionEnd;
    }

    // identifier(.identifier | ?.identifier | (...) | [...])*
    private int ParseImplicitExpression(int i)
    {
        if (!IsIdentifierStart(At(i)))
        {
            return i;
        }

        i += ReadIdentifier(i).Length;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c == '(')
            {
                i = SkipBalanced(i, '(', ')');
            }
            else if (c == '[')
            {
                i = SkipBalanced(i, '[', ']');
            }
            else if (c == '.' && IsIdentifierStart(At(i + 1)))
            {
                i += 1 + ReadIdentifier(i + 1).Length;
            }
            else if (c == '?' && At(i + 1) == '.' && IsIdentifierStart(At(i + 2)))
            {
                i += 2 + ReadIdentifier(i + 2).Length;
            }
            else if (c == '<' && IsGenericArgumentList(i))
            {
                i = SkipBalanced(i, '<', '>');
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private bool IsGenericArgumentList(int i)
    {
        var close = _text.IndexOf('>', i);
        return close > i && close + 1 < _text.Length && _text[close + 1] == '(' && _text.IndexOf(' ', i, close - i) < 0;
    }

    // keyword at 'start': header (...) then { body }, with else/else if/catch/finally/while chains.
    private int ParseControlFlow(int start, string keyword)
    {
        var i = start + keyword.Length;
        var isLoop = keyword is "foreach" or "for" or "while" or "do";
        var keywordSpan = new TextSpan(start, keyword.Length);
        while (true)
        {
            i = SkipWhitespace(i);
            if (At(i) == '(')
            {
                var headerEnd = SkipBalanced(i, '(', ')');
                AddCode(start, headerEnd);
                i = SkipWhitespace(headerEnd);
            }

            if (At(i) != '{')
            {
                return i; // not the shape Razor expects: leave it to Razor
            }

            var bodyEnd = ParseCodeBlock(i, isLoop ? keywordSpan : null);
            i = bodyEnd;
            var next = SkipWhitespace(i);
            var word = IsIdentifierStart(At(next)) ? ReadIdentifier(next) : string.Empty;
            if (keyword is "if" && word == "else" || keyword is "try" && word is "catch" or "finally")
            {
                start = next;
                keyword = word;
                isLoop = false;
                i = next + word.Length;
                var nested = SkipWhitespace(i);
                if (At(nested) == 'i' && ReadIdentifier(nested) == "if")
                {
                    i = nested + 2;
                }

                continue;
            }

            if (keyword == "do" && word == "while")
            {
                var header = SkipWhitespace(next + 5);
                if (At(header) == '(')
                {
                    var headerEnd = SkipBalanced(header, '(', ')');
                    AddCode(next, headerEnd);
                    i = At(SkipSpaces(headerEnd)) == ';' ? SkipSpaces(headerEnd) + 1 : headerEnd;
                }
            }

            return i;
        }
    }

    // At '{' of C# code. Returns the position after the matching '}'. Markup islands are parsed as markup.
    private int ParseCodeBlock(int open, TextSpan? loopKeyword)
    {
        if (++_depth > MaxDepth)
        {
            _complete = false;
            _depth--;
            return _text.Length;
        }

        var i = open + 1;
        var codeStart = i;
        var statementStart = true;
        string? pendingLoop = null;
        var pendingLoopSpan = default(TextSpan);
        try
        {
            while (i < _text.Length)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var c = _text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                if (c == '/' && At(i + 1) == '/')
                {
                    i = SkipLine(i);
                    continue;
                }

                if (c == '/' && At(i + 1) == '*')
                {
                    var close = _text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = close < 0 ? _text.Length : close + 2;
                    continue;
                }

                if (c == '@' && At(i + 1) == '*')
                {
                    var close = _text.IndexOf("*@", i + 2, StringComparison.Ordinal);
                    AddCode(codeStart, i);
                    i = close < 0 ? _text.Length : close + 2;
                    codeStart = i;
                    continue;
                }

                if (c == '"' || c == '\'' || (c == '@' || c == '$') && (At(i + 1) == '"' || At(i + 1) is '@' or '$' && At(i + 2) == '"'))
                {
                    i = SkipString(i);
                    statementStart = false;
                    continue;
                }

                if (statementStart && c == '<' && (IsNameStart(At(i + 1)) || At(i + 1) == '/'))
                {
                    AddCode(codeStart, i);
                    i = ParseMarkupElement(i);
                    codeStart = i;
                    continue;
                }

                if (statementStart && c == '@' && At(i + 1) == ':')
                {
                    AddCode(codeStart, i);
                    var lineEnd = SkipLine(i);
                    ParseMarkupRange(i + 2, lineEnd);
                    i = lineEnd;
                    codeStart = i;
                    continue;
                }

                if (c == '{')
                {
                    TextSpan? loop = pendingLoop is not null ? pendingLoopSpan : null;
                    pendingLoop = null;
                    AddCode(codeStart, i);
                    i = ParseCodeBlock(i, loop);
                    codeStart = i;
                    statementStart = true;
                    continue;
                }

                if (c == '}')
                {
                    AddCode(codeStart, i);
                    if (loopKeyword is { } keyword)
                    {
                        _loops.Add(new RazorLoop(keyword, TextSpan.FromBounds(open, i + 1)));
                    }

                    return i + 1;
                }

                if (IsIdentifierStart(c) && (i == 0 || !IsIdentifierPart(_text[i - 1])))
                {
                    var word = ReadIdentifier(i);
                    if (word is "foreach" or "for" or "while" or "do")
                    {
                        pendingLoop = word;
                        pendingLoopSpan = new TextSpan(i, word.Length);
                    }

                    i += word.Length;
                    statementStart = false;
                    continue;
                }

                statementStart = c is ';' or ')' or ':';
                if (c == ';')
                {
                    pendingLoop = null;
                }

                i++;
            }

            _complete = false;
            AddCode(codeStart, _text.Length);
            return _text.Length;
        }
        finally
        {
            _depth--;
        }
    }

    // "@section Name {" content: markup up to the matching '}'.
    private int ParseMarkupBlock(int open)
    {
        var close = FindMarkupBlockEnd(open);
        if (close < 0)
        {
            _complete = false;
            return _text.Length;
        }

        ParseMarkupRange(open + 1, close);
        return close + 1;
    }

    private int FindMarkupBlockEnd(int open)
    {
        // Braces in section markup come in pairs or inside @-constructs; count them, skipping @{...} code blocks.
        var depth = 0;
        for (var i = open; i < _text.Length; i++)
        {
            var c = _text[i];
            if (c == '@' && At(i + 1) == '{')
            {
                i = SkipBalanced(i + 1, '{', '}') - 1;
                continue;
            }

            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private void ParseMarkupRange(int start, int end)
    {
        var sub = new RazorScanner(_text.Substring(0, end), _cancellationToken) { _depth = _depth };
        sub.ParseMarkup(start, closeTag: null);
        _code.AddRange(sub._code);
        _loops.AddRange(sub._loops);
        _caches.AddRange(sub._caches);
        _partials.AddRange(sub._partials);
        _complete &= sub._complete;
    }

    // At '<' of a markup island inside code: the element, with nested same-name elements, up to its end tag.
    private int ParseMarkupElement(int i)
    {
        if (At(i + 1) == '/')
        {
            var close = _text.IndexOf('>', i);
            return close < 0 ? _text.Length : close + 1;
        }

        var name = ReadName(i + 1);
        var (end, selfClosing, attributes) = ParseStartTag(i, name);
        var lower = name.ToLowerInvariant();
        if (lower is "partial" || lower.StartsWith("vc:", StringComparison.Ordinal))
        {
            _partials.Add(new RazorPartial("<" + name + ">", TextSpan.FromBounds(i, end)));
        }

        if (selfClosing)
        {
            return end;
        }

        var contentStart = end;
        var after = ParseMarkup(end, name);
        if (lower is "cache" or "distributed-cache")
        {
            var closeStart = _text.LastIndexOf('<', Math.Max(after - 1, 0));
            _caches.Add(new RazorCacheElement(name, TextSpan.FromBounds(i, end), attributes, TextSpan.FromBounds(contentStart, Math.Max(contentStart, closeStart))));
        }

        return after;
    }

    private void AddCode(int start, int end)
    {
        if (end > start)
        {
            _code.Add(TextSpan.FromBounds(start, Math.Min(end, _text.Length)));
        }
    }

    private int SkipString(int i)
    {
        var verbatim = false;
        while (i < _text.Length && _text[i] is '@' or '$')
        {
            verbatim |= _text[i] == '@';
            i++;
        }

        var quote = At(i);
        i++;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (!verbatim && c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                if (verbatim && At(i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            if (!verbatim && c == '\n')
            {
                return i; // unterminated on this line
            }

            i++;
        }

        return _text.Length;
    }

    private int SkipBalanced(int i, char open, char close)
    {
        var depth = 0;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c is '"' or '\'' && open != '<')
            {
                i = SkipString(i);
                continue;
            }

            if (c == open)
            {
                depth++;
            }
            else if (c == close && --depth == 0)
            {
                return i + 1;
            }

            i++;
        }

        _complete = false;
        return _text.Length;
    }

    // A directive's string token on the directive's line: the text between its quotes, as written (a backslash only keeps
    // the next character from ending the string, as in the Razor compiler's tokenizer). Null when there is none.
    private TextSpan? ReadDirectiveString(int i)
    {
        if (At(i) != '"')
        {
            return null;
        }

        for (var j = i + 1; j < _text.Length; j++)
        {
            switch (_text[j])
            {
                case '"':
                    return TextSpan.FromBounds(i + 1, j);
                case '\\':
                    j++;
                    break;
                case '\r' or '\n':
                    return null;
            }
        }

        return null;
    }

    private int SkipLine(int i)
    {
        var newline = _text.IndexOf('\n', i);
        return newline < 0 ? _text.Length : newline + 1;
    }

    private int SkipWhitespace(int i)
    {
        while (i < _text.Length && char.IsWhiteSpace(_text[i]))
        {
            i++;
        }

        return i;
    }

    private int SkipSpaces(int i)
    {
        while (i < _text.Length && _text[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private string ReadName(int i)
    {
        var start = i;
        while (i < _text.Length && (char.IsLetterOrDigit(_text[i]) || _text[i] is '-' or ':' or '_' or '.' or '!'))
        {
            i++;
        }

        return _text.Substring(start, i - start);
    }

    private string ReadIdentifier(int i)
    {
        var start = i;
        while (i < _text.Length && IsIdentifierPart(_text[i]))
        {
            i++;
        }

        return _text.Substring(start, i - start);
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '!';

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';
}
