namespace LazyMesh.Reporting;

/// <summary>The JSON document <c>lazymesh report -o json</c> prints; field names and meanings are a stable contract.</summary>
public sealed record SavingsReportDocument(
    int SchemaVersion,
    SavingsReportDocument.CostModel Costs,
    IReadOnlyList<WorkloadSavings> Workloads,
    SavingsReportDocument.Totals Total)
{
    public static SavingsReportDocument From(SavingsReport report) => new(
        report.SchemaVersion,
        new CostModel(report.Costs.BytesPerCluster, report.Costs.BytesPerEndpoint, report.Costs.PushBytesPerCluster, report.Costs.Source),
        report.Workloads,
        new Totals(
            report.TotalFull,
            report.TotalScoped,
            new Reduction(report.ClusterReductionPercent, report.EndpointReductionPercent, report.HttpVirtualHostReductionPercent, report.MemoryReductionPercent),
            report.Pods,
            report.ProxiesFull,
            report.ProxiesScoped,
            report.Pushes));

    public sealed record CostModel(long BytesPerCluster, long BytesPerEndpoint, long PushBytesPerCluster, string Source);

    /// <summary><see cref="Full"/> and <see cref="Scoped"/> sum one proxy per workload; the <c>Proxies</c> totals multiply by pods.</summary>
    public sealed record Totals(
        ImportFootprint Full,
        ImportFootprint Scoped,
        Reduction ReductionPercent,
        long Pods,
        ImportFootprint ProxiesFull,
        ImportFootprint ProxiesScoped,
        XdsPushSavings XdsPushPerServiceChange);

    public sealed record Reduction(double Clusters, double Endpoints, double HttpVirtualHosts, double EstimatedMemory);
}
