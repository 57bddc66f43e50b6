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

    /// <summary>
    /// One aggressive, compacting collection once the first index is built, before the inventory reports ready: the
    /// initial LIST of every kind leaves the GC holding memory it no longer needs (at 50,000 pods ~40 MB over a 133 MB
    /// heap), which this returns to the OS (docs/benchmarks.md, Kubernetes informers). Costs one blocking GC at start-up.
    /// </summary>
    public bool CompactAfterSync { get; init; } = true;
}
