namespace LazyMesh.Mesh;

/// <summary>The lists of an index that pod changes replace (arrays, in the index's order).</summary>
internal sealed record MeshIndexPodParts(IReadOnlyList<Workload> Workloads, IReadOnlyList<PodInfo> Pods, IReadOnlyList<MeshService> Services);
