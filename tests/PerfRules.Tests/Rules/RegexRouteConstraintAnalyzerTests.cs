using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;
using VerifyCS = PerfRules.Tests.Infrastructure.Verify<PerfRules.Rules.RegexRouteConstraintAnalyzer>;

namespace PerfRules.Tests.Rules;

public sealed class RegexRouteConstraintAnalyzerTests
{
    [Fact]
    public async Task MapGet_inline_digits_regex_bound_to_int_is_reported_with_the_builtin()
    {
        const string source = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/orders/{id:[|regex(^\\d+$)|]}", (int id) => Results.Ok(id));
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }
}
