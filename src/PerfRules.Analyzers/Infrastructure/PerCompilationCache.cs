using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PerfRules.Infrastructure;

/// <summary>
/// Caches that callbacks fill concurrently, one entry per type or file of a compilation. Sized for the compilation up
/// front: a dictionary that grows while callbacks add to it takes all its locks to grow, and with few locks, callbacks of
/// other threads wait on each other (a sampled profile of PERF006 showed callbacks spinning on these locks while one
/// thread grew the table).
/// </summary>
internal static class PerCompilationCache
{
    // Locks: enough that two threads rarely want the same one (the compiler runs analyzers on every core).
    private const int Locks = 64;

    public static ConcurrentDictionary<TKey, TValue> Create<TKey, TValue>(Compilation compilation, IEqualityComparer<TKey>? comparer = null)
        where TKey : notnull
        => new(Locks, Math.Max(31, compilation.SyntaxTrees.Count()), comparer ?? EqualityComparer<TKey>.Default);
}
