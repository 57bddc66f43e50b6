namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// Retry delays: <c>base · 2^(n-1)</c> for the n-th consecutive failure, capped, each drawn uniformly from its upper
/// half (jitter, so that many informers and many controllers do not retry in step). Not thread-safe.
/// </summary>
public sealed class ExponentialBackoff(TimeSpan baseDelay, TimeSpan cap)
{
    private int _failures;

    public int Failures => _failures;

    public TimeSpan Next()
    {
        _failures++;
        var exponent = Math.Min(_failures - 1, 30);
        var ceiling = Math.Min(cap.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    public void Reset() => _failures = 0;
}
