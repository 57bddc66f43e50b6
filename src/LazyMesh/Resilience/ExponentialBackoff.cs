namespace LazyMesh.Resilience;

/// <summary>
/// The one backoff rule for loops that retry on their own (informer list/watch, the work queue's failing keys, the
/// fallback's ALS stream): the n-th consecutive failure waits <c>base · 2^(n-1)</c>, capped. Single API calls retry
/// through Polly (<c>KubeWriter</c>). An instance adds jitter and counts failures; not thread-safe.
/// </summary>
public sealed class ExponentialBackoff(TimeSpan baseDelay, TimeSpan cap)
{
    private int _failures;

    public int Failures => _failures;

    /// <summary>The delay after the <paramref name="failures"/>-th consecutive failure (1 = first): <c>base · 2^(failures-1)</c>, capped. Pure.</summary>
    public static TimeSpan Delay(int failures, TimeSpan baseDelay, TimeSpan cap)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        return TimeSpan.FromMilliseconds(Math.Min(cap.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent)));
    }

    /// <summary>
    /// Counts a failure and returns its delay drawn uniformly from the upper half of <see cref="Delay"/> (jitter, so
    /// that many informers and many controllers do not retry in step).
    /// </summary>
    public TimeSpan Next()
    {
        _failures++;
        var ceiling = Delay(_failures, baseDelay, cap).TotalMilliseconds;
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    public void Reset() => _failures = 0;
}
