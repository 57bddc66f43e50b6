namespace LazyMesh.Controller;

/// <summary>A newly learned edge on its way into a Sidecar: recorded first (where learned state lives), then shown.</summary>
public readonly record struct PendingEdge(string WorkloadKey, string Host, long SeenUnixMs, long ArrivedTimestamp);
