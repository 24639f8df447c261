using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace PerfRules.Infrastructure;

/// <summary>
/// A compile-time constant string and where each of its characters is written in source: through the
/// escapes of regular, verbatim and raw literals, and across <c>+</c> concatenations. Parts that come
/// from a named constant or an interpolation map to the whole expression that produced them.
/// </summary>
internal sealed class ConstantString
{
    private readonly ImmutableArray<Piece> _pieces;

    private readonly SourceText? _fileText;

    private ConstantString(string value, ImmutableArray<Piece> pieces, Location wholeLocation, SourceText? fileText = null)
    {
        Value = value;
        _pieces = pieces;
        WholeLocation = wholeLocation;
        _fileText = fileText;
    }

    public string Value { get; }

    /// <summary>The location of the whole expression.</summary>
    public Location WholeLocation { get; }

    /// <summary>The constant string an operation evaluates to, or null when it is not a constant string.</summary>
    public static ConstantString? From(IOperation? operation)
    {
        if (operation is null || operation.ConstantValue is not { HasValue: true, Value: string value })
        {
            return null;
        }

        var pieces = ImmutableArray.CreateBuilder<Piece>();
        var offset = 0;
        Collect(operation, pieces, ref offset);
        if (offset != value.Length)
        {
            pieces.Clear();
            pieces.Add(new Piece(0, value.Length, null, operation.Syntax.GetLocation()));
        }

        return new ConstantString(value, pieces.ToImmutable(), operation.Syntax.GetLocation());
    }

    /// <summary>
    /// The string a literal is, read from its token alone (no binding): the same as <see cref="From"/> gives for the literal's
    /// operation. Null when the literal is not a string.
    /// </summary>
    public static ConstantString? FromLiteral(LiteralExpressionSyntax literal)
    {
        if (literal.Token.Value is not string value)
        {
            return null;
        }

        var location = literal.GetLocation();
        var piece = new Piece(0, value.Length, MapLiteral(literal.Token), location);
        return new ConstantString(value, ImmutableArray.Create(piece), location);
    }

    /// <summary>
    /// A string written as it is in a file that is not C# (a <c>.cshtml</c> directive's string): each character at its own
    /// position, from <paramref name="span"/>'s start.
    /// </summary>
    public static ConstantString FromFileText(string path, SourceText text, TextSpan span)
    {
        var offsets = new int[span.Length + 1];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = span.Start + i;
        }

