namespace PerfRules.Tests.Web;

/// <summary>Counts how often the item partial view actually runs.</summary>
public static class RenderCounter
{
    private static int _count;

    public static int Count => Volatile.Read(ref _count);

    public static void Increment() => Interlocked.Increment(ref _count);

    public static void Reset() => Volatile.Write(ref _count, 0);
}
