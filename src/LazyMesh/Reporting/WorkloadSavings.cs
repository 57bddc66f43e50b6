namespace LazyMesh.Reporting;

/// <summary>One workload's footprint with full-mesh configuration and with its Sidecar (null = none applies).</summary>
public sealed record WorkloadSavings(
    string Namespace,
    string Kind,
    string Name,
    string? Sidecar,
    ImportFootprint Full,
    ImportFootprint Scoped);
