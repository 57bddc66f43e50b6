using LazyMesh.Mesh;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// Objects that route traffic to a host a Sidecar imports (e.g. a fallback proxy's routes). The sink keeps the
/// ordering rule: <see cref="HostsAddedAsync"/> runs only after the Sidecar that imports the hosts is applied,
/// <see cref="HostsRemovingAsync"/> before the Sidecar that drops them is applied.
/// </summary>
public interface ISidecarDependents
{
    Task HostsAddedAsync(Workload workload, IReadOnlyList<string> hosts, CancellationToken cancellationToken);

    Task HostsRemovingAsync(Workload workload, IReadOnlyList<string> hosts, CancellationToken cancellationToken);
}
