using Microsoft.CodeAnalysis;
using PerfRules.Infrastructure;

namespace PerfRules.Tests.Infrastructure;

public sealed class SymbolExtensionsTests
{
    private static readonly Compilation Compilation = WellKnownTypesTests.Compile("""
        using System;

        public interface IShape { }
        public interface ICircle : IShape { }
        public class Shape : IShape { }
        public sealed class Circle : Shape, ICircle { }
        public sealed class Box<T> : IComparable<T> { public int CompareTo(T? other) => 0; }

        [AttributeUsage(AttributeTargets.All, Inherited = true)]
        public class MarkAttribute : Attribute { }
        public sealed class SpecialMarkAttribute : MarkAttribute { }

        [SpecialMark] public class Marked { public virtual void Run() { } }
        public class MarkedChild : Marked { public override void Run() { } }
        public class Plain { [Mark] public virtual void Run() { } }
        public class PlainChild : Plain { public override void Run() { } }
        """, TestReferences.NetCore);

    private static INamedTypeSymbol Type(string name) => (INamedTypeSymbol)Compilation.GetSymbolsWithName(name, SymbolFilter.Type).Single();

    [Fact]
    public void A_class_is_or_inherits_its_base_classes_and_interfaces_but_not_unrelated_types()
    {
        Assert.True(Type("Circle").IsOrInherits(Type("Shape")));
        Assert.True(Type("Circle").IsOrInherits(Type("Circle")));
        Assert.True(Type("Circle").IsOrInherits(Type("IShape")));
        Assert.True(Type("ICircle").IsOrInherits(Type("IShape")));
        Assert.False(Type("Shape").IsOrInherits(Type("Circle")));
        Assert.False(Type("Shape").IsOrInherits(Type("ICircle")));
        Assert.False(((ITypeSymbol?)null).IsOrInherits(Type("Shape")));
        Assert.False(Type("Shape").IsOrInherits(null));
    }

    [Fact]
    public void A_constructed_generic_interface_matches_its_definition()
    {
        var comparable = (INamedTypeSymbol)Compilation.GetTypeByMetadataName("System.IComparable`1")!;
        Assert.True(Type("Box").IsOrInherits(comparable));
    }

    [Fact]
    public void Attributes_match_derived_attribute_types_and_inherited_ones_only_when_asked()
    {
        var mark = Type("MarkAttribute");
        Assert.True(Type("Marked").HasAttribute(mark));
        Assert.False(Type("MarkedChild").HasAttribute(mark));
        Assert.True(Type("MarkedChild").HasAttribute(mark, inherited: true));
        Assert.False(Type("Shape").HasAttribute(mark, inherited: true));
        Assert.False(Type("Marked").HasAttribute(null));
    }

    [Fact]
    public void An_override_has_the_attribute_of_the_method_it_overrides()
    {
        var mark = Type("MarkAttribute");
        var run = (IMethodSymbol)Type("PlainChild").GetMembers("Run").Single();
        Assert.False(run.HasAttribute(mark));
        Assert.True(run.HasAttributeThroughOverrides(mark));
        Assert.False(((IMethodSymbol)Type("MarkedChild").GetMembers("Run").Single()).HasAttributeThroughOverrides(mark));
    }
}
