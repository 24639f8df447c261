using PerfRules.Infrastructure;

namespace PerfRules.Tests.Infrastructure;

public sealed class BoundedCacheTests
{
    [Fact]
    public void A_key_is_answered_once_and_then_from_the_cache()
    {
        var cache = new BoundedCache<string, string>(capacity: 8);
        var calls = 0;
        string Create(string key)
        {
            calls++;
            return key.ToUpperInvariant();
        }

        Assert.Equal("A", cache.GetOrAdd("a", Create));
        Assert.Equal("A", cache.GetOrAdd("a", Create));
        Assert.Equal("B", cache.GetOrAdd("b", Create));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void It_never_holds_more_than_its_capacity_and_still_answers_after_emptying()
    {
        // What a session of typing does: a new key per keystroke.
        var cache = new BoundedCache<int, int>(capacity: 16);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(i * 2, cache.GetOrAdd(i, static k => k * 2));
            Assert.InRange(cache.Count, 1, 16);
        }

        Assert.Equal(14, cache.GetOrAdd(7, static k => k * 2));
    }
}
