namespace LazyMesh.Controller;

/// <summary>A learned dependency is in its workload's Sidecar on disk, <see cref="Latency"/> after it arrived.</summary>
public sealed record DependencyPersisted(string WorkloadKey, string Host, string SidecarPath, TimeSpan Latency);
