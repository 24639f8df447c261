using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PerfRules.Infrastructure;

namespace PerfRules.Tests.Infrastructure;

public sealed class ConstantStringTests
{
    // Each literal as PERF005 meets it in a route attribute: read from the token alone, it must say what the bound literal says.
    public static TheoryData<string> Literals() => new()
    {
        "\"api/{id:regex(^\\\\d+$)}\"",
        "@\"api/{id:regex(^\\d{{3}}$)}\"",
        "\"tab\\there \\u0041 \\x42 \\U00000043\"",
        "\"\"\"api/{id:regex(^[a-z]+$)}\"\"\"",
        "\"\"\"\n        api/{code:regex(^\\w\"\"x$)}\n        \"\"\"",
        "\"\"",
        "42",
        "null",
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public void A_literal_read_from_its_token_matches_the_literal_read_through_its_operation(string literal)
    {
        var compilation = WellKnownTypesTests.Compile("public static class C { public static object V = " + literal + "; }", TestReferences.NetCore);
        var tree = compilation.SyntaxTrees.Single();
        var syntax = tree.GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>().Single();
        var bound = ConstantString.From(compilation.GetSemanticModel(tree).GetOperation(syntax));

        var read = ConstantString.FromLiteral(syntax);

        if (bound is null)
        {
            Assert.Null(read);
            return;
        }

        Assert.NotNull(read);
        Assert.Equal(bound.Value, read.Value);
        Assert.Equal(bound.WholeLocation, read.WholeLocation);
        for (var start = 0; start <= bound.Value.Length; start++)
        {
            for (var length = 0; start + length <= bound.Value.Length; length++)
            {
                var expected = bound.GetLocation(start, length, out var expectedExact);
                var actual = read.GetLocation(start, length, out var actualExact);
                Assert.Equal(expected, actual);
                Assert.Equal(expectedExact, actualExact);
            }
        }
    }

    [Fact]
    public void A_regular_literal_maps_each_character_to_where_it_is_written()
    {
        var compilation = WellKnownTypesTests.Compile("public static class C { public static string V = \"a\\\\d\"; }", TestReferences.NetCore);
        var syntax = compilation.SyntaxTrees.Single().GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>().Single();

        var read = ConstantString.FromLiteral(syntax)!;
        var location = read.GetLocation(1, 2, out var exact);

        Assert.Equal("a\\d", read.Value);
        Assert.True(exact);
        Assert.Equal("\\\\d", location.SourceTree!.GetText().ToString(location.SourceSpan));
    }
}
