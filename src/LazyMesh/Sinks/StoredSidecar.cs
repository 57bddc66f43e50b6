using LazyMesh.Istio;

namespace LazyMesh.Sinks;

/// <summary>A Sidecar read back from a sink, with where it came from and whether LazyMesh manages it.</summary>
/// <param name="Path">The file it was read from.</param>
/// <param name="Sidecar">The parsed object.</param>
/// <param name="IsManaged">True when it carries <c>app.kubernetes.io/managed-by: lazymesh</c>.</param>
public sealed record StoredSidecar(string Path, SidecarResource Sidecar, bool IsManaged);
