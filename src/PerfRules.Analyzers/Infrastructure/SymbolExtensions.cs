using Microsoft.CodeAnalysis;

namespace PerfRules.Infrastructure;

/// <summary>Type and attribute questions every rule asks, answered by symbol.</summary>
internal static class SymbolExtensions
{
    /// <summary>The type is <paramref name="target"/> or implements it (for interfaces), or derives from it (for classes).</summary>
    public static bool IsOrInherits(this ITypeSymbol? type, INamedTypeSymbol? target)
    {
        if (type is null || target is null)
        {
            return false;
        }

        if (target.TypeKind == TypeKind.Interface)
        {
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target))
            {
                return true;
            }

            foreach (var implemented in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, target))
                {
                    return true;
                }
            }

            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The symbol carries an attribute of <paramref name="attributeType"/> or a type derived from it; with
    /// <paramref name="inherited"/>, a type's base types are searched too.
    /// </summary>
    public static bool HasAttribute(this ISymbol symbol, INamedTypeSymbol? attributeType, bool inherited = false)
    {
        if (attributeType is null)
        {
            return false;
        }

        for (var current = symbol; current is not null; current = inherited && current is INamedTypeSymbol named ? named.BaseType : null)
        {
            foreach (var attribute in current.GetAttributes())
            {
                if (attribute.AttributeClass.IsOrInherits(attributeType))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The method or a method it overrides carries the attribute (inherited attributes such as [NonAction]).</summary>
    public static bool HasAttributeThroughOverrides(this IMethodSymbol method, INamedTypeSymbol? attributeType)
    {
        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            if (current.HasAttribute(attributeType))
            {
                return true;
            }
        }

        return false;
    }
}
