using LazyMesh.Istio;
using LazyMesh.Kubernetes.State;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Reporting;

namespace LazyMesh.Ui;

/// <summary>
/// Pure: learned dependencies -> <see cref="GraphDocument"/>. One builder for the controller's <c>/api/v1/graph</c>,
/// <c>lazymesh ui</c> (files) and <c>lazymesh status -o json</c> (LazySidecars); each source only adapts its inputs.
/// </summary>
public static class GraphBuilder
{
    public const string ViaFallback = "fallback";
    public const string ViaSidecarLog = "sidecarLog";
    public const string ViaMetrics = "metrics";
    public const string ViaStatic = "static";
    public const string ViaUnknown = "unknown";

    /// <summary>Assembles the document: namespaces, the services edges point to, and totals.</summary>
    public static GraphDocument Build(string source, DateTimeOffset now, IEnumerable<GraphWorkloadInput> inputs, MeshIndex? index, SavingsReport? savings)
    {
        var workloads = new List<GraphWorkload>();
        var edges = new List<GraphEdge>();
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        var targets = new SortedDictionary<string, GraphService>(StringComparer.Ordinal);
        int pending = 0, conflicts = 0;
        long pods = 0, fallbackCalls = 0;
        foreach (var input in inputs.OrderBy(static i => i.Id, StringComparer.Ordinal))
        {
            namespaces.Add(input.Namespace);
            long calls = 0;
            DateTimeOffset? lastLearned = null;
            var learned = 0;
            var statics = 0;
            foreach (var edge in input.Edges)
            {
                edges.Add(edge);
                calls += edge.FallbackCalls;
                if (edge.Via == ViaStatic)
                {
                    statics++;
                }
                else
                {
                    learned++;
                    if (edge.FirstSeen is { } first && (lastLearned is null || first > lastLearned))
                    {
                        lastLearned = first;
                    }
                }

                if (!targets.ContainsKey(edge.To))
                {
                    targets[edge.To] = Service(edge.To, index);
                    namespaces.Add(targets[edge.To].Namespace);
                }
            }

            pending += input.PendingWrite ? 1 : 0;
            conflicts += input.State == "conflict" ? 1 : 0;
            pods += input.Pods;
            fallbackCalls += calls;
            workloads.Add(new GraphWorkload(
                input.Id, input.Namespace, input.Kind, input.Name, input.Pods, input.State, input.Sidecar, input.Conflict,
                input.PendingWrite, learned, statics, calls, lastLearned, input.Savings));
        }

        var totals = new GraphTotals(
            workloads.Count,
            pods,
            targets.Count,
            edges.Count,
            pending,
            conflicts,
            fallbackCalls,
            savings?.ProxiesFull.EstimatedMemoryBytes ?? 0,
            savings?.ProxiesScoped.EstimatedMemoryBytes ?? 0,
            savings is null ? 0 : SavingsReport.Percent(savings.ProxiesFull.EstimatedMemoryBytes, savings.ProxiesScoped.EstimatedMemoryBytes),
            savings?.ProxiesFull.PushBytes ?? 0,
            savings?.ProxiesScoped.PushBytes ?? 0,
            savings is null ? 0 : Math.Round(savings.Pushes.PushesSavedPerServiceChange, 2));
        var costs = savings?.Costs is { } c ? new GraphCostModel(c.BytesPerCluster, c.BytesPerEndpoint, c.PushBytesPerCluster, c.Source) : null;
        return new GraphDocument(GraphDocument.CurrentSchemaVersion, now, source, totals, [.. namespaces], workloads, [.. targets.Values], edges, costs);
    }

    /// <summary>The graph of a mesh index and what is learned for it (controller on files, <c>lazymesh ui</c>).</summary>
    public static GraphDocument FromMesh(MeshIndex index, DependencyStore store, GraphOptions options, DateTimeOffset now)
    {
        var inputs = new List<(Workload Workload, string State, string? Sidecar, string? Conflict, List<GraphEdge> Edges, IReadOnlyList<SidecarHostPattern>? Egress)>();
        foreach (var workload in index.Workloads)
        {
            var warnings = new List<string>();
            var skip = WorkloadAdmission.Evaluate(index, workload, options.EnabledByDefault, warnings, out var staticHosts);
            string? conflict = null;
            if (skip == WorkloadSkip.None && index.SidecarsSelecting(workload) is { Count: > 0 } existing)
            {
                skip = WorkloadSkip.Conflict;
                conflict = $"already selected by user-written Sidecar {existing[0]}; LazyMesh never writes a second Sidecar for a workload";
            }

            var edges = new List<GraphEdge>();
            foreach (var host in store.Find(workload.Key)?.Snapshot() ?? [])
            {
                edges.Add(Edge(workload.Key, host));
            }

            foreach (var host in staticHosts.Where(h => !edges.Any(e => e.To == h)))
            {
                edges.Add(new GraphEdge(workload.Key, host, ViaStatic, [ViaStatic], null, null, 0, null, null));
            }

            string? sidecar;
            IReadOnlyList<SidecarHostPattern>? egress;
            if (skip == WorkloadSkip.None)
            {
                sidecar = $"{workload.Namespace}/{SidecarNames.For(workload)}";
                egress = Patterns([.. options.Render.BaselineHosts, .. edges.Select(static e => e.To)]);
            }
            else
            {
                var applicable = index.ApplicableSidecar(workload);
                sidecar = applicable?.ToString();
                egress = applicable is null ? null : SidecarHostPattern.EgressOf(applicable.Resource);
            }

            inputs.Add((workload, State(skip), sidecar, conflict, edges, egress));
        }

        var report = SavingsCalculator.Compute(index.Services, inputs.Select(static i => (i.Workload, i.Sidecar, i.Egress)), options.Costs);
        var rows = report.Workloads.ToDictionary(static r => $"{r.Namespace}/{r.Kind}/{r.Name}", StringComparer.Ordinal);
        var graphInputs = inputs.Select(i =>
        {
            var row = rows[i.Workload.Key];
            var savings = new GraphSavings(
                row.Full.Clusters,
                row.Scoped.Clusters,
                row.Full.Endpoints,
                row.Scoped.Endpoints,
                row.Full.EstimatedMemoryBytes,
                row.Scoped.EstimatedMemoryBytes,
                (row.Full.EstimatedMemoryBytes - row.Scoped.EstimatedMemoryBytes) * row.Pods,
                (row.Full.PushBytes - row.Scoped.PushBytes) * row.Pods);
            return new GraphWorkloadInput(
                i.Workload.Key, i.Workload.Namespace, i.Workload.Kind.ToString(), i.Workload.Name, row.Pods, i.State, i.Sidecar, i.Conflict,
                options.IsPendingWrite(i.Workload.Key), i.Edges, savings);
        });
        return Build(options.Source, now, graphInputs, index, report);
    }

