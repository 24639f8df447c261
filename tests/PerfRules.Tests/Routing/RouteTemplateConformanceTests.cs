using System.Collections.Immutable;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Routing.Patterns;
using PerfRules.Routing;

namespace PerfRules.Tests.Routing;

/// <summary>
/// Compares PerfRules' template reader with ASP.NET Core's own route pattern parser: the same
/// (parameter, constraint text) pairs in the same order, the same templates rejected, and offsets
/// that point at the constraint's characters in the template string (so the diagnostic underlines them).
/// </summary>
public sealed class RouteTemplateConformanceTests
{
    public static TheoryData<string> Templates() => new()
    {
        // plain, optional, catch-all, defaults
        """orders/{id}""",
        """orders/{id:int}""",
        """orders/{id:int:min(1)}""",
        """orders/{id?}""",
        """orders/{id:int?}""",
        """files/{*path}""",
        """files/{**path}""",
        """files/{**path:minlength(2)}""",
        """{controller=Home}/{action=Index}/{id?}""",
        """{id:int=5}""",
        """{p=a:b}""",
        """{a}-{b:int}.{c:alpha}""",
        """api/v{version:int}/items/{id:guid}""",
        """{p:length(1,5):alpha}""",
        """{p:range(1,10)}/{q:regex(^[a-z]{{2}}$)}""",
        """{p:int:}""",
        """{p::int}""",
        """{p:}""",

        // regex arguments with '(', ')', ':', '=', escaped braces
        """{p:regex(^\d{{3}}$)}""",
        """{p:regex(([}}])\w+)}""",
        """a{{b}}/{id:regex(^(a|b)$)=a}""",
        """{p:regex(a:b)}""",
        """{p:regex(a=b)}""",
        """{p:regex(=)}""",
        """{p:regex((a)(b))}""",
        """{p:regex(^(\d+)$):int}""",
        """{p:regex(a:int)}""",
        """{p:regex(a)b)}""",
        """{p:regex(\))}""",
        """{p:regex(a(b)}""",
        """{p:regex(x)=a:b}""",
        """{p:regex(x):y=z}""",
        """{p:regex(^a$)?}""",
        """{p:regex(^[[0-9]]+$)}""",
        """{p:regex(a{{1,2}})}/{q:regex(}}{{)}""",
        """{{literal}}/{id}""",
        """x{{/{id:int}""",
        """}}{{/{id:int}""",
        """{p:regex(a):}""",
        """{p:regex(a)):int}""",
        """{p:regex(a=b)c)}""",
        """{p:regex(a:b)c:d)}""",
        """{p:regex(():int}""",
        """{p:regex(a)=}""",
        """{p:regex(a))=b}""",
        """{p:regex(a)x:int}""",
        """{p:regex(a=b=c)=d}""",
        """{p:regex(a:b=c)}""",
        """{**p:regex(^.+\.json$)}""",

        // malformed
        """{id""",
        """id}""",
        """{}""",
        """{p:regex(^\d{3$)}""",
        """{{id}""",
        """{p}}""",
        """{a{b}}""",
        """{*}""",
        """{?}""",
        """{:int}""",
        """{=a}""",
        """{p/q}""",
        """{p:regex(})}""",
    };

