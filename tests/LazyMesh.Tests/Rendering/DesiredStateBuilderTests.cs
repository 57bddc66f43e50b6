using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Tests.Rendering;

public sealed class DesiredStateBuilderTests
{
    private const string Inventory = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
          annotations:
            lazymesh.io/static-hosts: "ext/*.example.com"
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: legacy
          annotations:
            lazymesh.io/enabled: "false"
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: cart, namespace: shop}
        spec:
          clusterIP: 10.96.0.5
          selector: {app: cart}
          ports: [{name: http, port: 8080}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web}, annotations: {"lazymesh.io/static-hosts": "shop/cart.shop.svc.cluster.local, not-a-host"}}
        status: {phase: Running, podIP: 10.0.0.1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: optout, namespace: shop, labels: {app: optout}, annotations: {"lazymesh.io/enabled": "false"}}
        status: {phase: Running, podIP: 10.0.0.2}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: owned, namespace: shop, labels: {app: owned}}
        status: {phase: Running, podIP: 10.0.0.3}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: old, namespace: legacy, labels: {app: old}}
        status: {phase: Running, podIP: 10.0.1.1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: back, namespace: legacy, labels: {app: back}, annotations: {"lazymesh.io/enabled": "true"}}
        status: {phase: Running, podIP: 10.0.1.2}
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: hand-written, namespace: shop}
        spec:
          workloadSelector: {labels: {app: owned}}
          egress: [{hosts: ["./*"]}]
        """;

    private static DesiredState Build(DependencyStore? store = null) =>
        DesiredStateBuilder.Build(MeshIndexBuilder.Build(InventoryLoader.LoadText(Inventory)), store ?? new DependencyStore(), RenderOptions.Default, enabledByDefault: true);

    [Fact]
    public void Opt_outs_conflicts_and_overrides_decide_who_gets_a_sidecar()
    {
        var state = Build();
        Assert.Equal(["lazymesh-pod-back", "lazymesh-pod-web"], state.Sidecars.Select(s => s.Sidecar.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, state.DisabledWorkloads); // shop/optout (workload annotation), legacy/old (namespace annotation)
        Assert.Equal(1, state.ConflictingWorkloads);
        Assert.Contains(state.Warnings, w => w.Contains("shop/Pod/owned") && w.Contains("shop/hand-written"));
    }

    [Fact]
    public void Static_hosts_from_namespace_and_workload_merge_with_learned_ones_and_bad_ones_are_reported()
    {
        var store = new DependencyStore();
        store.Learn("shop/Pod/web", "shop/cart.shop.svc.cluster.local", 1);
        store.Learn("shop/Pod/web", "istio-system/istiod.istio-system.svc.cluster.local", 1);
        var state = Build(store);
        var web = state.Sidecars.Single(s => s.Workload.Key == "shop/Pod/web");
        Assert.Equal(
            ["ext/*.example.com", "istio-system/*", "shop/cart.shop.svc.cluster.local"],
            web.Sidecar.Spec.Egress![0].Hosts); // istiod is learned but covered by the baseline istio-system/*: not repeated
        Assert.Equal(2, web.LearnedHosts);
        Assert.Equal(2, web.StaticHosts);
        Assert.Contains(state.Warnings, w => w.Contains("'not-a-host'") && w.Contains("lazymesh.io/static-hosts"));
    }

    [Fact]
    public void A_disabled_workload_gets_nothing_even_with_learned_hosts()
    {
        var store = new DependencyStore();
        store.Learn("shop/Pod/optout", "shop/cart.shop.svc.cluster.local", 1);
        Assert.DoesNotContain(Build(store).Sidecars, s => s.Workload.Key == "shop/Pod/optout");
    }
}
