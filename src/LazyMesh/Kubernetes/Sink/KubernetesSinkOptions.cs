using LazyMesh.Rendering;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>How the Kubernetes sink renders, persists and expires.</summary>
public sealed record KubernetesSinkOptions
{
    public RenderOptions Render { get; init; } = RenderOptions.Default;

    /// <summary>On a cluster nothing is lazy unless enabled (namespace label <c>lazymesh.io/enabled=true</c> or annotations).</summary>
    public bool EnabledByDefault { get; init; }

    /// <summary>A learned host not seen for this long is marked expiring (per workload: <c>spec.ttl</c>).</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromDays(7);

    /// <summary>A marked host is removed after this, unless seen again.</summary>
    public TimeSpan ExpiryGrace { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Last-seen times are written at most this often per host (new hosts are written at once).</summary>
    public TimeSpan LastSeenRefresh { get; init; } = TimeSpan.FromHours(1);

    /// <summary>At most one <c>DependencyLearned</c> Event per workload per this window.</summary>
    public TimeSpan EventAggregationWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A LazySidecar whose workload is gone (or opted out) is deleted only after it has been so for this long.</summary>
    public TimeSpan CleanupGrace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Workloads reconciled concurrently (the write budget still bounds the rate).</summary>
    public int MaxParallelism { get; init; } = 4;

    /// <summary>Reported as the Events' reportingInstance.</summary>
    public string Identity { get; init; } = Environment.MachineName;
}
