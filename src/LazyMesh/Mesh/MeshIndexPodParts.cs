namespace LazyMesh.Mesh;

/// <summary>The lists of an index that pod changes replace (arrays, in the index's order); its pod list follows from the workloads.</summary>
internal sealed record MeshIndexPodParts(IReadOnlyList<Workload> Workloads, IReadOnlyList<MeshService> Services);
