using LazyMesh.Rendering;
using LazyMesh.Routing;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>How the Kubernetes sink renders, persists and expires.</summary>
public sealed record KubernetesSinkOptions
{
    public RenderOptions Render { get; init; } = RenderOptions.Default;

    /// <summary>
    /// Null: off. Otherwise every generated Sidecar imports the fallback's host, and after each full reconcile the
    /// fallback's Service and one EnvoyFilter per namespace with an applied lazy Sidecar are applied (and LazyMesh's
    /// EnvoyFilters in namespaces without one deleted), see <see cref="Routing.FallbackRoutingReconciler"/>.
    /// </summary>
    public FallbackRoutingOptions? FallbackRouting { get; init; }

    /// <summary><see cref="Render"/>, importing the fallback's host when <see cref="FallbackRouting"/> is on.</summary>
    public RenderOptions EffectiveRender => FallbackRouting is { } routing ? FallbackSidecarHosts.WithFallback(Render, routing) : Render;

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