    /// <summary>The graph of the LazySidecars in a cluster (<c>lazymesh status -o json</c>): no inventory, so no savings.</summary>
    public static GraphDocument FromLazySidecars(IEnumerable<LazySidecarResource> lazySidecars, DateTimeOffset now)
    {
        var inputs = new List<GraphWorkloadInput>();
        foreach (var lazy in lazySidecars)
        {
            var ns = lazy.Metadata.NamespaceProperty;
            var kind = lazy.Spec.Workload.Kind;
            var id = $"{ns}/{kind}/{lazy.Spec.Workload.Name}";
            var edges = new List<GraphEdge>();
            foreach (var host in LazySidecarStatuses.Hosts(lazy.Status))
            {
                edges.Add(new GraphEdge(id, host.Host, ViaUnknown, [], Time(host.FirstSeenMs), Time(host.LastSeenMs), 0, null, host.ExpiringSinceMs is { } e ? Time(e) : null));
            }

            foreach (var host in lazy.Spec.StaticHosts ?? [])
            {
                edges.Add(new GraphEdge(id, host, ViaStatic, [ViaStatic], null, null, 0, null, null));
            }

            var conflict = LazySidecarStatuses.Condition(lazy.Status, LazySidecarCondition.Conflict);
            var ready = LazySidecarStatuses.Condition(lazy.Status, LazySidecarCondition.Ready);
            var state = lazy.Spec.Paused == true ? "paused" : conflict?.Status == "True" ? "conflict" : "lazy";
            inputs.Add(new GraphWorkloadInput(
                id, ns, kind, lazy.Spec.Workload.Name, 0, state,
                lazy.Status?.SidecarName is { } name ? $"{ns}/{name}" : null,
                conflict?.Status == "True" ? conflict.Message : null,
                ready is not null && ready.Status != "True",
                edges,
                null));
        }

        return Build("kubernetes", now, inputs, null, null);
    }

    private static GraphEdge Edge(string workloadKey, LearnedHost host)
    {
        var via = host.Via;
        var seen = new List<string>(3);
        if ((via & LearnedVia.Fallback) != 0)
        {
            seen.Add(ViaFallback);
        }

        if ((via & LearnedVia.SidecarLog) != 0)
        {
            seen.Add(ViaSidecarLog);
        }

        if ((via & LearnedVia.Metrics) != 0)
        {
            seen.Add(ViaMetrics);
        }

        // A first call of an unlearned dependency goes through the fallback, so an edge the fallback saw was learned there.
        var primary = seen.Count > 0 ? seen[0] : ViaUnknown;
        return new GraphEdge(
            workloadKey,
            host.Host,
            primary,
            seen,
            Time(host.FirstSeenUnixMs),
            Time(host.LastSeenUnixMs),
            host.FallbackCalls,
            host.LastFallbackUnixMs > 0 ? Time(host.LastFallbackUnixMs) : null,
            null);
    }

    private static GraphService Service(string id, MeshIndex? index)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        var ns = slash > 0 ? id[..slash] : string.Empty;
        var host = slash >= 0 ? id[(slash + 1)..] : id;
        var service = index?.FindByHost(host);
        return service is not null && service.Namespace == ns
            ? new GraphService(id, ns, host, service.Kind.ToString(), service.Ports.Count, service.Ports.Sum(static p => (long)p.ReadyEndpoints), true)
            : new GraphService(id, ns, host, host.Contains('*', StringComparison.Ordinal) ? "Pattern" : "Unknown", 0, 0, false);
    }

    private static IReadOnlyList<SidecarHostPattern> Patterns(IEnumerable<string> hosts)
    {
        var list = new List<SidecarHostPattern>();
        foreach (var host in hosts)
        {
            if (SidecarHostPattern.TryParse(host, out var pattern, out _))
            {
                list.Add(pattern);
            }
        }

        return list;
    }

    private static string State(WorkloadSkip skip) => skip switch
    {
        WorkloadSkip.None => "lazy",
        WorkloadSkip.Conflict => "conflict",
        WorkloadSkip.Disabled => "disabled",
        WorkloadSkip.NoSelector => "noSelector",
        _ => skip.ToString(),
    };

    private static DateTimeOffset? Time(long unixMs) => unixMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs) : null;
}
