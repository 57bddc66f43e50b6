using LazyMesh.Istio;
using LazyMesh.Mesh;

namespace LazyMesh.Rendering;

/// <summary>A workload and the exact Sidecar that should exist for it.</summary>
public sealed record DesiredSidecar(Workload Workload, SidecarResource Sidecar, int LearnedHosts, int StaticHosts);
