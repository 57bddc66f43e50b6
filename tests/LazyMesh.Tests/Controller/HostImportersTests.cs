using LazyMesh.Controller;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using static LazyMesh.Tests.Mesh.MeshYaml;

namespace LazyMesh.Tests.Controller;

/// <summary>
/// <see cref="MeshIndexChange.ChangedHosts"/> names Services whose change matters only to the workloads that import
/// them; <see cref="HostImporters"/> finds those workloads for the controller (learned or static hosts).
/// </summary>
public sealed class HostImportersTests
{
    private static MeshIndex Cluster(string webAnnotations = "{}", string otherNamespaceAnnotations = "{}") => Index(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}",
        $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: other, annotations: {otherNamespaceAnnotations}}}",
        Owner("Deployment", "web", "shop", annotations: webAnnotations),
        Owner("Deployment", "cart", "shop", "{matchLabels: {app: cart}}"),
        Owner("Deployment", "api", "other", "{matchLabels: {app: api}}"),
        Pod("web-a", "10.0.0.1", "shop", "{app: web}", owner: "Deployment/web"),
        Pod("cart-a", "10.0.0.2", "shop", "{app: cart}", owner: "Deployment/cart"),
        Pod("api-a", "10.0.1.1", "other", "{app: api}", owner: "Deployment/api"),
        Service("cart", "10.96.0.1", "shop", "[{name: http, port: 80}]", "{app: cart}"),
        Service("api", "10.96.0.2", "other", "[{name: http, port: 80}]", "{app: api}"));

    [Fact]
    public void Workloads_that_learned_a_changed_host_are_its_importers()
    {
        var store = new DependencyStore();
        store.Learn("shop/Deployment/web", "shop/cart.shop.svc.cluster.local", 1);
        store.Learn("other/Deployment/api", "other/api.other.svc.cluster.local", 1);

        Assert.Equal(["shop/Deployment/web"], HostImporters.Of(Cluster(), store, ["CART.shop.svc.cluster.local"]));
        Assert.Empty(HostImporters.Of(Cluster(), store, ["nobody.shop.svc.cluster.local"]));
        Assert.Empty(HostImporters.Of(Cluster(), store, []));
    }

    [Fact]
    public void Static_hosts_on_the_workload_or_its_namespace_and_wildcards_count()
    {
        var store = new DependencyStore();
        var pinned = Cluster(webAnnotations: "{lazymesh.io/static-hosts: 'shop/cart.shop.svc.cluster.local'}");
        Assert.Equal(["shop/Deployment/web"], HostImporters.Of(pinned, store, ["cart.shop.svc.cluster.local"]));
        Assert.Empty(HostImporters.Of(pinned, store, ["api.other.svc.cluster.local"]));

        var wildcard = Cluster(otherNamespaceAnnotations: "{lazymesh.io/static-hosts: 'shop/*'}");
        var importers = HostImporters.Of(wildcard, store, ["cart.shop.svc.cluster.local"]);
        Assert.Contains("other/Deployment/api", importers);
        Assert.DoesNotContain(importers, w => w.StartsWith("shop/", StringComparison.Ordinal));
    }
}