    // Templates ASP.NET Core rejects for reasons that have nothing to do with braces or constraint texts.
    public static TheoryData<string> TemplatesRejectedForOtherReasons() => new()
    {
        """{id}/{id}""",
        """{*path}/x""",
        """{a}{b}""",
        """{a?}-{b}""",
        """{*a?}""",
        """{*a=b}/{c}""",
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void Constraints_are_read_as_the_route_pattern_parser_reads_them(string template)
    {
        var ours = RouteTemplate.ParseConstraints(template, isAttributeRoute: false);
        var theirs = ParseWithAspNetCore(template);

        if (theirs is null)
        {
            if (!ours.IsDefault)
            {
                Assert.Fail($"ASP.NET Core rejects \"{template}\" but PerfRules reads {Describe(ours)}");
            }

            return;
        }

        Assert.False(ours.IsDefault, $"ASP.NET Core reads \"{template}\" as {Describe(theirs)} but PerfRules rejects it");
        Assert.Equal(theirs, ours.Select(c => (c.ParameterName, c.Text)).ToList());
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Constraint_offsets_cover_the_escaped_constraint_text(string template)
    {
        var ours = RouteTemplate.ParseConstraints(template, isAttributeRoute: false);
        if (ours.IsDefault)
        {
            return;
        }

        foreach (var constraint in ours)
        {
            var raw = template.Substring(constraint.Start, constraint.End - constraint.Start);
            Assert.Equal(constraint.Text, Unescape(raw, '{', '}'));
            if (constraint.ArgumentStart >= 0)
            {
                var argument = template.Substring(constraint.ArgumentStart, constraint.ArgumentEnd - constraint.ArgumentStart);
                Assert.Equal(constraint.Argument, Unescape(argument, '{', '}'));
            }
        }
    }

    [Theory]
    [MemberData(nameof(TemplatesRejectedForOtherReasons))]
    public void Templates_rejected_for_reasons_unrelated_to_braces_are_still_read(string template)
    {
        Assert.Null(ParseWithAspNetCore(template));

        // PerfRules only reads constraints; routing reports these templates itself at startup.
        Assert.False(RouteTemplate.ParseConstraints(template, isAttributeRoute: false).IsDefault);
    }

    [Fact]
    public void Escaped_braces_in_a_regex_are_decoded_and_the_offsets_cover_the_escaped_text()
    {
        const string template = """orders/{p:regex(^\d{{3}}$)}""";

        var constraint = Assert.Single(RouteTemplate.ParseConstraints(template, isAttributeRoute: false));

        Assert.Equal("""regex(^\d{3}$)""", constraint.Text);
        Assert.Equal("""^\d{3}$""", constraint.Argument);
        Assert.Equal("""regex(^\d{{3}}$)""", template.Substring(constraint.Start, constraint.End - constraint.Start));
        Assert.Equal("""^\d{{3}}$""", template.Substring(constraint.ArgumentStart, constraint.ArgumentEnd - constraint.ArgumentStart));
    }

    [Fact]
    public void Attribute_route_bracket_escapes_are_decoded_and_the_offsets_cover_the_escaped_text()
    {
        const string template = """{id:regex(^[[0-9]]+$)}""";

        var constraint = Assert.Single(RouteTemplate.ParseConstraints(template, isAttributeRoute: true));

        Assert.Equal("id", constraint.ParameterName);
        Assert.Equal("""regex(^[0-9]+$)""", constraint.Text);
        Assert.Equal("""regex(^[[0-9]]+$)""", template.Substring(constraint.Start, constraint.End - constraint.Start));
        Assert.Equal("""^[[0-9]]+$""", template.Substring(constraint.ArgumentStart, constraint.ArgumentEnd - constraint.ArgumentStart));
    }

    public static TheoryData<string> AttributeTemplates() => new()
    {
        """{id:regex(^[[0-9]]+$)}""",
        """[controller]/{id:regex(^[[a-z]]{{2}}$)}""",
        """api/[controller]/[action]/{id:int:min(1)}""",
        """x[[y]]/{p:regex(a]]b)}""",
        """{p:regex(^[[0-9]]+$)}/{q:regex([[^/]]+)}""",
    };

    [Theory]
    [MemberData(nameof(AttributeTemplates))]
    public void Attribute_route_constraints_are_read_as_MVC_token_replacement_and_the_parser_read_them(string template)
    {
        var ours = RouteTemplate.ParseConstraints(template, isAttributeRoute: true);
        var replaced = AttributeRouteModel.ReplaceTokens(template, new Dictionary<string, string?> { ["controller"] = "Orders", ["action"] = "Get" });
        var theirs = ParseWithAspNetCore(replaced!);

        Assert.NotNull(theirs);
        Assert.False(ours.IsDefault);
        Assert.Equal(theirs, ours.Select(c => (c.ParameterName, c.Text)).ToList());
        foreach (var constraint in ours)
        {
            var raw = template.Substring(constraint.Start, constraint.End - constraint.Start);
            Assert.Equal(constraint.Text, Unescape(Unescape(raw, '[', ']'), '{', '}'));
        }
    }

    [Theory]
    [InlineData("""{p:regex([0-9]+)}""")]
    [InlineData("""{p:regex(a]b)}""")]
    public void Attribute_routes_with_a_lone_bracket_inside_a_parameter_are_not_read(string template)
    {
        Assert.True(RouteTemplate.ParseConstraints(template, isAttributeRoute: true).IsDefault);
    }

    private static List<(string Parameter, string Constraint)>? ParseWithAspNetCore(string template)
    {
        RoutePattern pattern;
        try
        {
            pattern = RoutePatternFactory.Parse(template);
        }
        catch (RoutePatternException)
        {
            return null;
        }

        return pattern.Parameters
            .SelectMany(parameter => parameter.ParameterPolicies.Select(policy => (parameter.Name, policy.Content ?? "<policy object>")))
            .ToList();
    }

    private static string Unescape(string text, char open, char close)
        => text.Replace(new string(open, 2), open.ToString(), StringComparison.Ordinal).Replace(new string(close, 2), close.ToString(), StringComparison.Ordinal);

    private static string Describe(IEnumerable<(string Parameter, string Constraint)> constraints)
        => "[" + string.Join(", ", constraints.Select(c => c.Parameter + ": " + c.Constraint)) + "]";

    private static string Describe(ImmutableArray<RouteConstraintReference> constraints)
        => Describe(constraints.Select(c => (c.ParameterName, c.Text)));
}
