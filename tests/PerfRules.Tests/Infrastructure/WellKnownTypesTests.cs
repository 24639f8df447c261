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

    [Theory]
    [InlineData("System.Threading.Tasks.Task`1", "System.Threading.Tasks.Task<TResult>")]
    [InlineData("System.Threading.Tasks.Task", "System.Threading.Tasks.Task")]
    [InlineData("System.Collections.Generic.Dictionary`2", "System.Collections.Generic.Dictionary<TKey, TValue>")]
    [InlineData("System.Environment+SpecialFolder", "System.Environment.SpecialFolder")]
    [InlineData("System.Collections.Generic.List`1+Enumerator", "System.Collections.Generic.List<T>.Enumerator")]
    [InlineData("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter", "System.Runtime.CompilerServices.ConfiguredTaskAwaitable<TResult>.ConfiguredTaskAwaiter")]
    public void A_metadata_name_resolves_to_the_type_of_that_arity_or_nesting(string metadataName, string expected)
    {
        var resolved = WellKnownTypes.Resolve(Compile(string.Empty, TestReferences.NetCore), metadataName);
        Assert.Equal(expected, resolved?.ToDisplayString());
    }

    [Theory]
    [InlineData("System.Threading.Tasks.Task`3")]
    [InlineData("Nowhere.To.Be.Found")]
    [InlineData("System.Environment+NoSuchMember")]
    [InlineData("System.Environment+SpecialFolder+Deeper")]
    [InlineData("Nowhere+Inner")]
    [InlineData("System.Text")]
    [InlineData("System.")]
    [InlineData("")]
    public void A_name_no_type_has_resolves_to_nothing(string metadataName)
        => Assert.Null(WellKnownTypes.Resolve(Compile(string.Empty, TestReferences.NetCore), metadataName));

    [Fact]
    public void A_type_declared_in_source_resolves_when_no_reference_has_it()
    {
        var compilation = Compile("namespace Shop.Jobs { public class Queue<T> { } } public class Root { }", TestReferences.NetCore);
        Assert.Equal("Shop.Jobs.Queue<T>", WellKnownTypes.Resolve(compilation, "Shop.Jobs.Queue`1")?.ToDisplayString());
        Assert.Equal("Root", WellKnownTypes.Resolve(compilation, "Root")?.ToDisplayString());
    }

    [Fact]
    public void A_nested_type_declared_in_source_resolves_through_its_outer_types()
    {
        var compilation = Compile("namespace Shop { public class Outer<T> { public class Middle { public class Inner<U, V> { } } } }", TestReferences.NetCore);
        Assert.Equal("Shop.Outer<T>.Middle.Inner<U, V>", WellKnownTypes.Resolve(compilation, "Shop.Outer`1+Middle+Inner`2")?.ToDisplayString());
        Assert.Null(WellKnownTypes.Resolve(compilation, "Shop.Outer`1+Middle+Inner"));
    }

    [Fact]
    public void An_internal_type_of_a_reference_is_not_resolved()
    {
        // A referenced library's internal type is not accessible to the project (no InternalsVisibleTo).
        var library = Compile("namespace Lib { internal class Hidden { } public class Shown { } }", TestReferences.NetCore);
        var consumer = Compile(string.Empty, TestReferences.NetCore.Append(library.ToMetadataReference()));
        Assert.Null(WellKnownTypes.Resolve(consumer, "Lib.Hidden"));
        Assert.NotNull(WellKnownTypes.Resolve(consumer, "Lib.Shown"));
    }

    [Fact]
    public void A_notion_is_built_once_per_compilation_and_shared_even_when_it_does_not_apply()
    {
        var compilation = Compile(string.Empty, TestReferences.NetCore);
        var types = WellKnownTypes.GetOrCreate(compilation);
        var built = 0;
        string? Create(WellKnownTypes _)
        {
            built++;
            return null;
        }

        Assert.Null(types.GetShared(Create));
        Assert.Null(types.GetShared(Create));
        Assert.Equal(1, built);
        var other = WellKnownTypes.GetOrCreate(Compile(string.Empty, TestReferences.NetCore));
        Assert.Null(other.GetShared(Create));
        Assert.Equal(2, built);
    }

    internal static CSharpCompilation Compile(string source, IEnumerable<MetadataReference> references)
        => CSharpCompilation.Create(
            "Test",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
}
