namespace LazyMesh.Reporting;

/// <summary>
/// One workload's per-proxy footprint with full-mesh configuration and with its Sidecar (null = none applies),
/// and its proxies (<see cref="Pods"/>: every pod that is not finished runs one).
/// </summary>
public sealed record WorkloadSavings(
    string Namespace,
    string Kind,
    string Name,
    string? Sidecar,
    ImportFootprint Full,
    ImportFootprint Scoped,
    int Pods = 1);
