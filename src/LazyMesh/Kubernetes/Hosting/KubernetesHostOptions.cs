using System.Net;
using LazyMesh.Als;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.Mesh;

namespace LazyMesh.Kubernetes.Hosting;

/// <summary>How <c>lazymesh controller</c> runs against a Kubernetes API server.</summary>
public sealed record KubernetesHostOptions
{
    public IPEndPoint AlsEndPoint { get; init; } = new(IPAddress.Any, 15800);

    public IPEndPoint HttpEndPoint { get; init; } = new(IPAddress.Any, 15801);

    public AlsServerOptions Als { get; init; } = new();

    public MeshOptions Mesh { get; init; } = MeshOptions.Default;

    public KubernetesControllerOptions Controller { get; init; } = new();

    /// <summary>When set, edges are also learned from Istio's metrics in this Prometheus (docs/prometheus.md).</summary>
    public MetricsSource.MetricsPollingOptions? Prometheus { get; init; }

    /// <summary>An embedding application's meter factory (<see cref="Controller.ControllerMode.MeterFactory"/>); null: the controller host's own.</summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }

    /// <summary>How long the final flush at shutdown may take.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
