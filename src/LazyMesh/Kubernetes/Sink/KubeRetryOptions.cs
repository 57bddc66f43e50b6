namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// Retries of API calls that failed transiently (409 on applies, 429, 5xx, connection errors), through the Polly.Core
/// pipeline of <see cref="KubeWriter"/>: exponential from <see cref="BaseDelay"/> with jitter, capped at <see cref="MaxDelay"/>.
/// </summary>
public sealed record KubeRetryOptions
{
    public static KubeRetryOptions Default { get; } = new();

    /// <summary>Attempts per call, the first included; then the error surfaces and the caller's level-triggered loop retries later.</summary>
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A server's Retry-After is honoured up to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);
}
