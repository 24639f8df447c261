using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace PerfRules.Infrastructure;

/// <summary>
/// Compares by object identity, for caches keyed by objects the compilation keeps (a method's definition): found again
/// without hashing what the object describes. Not a symbol equality: two objects for one symbol are two keys.
/// </summary>
internal sealed class IdentityComparer<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly IdentityComparer<T> Instance = new();

    private IdentityComparer()
    {
    }

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
