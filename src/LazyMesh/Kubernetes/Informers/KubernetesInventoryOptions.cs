using LazyMesh.Mesh;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>How <see cref="KubernetesInventory"/> watches the cluster and rebuilds the mesh index.</summary>
public sealed record KubernetesInventoryOptions
{
    public MeshOptions Mesh { get; init; } = MeshOptions.Default;

    public InformerOptions Informers { get; init; } = InformerOptions.Default;

    /// <summary>Shortest time between two index rebuilds while changes keep arriving (changes in between are coalesced).</summary>
    public TimeSpan RebuildInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Strip pods and workload controllers to what the index reads before caching them (<see cref="PodSlimmer"/>).</summary>
    public bool SlimObjects { get; init; } = true;
}
