using LazyMesh.Kubernetes.Leadership;
using LazyMesh.Learning;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>Everything the controller on a cluster (<c>Controller.Cluster.KubernetesMode</c>) is configured with.</summary>
public sealed record KubernetesControllerOptions
{
    public KubernetesSinkOptions Sink { get; init; } = new();

    /// <summary>The global write budget: writes per second (and burst, default = rate).</summary>
    public double WritesPerSecond { get; init; } = WriteBudget.DefaultPerSecond;

    public int? WriteBurst { get; init; }

    public KubeRetryOptions Retry { get; init; } = KubeRetryOptions.Default;

    public string FieldManager { get; init; } = KubeWriter.DefaultFieldManager;

    public int MaxHostsPerWorkload { get; init; } = DependencyStore.DefaultMaxHostsPerWorkload;

    /// <summary>At most one reconcile per workload per this interval (new dependencies coalesce).</summary>
    public TimeSpan MinWriteInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the leader runs expiry and cleanup over every workload.</summary>
    public TimeSpan LeaderDutyInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often every replica forgets its applied-content cache and reconciles everything (drift repair).</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Null: this replica always acts as leader (single replica, tests).</summary>
    public LeadershipOptions? Leadership { get; init; }
}