        var location = FileLocation(path, text, span);
        return new ConstantString(text.ToString(span), ImmutableArray.Create(new Piece(0, span.Length, offsets, location)), location, text);
    }

    private static Location FileLocation(string path, SourceText text, TextSpan span)
        => Location.Create(path, span, text.Lines.GetLinePositionSpan(span));

    /// <summary>
    /// The source location of <paramref name="length"/> characters of the value from <paramref name="start"/>.
    /// Exact when they come from one literal; otherwise the location of the expression they come from.
    /// </summary>
    public Location GetLocation(int start, int length, out bool exact)
    {
        exact = false;
        foreach (var piece in _pieces)
        {
            if (start < piece.Start || start + length > piece.Start + piece.Length)
            {
                continue;
            }

            if (piece.Offsets is { } offsets)
            {
                var span = TextSpan.FromBounds(offsets[start - piece.Start], offsets[start - piece.Start + length]);
                if (piece.Location.SourceTree is { } tree)
                {
                    exact = true;
                    return Location.Create(tree, span);
                }

                if (_fileText is { } text)
                {
                    exact = true;
                    return FileLocation(piece.Location.GetLineSpan().Path, text, span);
                }
            }

            return piece.Location;
        }

        return WholeLocation;
    }

    private static void Collect(IOperation operation, ImmutableArray<Piece>.Builder pieces, ref int offset)
    {
        var value = operation.ConstantValue.Value as string ?? string.Empty;
        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary
            && binary.LeftOperand.ConstantValue.Value is string && binary.RightOperand.ConstantValue.Value is string)
        {
            Collect(binary.LeftOperand, pieces, ref offset);
            Collect(binary.RightOperand, pieces, ref offset);
            return;
        }

        if (operation is IParenthesizedOperation parenthesized)
        {
            Collect(parenthesized.Operand, pieces, ref offset);
            return;
        }

        int[]? offsets = null;
        if (operation is ILiteralOperation && operation.Syntax is LiteralExpressionSyntax literal)
        {
            offsets = MapLiteral(literal.Token);
        }

        pieces.Add(new Piece(offset, value.Length, offsets, operation.Syntax.GetLocation()));
        offset += value.Length;
    }

    /// <summary>
    /// For each character of the literal's value, the absolute source position where it starts, plus one
    /// entry for the end. Null when the token is not understood (the caller then uses the whole literal).
    /// </summary>
    internal static int[]? MapLiteral(SyntaxToken token)
    {
        var text = token.Text;
        var start = token.SpanStart;
        var positions = new List<int>(text.Length);
        var value = new System.Text.StringBuilder(text.Length);
        int end;
        switch (token.Kind())
        {
            case SyntaxKind.StringLiteralToken when text.StartsWith("@\"", System.StringComparison.Ordinal) && text.Length >= 3:
                end = text.Length - 1;
                for (var i = 2; i < end; i++)
                {
                    positions.Add(start + i);
                    value.Append(text[i]);
                    if (text[i] == '"')
                    {
                        i++;
                    }
                }

                break;
            case SyntaxKind.StringLiteralToken when text.StartsWith("\"", System.StringComparison.Ordinal) && text.Length >= 2:
                end = text.Length - 1;
                for (var i = 1; i < end;)
                {
                    positions.Add(start + i);
                    if (text[i] != '\\')
                    {
                        value.Append(text[i]);
                        i++;
                        continue;
                    }

                    if (!TryReadEscape(text, i, end, value, positions, start, out var next))
                    {
                        return null;
                    }

                    i = next;
                }

                break;
            case SyntaxKind.SingleLineRawStringLiteralToken:
                {
                    var quotes = CountQuotes(text, 0);
                    end = text.Length - quotes;
                    for (var i = quotes; i < end; i++)
                    {
                        positions.Add(start + i);
                        value.Append(text[i]);
                    }

                    break;
                }

            case SyntaxKind.MultiLineRawStringLiteralToken:
                if (!MapMultiLineRaw(text, start, positions, value, out end))
                {
                    return null;
                }

                break;
            default:
                return null;
        }

        positions.Add(start + end);
        return value.ToString() == token.ValueText ? positions.ToArray() : null;
    }

    private static bool MapMultiLineRaw(string text, int start, List<int> positions, System.Text.StringBuilder value, out int end)
    {
        var quotes = CountQuotes(text, 0);
        end = text.Length - quotes;
        var lastLineStart = text.LastIndexOf('\n', end - 1) + 1;
        var indentation = end - lastLineStart;
        var contentEnd = lastLineStart - 1; // the newline before the closing line
        if (contentEnd > 0 && text[contentEnd - 1] == '\r')
        {
            contentEnd--;
        }

        var firstNewline = text.IndexOf('\n', quotes);
        if (firstNewline < 0)
        {
            return false;
        }

        var lineStart = firstNewline + 1;
        var first = true;
        while (lineStart <= contentEnd)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0 || lineEnd > contentEnd)
            {
                lineEnd = contentEnd;
            }

            if (!first)
            {
                // the line break between two content lines belongs to the value
                for (var i = PreviousBreakStart(text, lineStart); i < lineStart; i++)
                {
                    positions.Add(start + i);
                    value.Append(text[i]);
                }
            }

            var contentStart = System.Math.Min(lineStart + indentation, lineEnd);
            var lineTextEnd = lineEnd < text.Length && lineEnd == contentEnd ? lineEnd : TrimBreak(text, lineEnd);
            for (var i = contentStart; i < lineTextEnd; i++)
            {
                positions.Add(start + i);
                value.Append(text[i]);
            }

            first = false;
            if (lineEnd >= contentEnd)
            {
                break;
            }

            lineStart = lineEnd + 1;
        }

        end = contentEnd;
        return true;
    }

    private static int PreviousBreakStart(string text, int lineStart)
        => lineStart >= 2 && text[lineStart - 2] == '\r' ? lineStart - 2 : lineStart - 1;

    private static int TrimBreak(string text, int newlineIndex)
        => newlineIndex > 0 && text[newlineIndex - 1] == '\r' ? newlineIndex - 1 : newlineIndex;

    private static int CountQuotes(string text, int from)
    {
        var count = 0;
        while (from + count < text.Length && text[from + count] == '"')
        {
            count++;
        }

        return count;
    }

    private static bool TryReadEscape(string text, int i, int end, System.Text.StringBuilder value, List<int> positions, int start, out int next)
    {
        next = i + 2;
        if (i + 1 >= end)
        {
            return false;
        }

        switch (text[i + 1])
        {
            case '\'': value.Append('\''); return true;
            case '"': value.Append('"'); return true;
            case '\\': value.Append('\\'); return true;
            case '0': value.Append('\0'); return true;
            case 'a': value.Append('\a'); return true;
            case 'b': value.Append('\b'); return true;
            case 'e': value.Append('\u001b'); return true;
            case 'f': value.Append('\f'); return true;
            case 'n': value.Append('\n'); return true;
            case 'r': value.Append('\r'); return true;
            case 't': value.Append('\t'); return true;
            case 'v': value.Append('\v'); return true;
            case 'u':
                next = i + 6;
                return next <= end && TryHex(text, i + 2, 4, out var u) && Append(value, (char)u);
            case 'x':
                {
                    var digits = 0;
                    var code = 0;
                    while (digits < 4 && i + 2 + digits < end && HexValue(text[i + 2 + digits]) is var h && h >= 0)
                    {
                        code = (code * 16) + h;
                        digits++;
                    }

                    next = i + 2 + digits;
                    return digits > 0 && Append(value, (char)code);
                }

            case 'U':
                next = i + 10;
                if (next > end || !TryHex(text, i + 2, 8, out var scalar) || scalar > 0x10FFFF)
                {
                    return false;
                }

                if (scalar < 0x10000)
                {
                    value.Append((char)scalar);
                }
                else
                {
                    var s = char.ConvertFromUtf32(scalar);
                    value.Append(s);
                    positions.Add(start + i); // both halves of the pair start at the escape
                }

                return true;
            default:
                return false;
        }
    }

    private static bool Append(System.Text.StringBuilder value, char c)
    {
        value.Append(c);
        return true;
    }

    private static bool TryHex(string text, int from, int count, out int result)
    {
        result = 0;
        for (var k = 0; k < count; k++)
        {
            var h = from + k < text.Length ? HexValue(text[from + k]) : -1;
            if (h < 0)
            {
                return false;
            }

            result = (result * 16) + h;
        }

        return true;
    }

    private static int HexValue(char c)
        => c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;

    private readonly record struct Piece(int Start, int Length, int[]? Offsets, Location Location);
}
