namespace LazyMesh.Install;

/// <summary>A container's CPU and memory requests and memory limit, in Kubernetes quantity syntax (<c>500m</c>, <c>512Mi</c>).</summary>
public sealed record ContainerResources(string CpuRequest, string MemoryRequest, string MemoryLimit);
