using LazyMesh.Attribution;
using LazyMesh.Mesh;

namespace LazyMesh.MetricsSource;

/// <summary>
/// Pure: the series of one Istio metric -> (source workload, destination service) edges, by the same rules as access
/// logs: a known workload calling a known service, else a counted <see cref="SkipReason"/>, never a guess.
/// <list type="bullet">
/// <item>A pair that a source proxy reported (<c>reporter="source"</c>) is taken from that series; a pair only a
/// destination proxy reported is taken from it, since its source labels come from the caller's own peer metadata.</item>
/// <item><c>source_workload</c> is what Istio's injector derives from the pod's controller (istio/istio
/// pkg/kube/util.go <c>GetDeployMetaFromPod</c>: a ReplicaSet's Deployment, a Job's CronJob, else the controller or
/// the pod): matched to the index's workload of that name in <c>source_workload_namespace</c>. <c>unknown</c> (no peer
/// metadata: a caller without a sidecar, or plaintext) and names with no or several matching workloads are skipped.</item>
/// <item><c>destination_service</c> is the service's host: matched to a known service or ServiceEntry host.</item>
/// </list>
/// </summary>
public static class MetricEdgeAttribution
{
    public const string Unknown = "unknown";

    public static IReadOnlyList<MetricEdge> Attribute(MeshIndex index, IReadOnlyList<PrometheusSample> samples, out IReadOnlyDictionary<SkipReason, int> skipped)
    {
        var byName = new Dictionary<(string Namespace, string Name), Workload?>();
        foreach (var workload in index.Workloads)
        {
            var key = (workload.Namespace, workload.Name);
            byName[key] = byName.ContainsKey(key) ? null : workload; // null: ambiguous (same name, several kinds)
        }

        var sourceReported = new HashSet<(string, string, string, string)>();
        foreach (var sample in samples)
        {
            if (sample.Label(IstioMetricQueries.Reporter) == "source")
            {
                sourceReported.Add(Pair(sample));
            }
        }

        var skips = new Dictionary<SkipReason, int>();
        var edges = new Dictionary<(string, string), MetricEdge>();
        foreach (var sample in samples)
        {
            var reporter = sample.Label(IstioMetricQueries.Reporter);
            if (reporter != "source" && sourceReported.Contains(Pair(sample)))
            {
                continue; // the same call, already seen from its source
            }

            var reason = AttributeOne(index, byName, sample, out var source, out var destination);
            if (reason != SkipReason.None)
            {
                skips[reason] = skips.GetValueOrDefault(reason) + 1;
                continue;
            }

            var edgeKey = (source!.Key, destination!.SidecarHost);
            edges[edgeKey] = edges.TryGetValue(edgeKey, out var existing)
                ? existing with { Count = existing.Count + sample.Value }
                : new MetricEdge(source, destination, sample.Value, reporter == "source");
        }

        skipped = skips;
        return [.. edges.Values.OrderBy(static e => e.Source.Key, StringComparer.Ordinal).ThenBy(static e => e.Destination.SidecarHost, StringComparer.Ordinal)];
    }

    private static SkipReason AttributeOne(MeshIndex index, Dictionary<(string, string), Workload?> byName, PrometheusSample sample, out Workload? source, out MeshService? destination)
    {
        source = null;
        destination = null;
        var name = sample.Label(IstioMetricQueries.SourceWorkload);
        var ns = sample.Label(IstioMetricQueries.SourceNamespace);
        if (name.Length == 0 || ns.Length == 0 || name == Unknown || ns == Unknown || !byName.TryGetValue((ns, name), out source) || source is null)
        {
            return SkipReason.UnknownSource;
        }

        var host = sample.Label(IstioMetricQueries.DestinationService);
        if (host.Length == 0 || host == Unknown)
        {
            return SkipReason.UnknownDestination;
        }

        destination = index.FindByHost(host);
        return destination is null ? SkipReason.UnknownDestination : SkipReason.None;
    }

    private static (string, string, string, string) Pair(PrometheusSample s) => (
        s.Label(IstioMetricQueries.SourceNamespace),
        s.Label(IstioMetricQueries.SourceWorkload),
        s.Label(IstioMetricQueries.DestinationNamespace),
        s.Label(IstioMetricQueries.DestinationService));
}
