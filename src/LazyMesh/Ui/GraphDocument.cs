namespace LazyMesh.Ui;

/// <summary>
/// The dependency graph as <c>GET /api/v1/graph</c> and <c>lazymesh status -o json</c> return it; a stable,
/// documented contract (docs/graph-api.md). Times are RFC 3339 UTC; absent means unknown.
/// </summary>
public sealed record GraphDocument(
    int SchemaVersion,
    DateTimeOffset GeneratedAt,
    string Source,
    GraphTotals Totals,
    IReadOnlyList<string> Namespaces,
    IReadOnlyList<GraphWorkload> Workloads,
    IReadOnlyList<GraphService> Services,
    IReadOnlyList<GraphEdge> Edges,
    GraphCostModel? CostModel)
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>One workload (a Sidecar's unit). <see cref="State"/>: lazy, conflict, disabled, noSelector, paused.</summary>
public sealed record GraphWorkload(
    string Id,
    string Namespace,
    string Kind,
    string Name,
    int Pods,
    string State,
    string? Sidecar,
    string? Conflict,
    bool PendingWrite,
    int LearnedHosts,
    int StaticHosts,
    long FallbackCalls,
    DateTimeOffset? LastLearned,
    GraphSavings? Savings);

/// <summary>A destination: <see cref="Id"/> is <c>namespace/host</c>, as in a Sidecar's egress hosts.</summary>
public sealed record GraphService(string Id, string Namespace, string Host, string Kind, int Ports, long Endpoints, bool Known);

/// <summary>
/// A dependency from a workload to a service. <see cref="Via"/>: <c>fallback</c>, <c>sidecarLog</c>, <c>metrics</c>,
/// <c>static</c> or <c>unknown</c> (restored state does not record how); <see cref="SeenVia"/> lists every way seen.
/// </summary>
public sealed record GraphEdge(
    string From,
    string To,
    string Via,
    IReadOnlyList<string> SeenVia,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    long FallbackCalls,
    DateTimeOffset? LastFallback,
    DateTimeOffset? ExpiringSince);

/// <summary>One workload's savings: per proxy, and for all its pods.</summary>
public sealed record GraphSavings(
    long FullClusters,
    long ScopedClusters,
    long FullEndpoints,
    long ScopedEndpoints,
    long FullMemoryBytes,
    long ScopedMemoryBytes,
    long SavedMemoryBytesAllPods,
    long SavedPushBytesAllPods);

public sealed record GraphTotals(
    int Workloads,
    long Pods,
    int Services,
    int Edges,
    int PendingWrites,
    int Conflicts,
    long FallbackCalls,
    long FullMemoryBytesAllPods,
    long ScopedMemoryBytesAllPods,
    double MemoryReductionPercent,
    long FullPushBytesAllPods,
    long ScopedPushBytesAllPods,
    double PushesSavedPerServiceChange);

public sealed record GraphCostModel(long BytesPerCluster, long BytesPerEndpoint, long PushBytesPerCluster, string Source);
