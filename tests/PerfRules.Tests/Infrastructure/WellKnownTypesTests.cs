using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PerfRules.Infrastructure;

namespace PerfRules.Tests.Infrastructure;

public sealed class WellKnownTypesTests
{
    public static TheoryData<string> AllTypes()
    {
        var data = new TheoryData<string>();
        foreach (var value in Enum.GetValues<WellKnownType>())
        {
            data.Add(value.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Every_well_known_type_resolves_in_an_AspNetCore_compilation(string name)
    {
        var type = Enum.Parse<WellKnownType>(name);
        var types = WellKnownTypes.GetOrCreate(Compile(string.Empty, TestReferences.AspNetCore));
        Assert.NotNull(types.Get(type));
    }

    [Fact]
    public void A_project_without_AspNetCore_resolves_no_AspNetCore_type()
    {
        var types = WellKnownTypes.GetOrCreate(Compile(string.Empty, TestReferences.NetCore));
        Assert.Null(types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpContext));
        Assert.Null(types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ControllerBase));
    }

    [Fact]
    public void A_same_named_type_declared_in_source_does_not_shadow_the_framework_type()
    {
        var compilation = Compile("namespace Microsoft.AspNetCore.Http { public class HttpContext { } }", TestReferences.AspNetCore);
        var resolved = WellKnownTypes.GetOrCreate(compilation).Get(WellKnownType.Microsoft_AspNetCore_Http_HttpContext);
        Assert.NotNull(resolved);
        Assert.Equal("Microsoft.AspNetCore.Http.Abstractions", resolved!.ContainingAssembly.Name);
    }

    [Fact]
    public void The_same_compilation_shares_one_instance()
    {
        var compilation = Compile(string.Empty, TestReferences.AspNetCore);
        Assert.Same(WellKnownTypes.GetOrCreate(compilation), WellKnownTypes.GetOrCreate(compilation));
    }

    internal static CSharpCompilation Compile(string source, IEnumerable<MetadataReference> references)
        => CSharpCompilation.Create(
            "Test",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
}
