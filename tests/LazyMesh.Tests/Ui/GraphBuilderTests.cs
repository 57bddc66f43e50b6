using LazyMesh.Inventory;
using LazyMesh.Kubernetes.State;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Tests.Support;
using LazyMesh.Ui;

namespace LazyMesh.Tests.Ui;

public sealed class GraphBuilderTests
{
    private const string Productpage = "bookinfo/Deployment/productpage-v1";
    private const string Details = "bookinfo/details.bookinfo.svc.cluster.local";
    private const string Reviews = "bookinfo/reviews.bookinfo.svc.cluster.local";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 5, 0, 0, TimeSpan.Zero);

    private static MeshIndex Bookinfo() =>
        MeshIndexBuilder.Build(InventoryLoader.Load([Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "inventory.yaml")]), MeshOptions.Default);

    [Fact]
    public void Edges_say_how_they_were_learned_with_first_last_seen_and_fallback_calls()
    {
        var store = new DependencyStore();
        store.Learn(Productpage, Details, 1_000, LearnedVia.Fallback);
        store.Learn(Productpage, Details, 2_000, LearnedVia.Fallback);
        store.Learn(Productpage, Details, 3_000, LearnedVia.SidecarLog);
        store.Learn(Productpage, Reviews, 5_000, LearnedVia.SidecarLog);

        var graph = GraphBuilder.FromMesh(Bookinfo(), store, new GraphOptions { IsPendingWrite = static k => k == Productpage }, Now);

        var details = Assert.Single(graph.Edges, e => e.To == Details);
        Assert.Equal(GraphBuilder.ViaFallback, details.Via);
        Assert.Equal([GraphBuilder.ViaFallback, GraphBuilder.ViaSidecarLog], details.SeenVia);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_000), details.FirstSeen);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(3_000), details.LastSeen);
        Assert.Equal(2, details.FallbackCalls);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(2_000), details.LastFallback);
        Assert.Equal(GraphBuilder.ViaSidecarLog, Assert.Single(graph.Edges, e => e.To == Reviews).Via);

        var workload = Assert.Single(graph.Workloads, w => w.Id == Productpage);
        Assert.Equal("lazy", workload.State);
        Assert.True(workload.PendingWrite);
        Assert.Equal(2, workload.LearnedHosts);
        Assert.Equal(2, workload.FallbackCalls);
        Assert.Equal(1, graph.Totals.PendingWrites);
        Assert.Equal(2, graph.Totals.Edges);
        Assert.All(graph.Services, s => Assert.True(s.Known));

        // Savings: a lazy workload imports its learned services and the baseline only.
        Assert.NotNull(workload.Savings);
        Assert.True(workload.Savings.ScopedClusters < workload.Savings.FullClusters);
        Assert.Equal((workload.Savings.FullMemoryBytes - workload.Savings.ScopedMemoryBytes) * workload.Pods, workload.Savings.SavedMemoryBytesAllPods);
        Assert.Equal(graph.Workloads.Sum(static w => (long)w.Pods), graph.Totals.Pods);
        Assert.True(graph.Totals.ScopedMemoryBytesAllPods < graph.Totals.FullMemoryBytesAllPods);
        Assert.NotNull(graph.CostModel);
    }

    [Fact]
    public void Status_graph_from_lazy_sidecars_has_learned_and_static_hosts_and_conflicts()
    {
        var lazy = new LazySidecarResource
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "web", NamespaceProperty = "shop" },
            Spec = new LazySidecarSpec { Workload = new LazySidecarWorkload { Kind = "Deployment", Name = "web" }, StaticHosts = ["shop/db.shop.svc.cluster.local"] },
            Status = new LazySidecarStatus
            {
                SidecarName = "lazymesh-web",
                LearnedHosts = [new LearnedHostStatus { Host = "shop/cart.shop.svc.cluster.local", FirstSeen = "2026-12-01T10:00:00Z", LastSeen = "2026-12-03T10:00:00Z", ExpiringSince = "2026-12-04T00:00:00Z" }],
                Conditions = [new LazySidecarCondition { Type = LazySidecarCondition.Conflict, Status = "True", Message = "user Sidecar shop/mine selects it" }],
            },
        };

        var graph = GraphBuilder.FromLazySidecars([lazy], Now);

        var w = Assert.Single(graph.Workloads);
        Assert.Equal("shop/Deployment/web", w.Id);
        Assert.Equal("conflict", w.State);
        Assert.Equal("user Sidecar shop/mine selects it", w.Conflict);
        Assert.Equal("shop/lazymesh-web", w.Sidecar);
        Assert.Equal(1, w.LearnedHosts);
        Assert.Equal(1, w.StaticHosts);
        var learned = Assert.Single(graph.Edges, e => e.Via == GraphBuilder.ViaUnknown);
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), learned.FirstSeen);
        Assert.NotNull(learned.ExpiringSince);
        Assert.Single(graph.Edges, e => e.Via == GraphBuilder.ViaStatic && e.To == "shop/db.shop.svc.cluster.local");
        Assert.Equal(1, graph.Totals.Conflicts);
        Assert.Equal(["shop"], graph.Namespaces);
        Assert.All(graph.Services, s => Assert.False(s.Known));
    }

    [Fact]
    public void Json_round_trips_and_uses_the_documented_names()
    {
        var store = new DependencyStore();
        store.Learn(Productpage, Details, 1_000, LearnedVia.SidecarLog);
        var graph = GraphBuilder.FromMesh(Bookinfo(), store, new GraphOptions(), Now);
        var json = GraphJson.Serialize(graph);

        foreach (var name in new[] { "\"schemaVersion\": 1", "\"generatedAt\"", "\"totals\"", "\"workloads\"", "\"services\"", "\"edges\"", "\"via\": \"sidecarLog\"", "\"firstSeen\"", "\"lastSeen\"", "\"fallbackCalls\"", "\"pendingWrite\"", "\"savedMemoryBytesAllPods\"", "\"costModel\"" })
        {
            Assert.Contains(name, json, StringComparison.Ordinal);
        }

        var back = GraphJson.Deserialize(json)!;
        Assert.Equal(graph.Edges.Count, back.Edges.Count);
        Assert.Equal(graph.Totals, back.Totals);
    }
}
