using k8s;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Kubernetes.Informers;
using static LazyMesh.Tests.Kubernetes.Informers.InformerTestCluster;

namespace LazyMesh.Tests.Kubernetes.Informers;

/// <summary>VirtualServices and Gateway API routes reach the mesh index from the cluster; an absent route CRD is not an error.</summary>
public sealed class RoutingInformerTests
{
    [Fact]
    public async Task A_VirtualService_created_on_the_cluster_reaches_the_index()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("routing");
        await cluster.CreateServiceAsync("default", "reviews", "10.96.0.10", "reviews");
        await cluster.StartInventoryAsync();

        var vs = new VirtualServiceResource
        {
            Metadata = new V1ObjectMeta { Name = "reviews", NamespaceProperty = "routing" },
            Spec = new VirtualServiceSpec
            {
                Hosts = ["reviews.default.svc.cluster.local"],
                Http = [new VirtualServiceHttpRoute { Route = [new VirtualServiceRouteDestination { Destination = new VirtualServiceDestination { Host = "reviews" } }] }],
            },
        };
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            vs, SidecarResource.Group, "v1", "routing", VirtualServiceResource.Plural);

        var index = await cluster.WaitForIndexAsync(i => i.VirtualServices.Count == 1);
        Assert.Equal("routing", Assert.Single(index.VirtualServicesFor("reviews.default.svc.cluster.local", "shop")).Namespace);
    }

    [Fact]
    public async Task A_route_kind_whose_CRD_is_missing_lists_empty()
    {
        await using var cluster = await StartAsync();
        var client = new OptionalResourceClient<GatewayApiRouteResource>(
            new CustomResourceClient<GatewayApiRouteResource>(cluster.Client, GatewayApiRouteResource.Group, "v1", "tcproutes"));

        var page = await client.ListAsync(null, 100, CancellationToken.None);

        Assert.Empty(page.Items);
        Assert.True(client.Absent);
    }

    [Fact]
    public async Task An_absent_route_kinds_watch_waits_out_its_timeout_on_the_informers_clock()
    {
        await using var cluster = await StartAsync();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var client = new OptionalResourceClient<GatewayApiRouteResource>(
            new CustomResourceClient<GatewayApiRouteResource>(cluster.Client, GatewayApiRouteResource.Group, "v1", "tcproutes"), time);
        await client.ListAsync(null, 100, CancellationToken.None);
        Assert.True(client.Absent);

        // The wait is armed when the first item is asked for: a server-side timeout of 300 s, on the fake clock.
        await using var watch = client.WatchAsync("0", 300, _ => { }, CancellationToken.None).GetAsyncEnumerator();
        var next = watch.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(299));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await next.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
