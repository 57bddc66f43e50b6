namespace LazyMesh.Reporting;

/// <summary>The result of <c>lazymesh report</c>; its JSON form is a stable, documented schema (docs/report-schema.md).</summary>
public sealed record SavingsReport(
    int SchemaVersion,
    EnvoyCostModel Costs,
    IReadOnlyList<WorkloadSavings> Workloads,
    ImportFootprint TotalFull,
    ImportFootprint TotalScoped)
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>Sum over workloads of footprint x pods: what every proxy together holds, full mesh.</summary>
    public ImportFootprint ProxiesFull { get; init; } = ImportFootprint.Zero;

    /// <summary>Sum over workloads of footprint x pods, scoped.</summary>
    public ImportFootprint ProxiesScoped { get; init; } = ImportFootprint.Zero;

    public long Pods { get; init; }

    public XdsPushSavings Pushes { get; init; } = XdsPushSavings.None;

    /// <summary>Reduction of estimated memory in percent (0 when there is nothing to reduce).</summary>
    public double MemoryReductionPercent => Percent(TotalFull.EstimatedMemoryBytes, TotalScoped.EstimatedMemoryBytes);

    public double ClusterReductionPercent => Percent(TotalFull.Clusters, TotalScoped.Clusters);

    public double EndpointReductionPercent => Percent(TotalFull.Endpoints, TotalScoped.Endpoints);

    public double HttpVirtualHostReductionPercent => Percent(TotalFull.HttpVirtualHosts, TotalScoped.HttpVirtualHosts);

    public static double Percent(long full, long scoped) =>
        full <= 0 ? 0 : Math.Round(100.0 * (full - scoped) / full, 1);
}
