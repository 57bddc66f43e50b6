namespace LazyMesh.Rendering;

/// <summary>Everything that should exist, plus why some workloads got nothing.</summary>
public sealed record DesiredState(
    IReadOnlyList<DesiredSidecar> Sidecars,
    int DisabledWorkloads,
    int ConflictingWorkloads,
    IReadOnlyList<string> Warnings);
