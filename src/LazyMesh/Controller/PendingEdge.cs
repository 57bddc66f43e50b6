namespace LazyMesh.Controller;

/// <summary>A new edge on its way to disk: journaled first, then written into its workload's Sidecar.</summary>
internal readonly record struct PendingEdge(string WorkloadKey, string Host, long SeenUnixMs, long ArrivedTimestamp);
