using System;
using System.Collections.Concurrent;
using System.Threading;

namespace PerfRules.Infrastructure;

/// <summary>
/// A process-wide memo for answers that depend only on text (never on a symbol or a compilation, which must not outlive
/// their analysis): kept from one compilation to the next, as the IDE makes a new compilation for every edit and the
/// compiler server keeps analyzers loaded between builds. Emptied when it holds <c>capacity</c> entries, so code being
/// typed (a new pattern per keystroke) cannot grow it without bound.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();
    private readonly int _capacity;
    private int _count;

    public BoundedCache(int capacity) => _capacity = capacity;

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (_entries.TryGetValue(key, out var value))
        {
            return value;
        }

        value = create(key);
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            // Racing threads may clear twice or keep a few extra entries: only the bound matters.
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        return _entries.GetOrAdd(key, value);
    }

    /// <summary>How many entries are held (for tests).</summary>
    public int Count => _entries.Count;
}
