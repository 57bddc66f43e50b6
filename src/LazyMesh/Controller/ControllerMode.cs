using System.Net;
using LazyMesh.Als;
using LazyMesh.Rendering;

namespace LazyMesh.Controller;

/// <summary>
/// What a <see cref="LazyMeshController"/> runs on: where inventory comes from, where learned state lives, where
/// objects go, and the settings both modes share. Built by <c>Files.FilesMode</c> or <c>Cluster.KubernetesMode</c>.
/// </summary>
public sealed class ControllerMode
{
    /// <summary><c>files</c> or <c>kubernetes</c>: the queue's metric label and the graph's source.</summary>
    public required string Name { get; init; }

    public required IInventorySource Inventory { get; init; }

    /// <summary>The learned dependencies (its cap and whether hosts wait for their record are the mode's).</summary>
    public required Learning.DependencyStore Store { get; init; }

    /// <summary>Loads (or syncs) the inventory: <see cref="IInventorySource.Holder"/> is current when it completes.</summary>
    public required Func<CancellationToken, Task> StartInventoryAsync { get; init; }

    /// <summary>What <c>/readyz</c> says while <see cref="StartInventoryAsync"/> runs.</summary>
    public string InventoryLoading { get; init; } = "the inventory is loading";

    public required ILearnedState State { get; init; }

    public required IObjectTarget Target { get; init; }

    /// <summary>The render options in effect (the fallback's host included when routing is on).</summary>
    public required RenderOptions Render { get; init; }

    public bool EnabledByDefault { get; init; }

    /// <summary>Keys reconciled at once (never the same key twice).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>At most one reconcile per key per this interval (bursts coalesce); the first change runs at once.</summary>
    public TimeSpan MinWriteInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>True: everything restored is written (the queue idle once) before ALS streams are taken (refused with Unavailable until then).</summary>
    public bool ReconcileBeforeListening { get; init; }

    public IPEndPoint AlsEndPoint { get; init; } = new(IPAddress.Loopback, 0);

    public IPEndPoint HttpEndPoint { get; init; } = new(IPAddress.Loopback, 0);

    public AlsServerOptions Als { get; init; } = new();

    /// <summary>When set, edges are also learned from Istio's metrics in this Prometheus (docs/prometheus.md).</summary>
    public MetricsSource.MetricsPollingOptions? Prometheus { get; init; }

    /// <summary>How long the final flush at shutdown may take: the host's <c>HostOptions.ShutdownTimeout</c> too.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An embedding application's meter factory (its <c>services.AddMetrics()</c>): the controller's host uses it as
    /// its <see cref="System.Diagnostics.Metrics.IMeterFactory"/>, for its own instruments and the controller's. Null:
    /// the factory of the controller's host (<see cref="ControllerHost"/>, from its DI). Several controllers may share
    /// one: each has its own meter (<see cref="Hosting.InstanceMetrics"/>).
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }
}
