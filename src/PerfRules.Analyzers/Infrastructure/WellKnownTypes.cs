using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace PerfRules.Infrastructure;

/// <summary>
/// The framework types of one compilation, resolved at most once each and shared by every
/// analyzer (a weak table keyed by the compilation: nothing outlives the compilation).
/// </summary>
internal sealed class WellKnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, WellKnownTypes> Cache = new();
    private static readonly string[] MetadataNames = BuildMetadataNames();

    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol?[] _types;
    private readonly int[] _resolved; // 0: not yet, 1: resolved (value may be null)
    private readonly ConcurrentDictionary<Type, Lazy<object?>> _shared = new();

    private WellKnownTypes(Compilation compilation)
    {
        _compilation = compilation;
        _types = new INamedTypeSymbol?[MetadataNames.Length];
        _resolved = new int[MetadataNames.Length];
    }

    public Compilation Compilation => _compilation;

    public static WellKnownTypes GetOrCreate(Compilation compilation)
        => Cache.GetValue(compilation, static c => new WellKnownTypes(c));

    /// <summary>The type, or null when the compilation does not reference it.</summary>
    public INamedTypeSymbol? Get(WellKnownType type)
    {
        var index = (int)type;
        if (Volatile.Read(ref _resolved[index]) == 0)
        {
            _types[index] = Resolve(_compilation, MetadataNames[index]);
            Volatile.Write(ref _resolved[index], 1);
        }

        return _types[index];
    }

    /// <summary>
    /// The compilation's one instance of an immutable notion built from these types (request handlers, template renders,
    /// the shared-cache detector): every analyzer of the compilation uses the same instance instead of building its own.
    /// <paramref name="create"/> runs at most once per compilation and notion type; its null (the notion does not apply)
    /// is shared too.
    /// </summary>
    public T? GetShared<T>(Func<WellKnownTypes, T?> create)
        where T : class
        => (T?)_shared.GetOrAdd(typeof(T), _ => new Lazy<object?>(() => create(this), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    public bool IsType(ITypeSymbol? candidate, WellKnownType type)
        => candidate is not null && SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, Get(type));

    /// <summary>
    /// Resolves a type by metadata name the robust way: a type from referenced metadata wins over
    /// a same-named type declared in source, and a framework assembly (Microsoft.*, System.*) wins
    /// over other references. Null when absent or ambiguous among equals.
    /// </summary>
    public static INamedTypeSymbol? Resolve(Compilation compilation, string metadataName)
    {
        INamedTypeSymbol? best = null;
        var bestRank = -1;
        var ambiguous = false;
        foreach (var candidate in Candidates(compilation, metadataName))
        {
            var rank = Rank(compilation, candidate);
            if (rank > bestRank)
            {
                best = candidate;
                bestRank = rank;
                ambiguous = false;
            }
            else if (rank == bestRank)
            {
                ambiguous = true;
            }
        }

        return ambiguous ? null : best;
    }

    /// <summary>
    /// The types of that metadata name in the compilation and its references. The lookup walks the compilation's merged
    /// namespaces (source and every reference at once; each namespace level is looked up once per compilation and shared by
    /// every later lookup and by the compiler's own binding) instead of <see cref="Compilation.GetTypesByMetadataName"/>,
    /// which asks every referenced assembly in turn for every name: with the 190-odd assemblies of an ASP.NET Core app that
    /// was most of the analyzers' start-up time. Nested types (<c>Outer+Inner</c>) are the members of the outer types found
    /// that way (the general lookup cost 300 to 400 ms on a compilation whose references were just bound). Types of
    /// references with an extern alias are not in the global namespace and are not found (no rule needs them).
    /// </summary>
    private static IEnumerable<INamedTypeSymbol> Candidates(Compilation compilation, string metadataName)
    {
        var plus = metadataName.IndexOf('+');
        if (plus >= 0)
        {
            // Outer+Inner: the outer types as above, then their members of that name.
            IEnumerable<INamedTypeSymbol> outers = Candidates(compilation, metadataName.Substring(0, plus));
            foreach (var nested in metadataName.Substring(plus + 1).Split('+'))
            {
                var (nestedName, nestedArity) = SplitArity(nested);
                var inner = new List<INamedTypeSymbol>();
                foreach (var outer in outers)
                {
                    inner.AddRange(outer.GetTypeMembers(nestedName, nestedArity));
                }

                outers = inner;
            }

            return outers;
        }

        INamespaceSymbol? container = compilation.GlobalNamespace;
        var start = 0;
        for (var dot = metadataName.IndexOf('.'); dot >= 0 && container is not null; dot = metadataName.IndexOf('.', start))
        {
            container = ChildNamespace(container, metadataName.Substring(start, dot - start));
            start = dot + 1;
        }

        if (container is null || start >= metadataName.Length)
        {
            return Array.Empty<INamedTypeSymbol>();
        }

        var (name, arity) = SplitArity(metadataName.Substring(start));
        return container.GetTypeMembers(name, arity);
    }

    // "Name`2" -> ("Name", 2); "Name" -> ("Name", 0).
    private static (string Name, int Arity) SplitArity(string name)
    {
        var tick = name.LastIndexOf('`');
        return tick > 0 && int.TryParse(name.Substring(tick + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var arity)
            ? (name.Substring(0, tick), arity)
            : (name, 0);
    }

    private static INamespaceSymbol? ChildNamespace(INamespaceSymbol container, string name)
    {
        foreach (var member in container.GetMembers(name))
        {
            if (member is INamespaceSymbol child)
            {
                return child;
            }
        }

        return null;
    }

    private static int Rank(Compilation compilation, INamedTypeSymbol type)
    {
        var assembly = type.ContainingAssembly;
        if (assembly is null || SymbolEqualityComparer.Default.Equals(assembly, compilation.Assembly))
        {
            return 0;
        }

        // A public type of a referenced assembly is accessible; only the others need the (costly) access check.
        if (!IsPublic(type) && !compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
        {
            return -2;
        }

        var name = assembly.Name;
        return name.StartsWith("Microsoft.", StringComparison.Ordinal) || name.StartsWith("System.", StringComparison.Ordinal)
            || name is "System" or "mscorlib" or "netstandard"
            ? 2
            : 1;
    }

    private static bool IsPublic(INamedTypeSymbol type)
    {
        for (ISymbol? current = type; current is INamedTypeSymbol named; current = named.ContainingType)
        {
            if (named.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return true;
    }

    private static string[] BuildMetadataNames()
    {
        var values = (WellKnownType[])Enum.GetValues(typeof(WellKnownType));
        var names = new string[values.Length];
        foreach (var value in values)
        {
            names[(int)value] = value.ToString().Replace('_', '.');
        }

        return names;
    }
}
