using k8s.Models;
using LazyMesh.Inventory;

namespace LazyMesh.Mesh;

/// <summary>
/// An index and the parts it was built from that pod changes touch: pods by key, workloads with their pods,
/// Services that select pods, how many pods hold each IP. <see cref="MeshIndexUpdater"/> keeps it between updates.
/// </summary>
internal sealed class MeshIndexParts(InventorySnapshot snapshot, MeshOptions options)
{
    public MeshOptions Options { get; } = options;

    public WorkloadOwners Owners { get; } = new(snapshot);

    public PodInfoFactory PodInfos { get; } = new(snapshot);

    /// <summary>Every pod by <c>namespace/name</c>.</summary>
    public Dictionary<string, V1Pod> PodsByKey { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, WorkloadPart> WorkloadOfPod { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, WorkloadPart> Workloads { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<WorkloadPart>> WorkloadsByNamespace { get; } = new(StringComparer.Ordinal);

    /// <summary>Kubernetes Services with a pod selector, by namespace.</summary>
    public Dictionary<string, List<ServicePart>> ServicesByNamespace { get; } = new(StringComparer.Ordinal);

    /// <summary>How many pods (hostNetwork ones included) list each IP.</summary>
    public Dictionary<IpKey, int> IpHolders { get; } = [];

    /// <summary>Some host or address was claimed twice: which claim wins depends on every destination.</summary>
    public bool HasDestinationConflicts { get; set; }

    public MeshIndex Index { get; set; } = MeshIndex.Empty;

    public static string PodKey(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
}
