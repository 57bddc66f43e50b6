using LazyMesh.Demo;
using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Tests.Demo;

public sealed class DemoInventoryTests
{
    [Fact]
    public void The_generated_inventory_builds_the_mesh_the_demo_needs()
    {
        var topology = new DemoTopology(45678);
        var index = MeshIndexBuilder.Build(InventoryLoader.LoadText(DemoInventory.Render(topology, 40, "lazymesh-system")));
        Assert.Empty(index.Warnings);
        Assert.Equal(6 + 40, index.Workloads.Count);
        Assert.Equal(4 + 40 + 1, index.Services.Count);

        // Pod IP -> Deployment, ClusterIP:port -> Service, name in namespace -> Service.
        Assert.True(IpKey.TryParse("127.0.0.14", out var ip));
        Assert.Equal(PodIpMatch.Pod, index.FindPod(ip, out var pod));
        Assert.Equal("bookinfo/Deployment/reviews-v2", pod!.Workload.Key);
        Assert.True(IpKey.TryParse("127.0.1.13", out var clusterIp));
        Assert.Equal("bookinfo/reviews.bookinfo.svc.cluster.local", index.FindByAddress(clusterIp, 9080)?.SidecarHost);
        Assert.Equal("bookinfo/ratings.bookinfo.svc.cluster.local", index.ResolveName("ratings:9080", "bookinfo")?.SidecarHost);
        Assert.Equal(3, index.FindByHost("reviews.bookinfo.svc.cluster.local")!.Ports.Single().ReadyEndpoints);

        // Only Bookinfo is lazy: the other namespaces opt out.
        var desired = DesiredStateBuilder.Build(index, new DependencyStore(), RenderOptions.Default, enabledByDefault: true);
        Assert.Equal(6, desired.Sidecars.Count);
        Assert.All(desired.Sidecars, s => Assert.Equal("bookinfo", s.Workload.Namespace));
        Assert.Equal(40, desired.DisabledWorkloads);
    }
}
