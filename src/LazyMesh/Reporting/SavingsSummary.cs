using System.Globalization;

namespace LazyMesh.Reporting;

/// <summary>The plain-text lines every savings table ends with: all proxies (pods), xDS pushes, and what it was computed against.</summary>
public static class SavingsSummary
{
    public static IEnumerable<string> Lines(SavingsReport report)
    {
        yield return $"All {HumanNumbers.Count(report.Pods)} proxies (pods): est. Envoy memory {Mib(report.ProxiesFull.EstimatedMemoryBytes)} -> {Mib(report.ProxiesScoped.EstimatedMemoryBytes)} " +
            $"(-{SavingsReport.Percent(report.ProxiesFull.EstimatedMemoryBytes, report.ProxiesScoped.EstimatedMemoryBytes).ToString("0.0", CultureInfo.InvariantCulture)}%), " +
            $"one full xDS push to every proxy {Mib(report.ProxiesFull.PushBytes)} -> {Mib(report.ProxiesScoped.PushBytes)}";
        if (report.Pushes.Services > 0)
        {
            var p = report.Pushes;
            yield return $"A change of one service (average over {HumanNumbers.Count(p.Services)}) pushes to {HumanNumbers.Count(p.ProxiesPushedPerServiceChangeFull)} -> " +
                $"{HumanNumbers.Count(p.ProxiesPushedPerServiceChangeScoped)} proxies, {Mib((long)p.BytesPerServiceChangeFull)} -> {Mib((long)p.BytesPerServiceChangeScoped)} of xDS";
        }

        yield return $"Computed against: {HumanNumbers.Count(report.Costs.BytesPerCluster)} B per cluster, " +
            $"{HumanNumbers.Count(report.Costs.BytesPerEndpoint)} B per endpoint, " +
            $"{HumanNumbers.Count(report.Costs.PushBytesPerCluster)} xDS B per cluster per push ({report.Costs.Source}).";
    }

    public static string Mib(long bytes) => (bytes / 1048576.0).ToString("#,0.00", CultureInfo.InvariantCulture) + " MiB";
}
