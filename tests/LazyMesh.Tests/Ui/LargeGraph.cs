using LazyMesh.Ui;

namespace LazyMesh.Tests.Ui;

/// <summary>A synthetic graph the size of a large mesh, deterministic (no randomness), for the page's scale test.</summary>
public static class LargeGraph
{
    public static GraphDocument Create(int workloads, int namespaces, int servicesPerNamespace, int edgesPerWorkload)
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var nsNames = Enumerable.Range(0, namespaces).Select(static i => $"ns-{i:00}").ToList();
        var services = nsNames.SelectMany(ns => Enumerable.Range(0, servicesPerNamespace)
            .Select(i => new GraphService($"{ns}/svc-{i:00}.{ns}.svc.cluster.local", ns, $"svc-{i:00}.{ns}.svc.cluster.local", "Service", 1, 3, true))).ToList();
        var list = new List<GraphWorkload>();
        var edges = new List<GraphEdge>();
        string[] vias = [GraphBuilder.ViaSidecarLog, GraphBuilder.ViaFallback, GraphBuilder.ViaMetrics, GraphBuilder.ViaStatic];
        for (var w = 0; w < workloads; w++)
        {
            var ns = nsNames[w % namespaces];
            var id = $"{ns}/Deployment/app-{w:0000}";
            for (var e = 0; e < edgesPerWorkload; e++)
            {
                var target = services[((w * 7) + (e * 13)) % services.Count];
                edges.Add(new GraphEdge(id, target.Id, vias[e % vias.Length], [vias[e % vias.Length]], now.AddHours(-w), now.AddMinutes(-e * 90), e == 1 ? 3 : 0, null, null));
            }

            list.Add(new GraphWorkload(id, ns, "Deployment", $"app-{w:0000}", 2, "lazy", $"{ns}/lazymesh-app-{w:0000}", null, w % 97 == 0, edgesPerWorkload, 0, 3, now, null));
        }

        var totals = new GraphTotals(list.Count, list.Count * 2, services.Count, edges.Count, list.Count(static w => w.PendingWrite), 0, 3L * workloads, 0, 0, 0, 0, 0, 0);
        return new GraphDocument(GraphDocument.CurrentSchemaVersion, now, "synthetic", totals, nsNames, list, services, edges, null);
    }
}
