namespace LazyMesh.KubeTesting;

/// <summary>Fail the next <see cref="Remaining"/> matching requests with <see cref="StatusCode"/>.</summary>
internal sealed class FaultRule(int remaining, int statusCode, Func<KubeRequestInfo, bool>? match, TimeSpan? retryAfter)
{
    public int Remaining { get; set; } = remaining;

    public int StatusCode { get; } = statusCode;

    public Func<KubeRequestInfo, bool>? Match { get; } = match;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
