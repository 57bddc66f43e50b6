using LazyMesh.AccessLogs;
using LazyMesh.Attribution;
using LazyMesh.Inventory;
using LazyMesh.Mesh;

namespace LazyMesh.Tests.Attribution;

public sealed class BookinfoExampleTests
{
    private static readonly Lazy<(InventorySnapshot Snapshot, MeshIndex Index)> Bookinfo = new(() =>
    {
        var snapshot = InventoryLoader.Load([Path.Combine(RepoRoot(), "examples", "bookinfo", "inventory.yaml")]);
        return (snapshot, MeshIndexBuilder.Build(snapshot));
    });

    [Fact]
    public void Example_inventory_loads_every_object()
    {
        var snapshot = Bookinfo.Value.Snapshot;

        Assert.Equal(2, snapshot.Namespaces.Count);
        Assert.Equal(5, snapshot.Services.Count);
        Assert.Equal(6, snapshot.Deployments.Count);
        Assert.Equal(6, snapshot.ReplicaSets.Count);
        Assert.Equal(6, snapshot.Pods.Count);
        Assert.Single(snapshot.ServiceEntries);
        Assert.Empty(snapshot.SkippedKinds);
    }

    [Fact]
    public void Example_index_has_deployment_workloads_and_no_warnings()
    {
        var index = Bookinfo.Value.Index;

        Assert.Empty(index.Warnings);
        Assert.Equal(
            ["bookinfo/Deployment/details-v1", "bookinfo/Deployment/productpage-v1", "bookinfo/Deployment/ratings-v1",
             "bookinfo/Deployment/reviews-v1", "bookinfo/Deployment/reviews-v2", "bookinfo/Deployment/reviews-v3"],
            index.Workloads.Select(w => w.Key));
        Assert.All(index.Workloads, w => Assert.Single(w.Pods));
        Assert.Equal(3, index.FindByHost("reviews.bookinfo.svc.cluster.local")!.Ports[0].ReadyEndpoints);
        Assert.Equal(PortProtocol.Http, index.FindByHost("reviews.bookinfo.svc.cluster.local")!.Ports[0].Protocol);
    }

    [Theory]
    [InlineData("10.244.1.10", "outbound|9080||details.bookinfo.svc.cluster.local", "", 0, "bookinfo/Deployment/productpage-v1", "bookinfo/details.bookinfo.svc.cluster.local")]
    [InlineData("10.244.1.10", "outbound|9080|v2|reviews.bookinfo.svc.cluster.local", "", 0, "bookinfo/Deployment/productpage-v1", "bookinfo/reviews.bookinfo.svc.cluster.local")]
    [InlineData("10.244.1.13", "outbound|9080||ratings.bookinfo.svc.cluster.local", "", 0, "bookinfo/Deployment/reviews-v2", "bookinfo/ratings.bookinfo.svc.cluster.local")]
    [InlineData("10.244.1.14", "PassthroughCluster", "10.96.10.13", 9080, "bookinfo/Deployment/reviews-v3", "bookinfo/ratings.bookinfo.svc.cluster.local")]
    [InlineData("10.244.1.11", "outbound|443||api.example.com", "", 0, "bookinfo/Deployment/details-v1", "bookinfo/api.example.com")]
    [InlineData("10.244.1.15", "outbound|15012||istiod.istio-system.svc.cluster.local", "", 0, "bookinfo/Deployment/ratings-v1", "istio-system/istiod.istio-system.svc.cluster.local")]
    public void Example_calls_attribute_to_workload_and_sidecar_host(string source, string cluster, string destinationIp, int destinationPort, string workload, string sidecarHost)
    {
        var e = new AccessEvent
        {
            UpstreamCluster = cluster,
            SourceAddress = source,
            OriginalDestinationAddress = destinationIp,
            OriginalDestinationPort = destinationPort,
        };

        Assert.Equal(SkipReason.None, EventAttribution.Attribute(Bookinfo.Value.Index, in e, out var from, out var to));
        Assert.Equal(workload, from?.Key);
        Assert.Equal(sidecarHost, to?.SidecarHost);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LazyMesh.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
