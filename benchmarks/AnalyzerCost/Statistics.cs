namespace PerfRules.Benchmarks;

/// <summary>The statistic every table of the benchmark reports.</summary>
internal static class Statistics
{
    /// <summary>The median (the mean of the two middle values for an even count); 0 for no value.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
