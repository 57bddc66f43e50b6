using LazyMesh.Mesh;

namespace LazyMesh.MetricsSource;

/// <summary>A dependency seen in Istio's metrics: requests or connections over the window, and who reported it.</summary>
public sealed record MetricEdge(Workload Source, MeshService Destination, double Count, bool SourceReported);
