namespace LazyMesh.Ui;

/// <summary>One workload as a source of the graph sees it, before totals and services are derived.</summary>
public sealed record GraphWorkloadInput(
    string Id,
    string Namespace,
    string Kind,
    string Name,
    int Pods,
    string State,
    string? Sidecar,
    string? Conflict,
    bool PendingWrite,
    IReadOnlyList<GraphEdge> Edges,
    GraphSavings? Savings);
