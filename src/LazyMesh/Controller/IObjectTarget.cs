using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;

namespace LazyMesh.Controller;

/// <summary>
/// Where objects go: a directory (<c>Files.DirectoryTarget</c>, <see cref="Sinks.DirectorySink"/>) or the API server
/// (<c>Cluster.ApiTarget</c>, <see cref="Kubernetes.Sink.KubernetesSink"/>). Both render through
/// <see cref="DesiredStateBuilder"/>; the routing objects go through <see cref="Routing"/>, which keeps their order.
/// </summary>
public interface IObjectTarget : IControllerDuties, IAsyncDisposable
{
    /// <summary>Where the objects go, for the log (a directory, an API server).</summary>
    string Description { get; }

    /// <summary>True when objects go to an API server (the learn-to-write latency is exported as learn-to-API).</summary>
    bool IsApi { get; }

    /// <summary>The fallback routing objects; null when routing is off.</summary>
    FallbackRoutingReconciler? Routing { get; }

    /// <summary>Hooks up what feeds the queue besides the inventory (informer echoes, leadership).</summary>
    Task StartAsync(ControllerContext context, CancellationToken stopping);

    /// <summary>Writes (or removes) the workload's generated Sidecar; a generated Sidecar goes after its EnvoyFilter.</summary>
    Task<WorkloadOutcome> ReconcileAsync(MeshIndex index, Workload workload, CancellationToken cancellationToken);

    /// <summary>The workload is gone from the inventory (its objects go with the cleanup duty).</summary>
    void Forget(string workloadKey);

    /// <summary>Where the workload's Sidecar is (a path, or namespace/name).</summary>
    string LocationOf(MeshIndex index, Workload workload);

    /// <summary>Adds this part's instruments to the controller's meter.</summary>
    void AddMetrics(System.Diagnostics.Metrics.Meter meter);
}
