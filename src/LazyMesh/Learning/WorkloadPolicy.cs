namespace LazyMesh.Learning;

/// <summary>Whether a workload is lazy, why, and which hosts are pinned for it.</summary>
public sealed record WorkloadPolicy(bool Enabled, string Reason, IReadOnlyList<string> StaticHosts);
