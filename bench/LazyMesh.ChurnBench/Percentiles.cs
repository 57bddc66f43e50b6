using System.Globalization;

namespace LazyMesh.ChurnBench;

/// <summary>Durations recorded in one phase, summarised as count, p50, p99 and max in milliseconds.</summary>
internal sealed class Percentiles
{
    private readonly List<double> _milliseconds = [];

    public int Count
    {
        get
        {
            lock (_milliseconds)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Add(TimeSpan value)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(value.TotalMilliseconds);
        }
    }

    public override string ToString()
    {
        double[] sorted;
        lock (_milliseconds)
        {
            sorted = [.. _milliseconds.Order()];
        }

        if (sorted.Length == 0)
        {
            return "none";
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"n={sorted.Length,5}  p50 {At(0.50),8:F3} ms  p99 {At(0.99),8:F3} ms  max {sorted[^1],8:F3} ms");
    }
}
