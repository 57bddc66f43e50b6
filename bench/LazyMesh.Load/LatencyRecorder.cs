using System.Diagnostics;

namespace LazyMesh.Load;

/// <summary>Records every latency (Stopwatch ticks) and computes exact percentiles from the sorted samples.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private readonly Lock _gate = new();
    private readonly List<long> _samples = new(capacity);
    private long _failures;

    public long Failures => Interlocked.Read(ref _failures);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count;
            }
        }
    }

    public void Record(long ticks)
    {
        lock (_gate)
        {
            _samples.Add(ticks);
        }
    }

    public void Fail() => Interlocked.Increment(ref _failures);

    /// <summary>Milliseconds at each percentile (0-100), nearest-rank.</summary>
    public double[] Percentiles(params double[] percentiles)
    {
        long[] sorted;
        lock (_gate)
        {
            sorted = [.. _samples];
        }

        Array.Sort(sorted);
        return [.. percentiles.Select(p => sorted.Length == 0 ? double.NaN
            : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency)];
    }
}
