using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Examples;

/// <summary>
/// examples/edge: a REGISTRY_ONLY mesh with <c>defaultServiceExportTo: ["."]</c>, an explicit-HTTP and an auto-detected
/// port on the same number, gateway, fallback, ambient and not-injected pods, through the real
/// <c>recommend --fallback-routing</c> and judged by istiosim's check_lazy.py (istio/istio 1.28).
/// </summary>
public sealed class EdgeExampleTests
{
    private const string ApiSidecar = "store/lazymesh-api.yaml";
    private const string BillingSidecar = "payments/lazymesh-billing.yaml";

    [Fact]
    public void Edge_example_has_no_broken_call()
    {
        using var example = LazyExample.Generate("edge");
        var result = example.Check();

        Assert.True(result.Broken == 0, result.ToString());
        Assert.Equal(7, result.Calls);
        // REGISTRY_ONLY: the first calls went through block_all (httproute.go buildCatchAllVirtualHost) to the fallback.
        Assert.Contains("vh=block_all", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("vh=allow_any", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// ProxyKinds: no Sidecar and no EnvoyFilter for a gateway (istio-proxy args <c>router</c>), the fallback's pods, an
    /// ambient namespace's pods or a pod with injection off; Istio would ignore the first and the others have no
    /// sidecar, or need the full mesh.
    /// </summary>
    [Fact]
    public void Gateway_fallback_ambient_and_uninjected_pods_get_nothing()
    {
        using var example = LazyExample.Generate("edge");
        var files = example.Files();

        Assert.Equal(
            ["lazymesh-system/lazymesh-fallback.destinationrule.yaml", "lazymesh-system/lazymesh-fallback.service.yaml",
             "payments/lazymesh-billing.envoyfilter.yaml", BillingSidecar, "store/lazymesh-api.envoyfilter.yaml", ApiSidecar],
            files.Keys.Order(StringComparer.Ordinal));
        var summary = string.Join(' ', example.Summary.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries)); // unwrapped
        Assert.Contains("ingress/Deployment/shop-gateway: skipped, it is a gateway", summary, StringComparison.Ordinal);
        Assert.Contains("lazymesh-system/Deployment/lazymesh-fallback: skipped, it is LazyMesh's fallback", summary, StringComparison.Ordinal);
        Assert.Contains("ambient-apps/Deployment/worker: skipped, it runs in ambient mode", summary, StringComparison.Ordinal);
        Assert.Contains("store/Deployment/batch: skipped, it has no istio-proxy sidecar", summary, StringComparison.Ordinal);
        foreach (var (path, text) in files.Where(f => f.Key.EndsWith("envoyfilter.yaml", StringComparison.Ordinal)))
        {
            Assert.Contains("name: block_all", text, StringComparison.Ordinal);
            Assert.True(IstioCrdSchemas.Validate("EnvoyFilter", text).Count == 0, path);
        }

        // defaultServiceExportTo ["."] would hide the fallback from every other namespace (push_context.go IsServiceVisible).
        Assert.Contains("networking.istio.io/exportTo: '*'", files["lazymesh-system/lazymesh-fallback.service.yaml"], StringComparison.Ordinal);
    }

    /// <summary>
    /// ScopeImports.FromStart: a Service the fallback's namespace cannot see (exportTo "." by MeshConfig
    /// defaultServiceExportTo; push_context.go servicesExportedToNamespace) and, under REGISTRY_ONLY, a TLS ServiceEntry
    /// host (no HTTP route to send to the fallback; listener.go's virtual outbound ends in BlackHoleCluster) are imported
    /// before any call. Removing either import breaks its call.
    /// </summary>
    [Theory]
    [InlineData(ApiSidecar, "store/cart.store.svc.cluster.local", "store/api-5d8f7c6b9-x1 -> cart:8080")]
    [InlineData(BillingSidecar, "payments/ledger.payments.svc.cluster.local", "payments/billing-5d8f7c6b9-x1 -> ledger:9090")]
    [InlineData(BillingSidecar, "payments/api.stripe.com", "payments/billing-5d8f7c6b9-x1 -> 93.184.216.34:443")]
    public void Hosts_imported_from_the_start_keep_their_calls_working(string sidecar, string import, string call)
    {
        using var example = LazyExample.Generate("edge");
        var path = Path.Combine(example.Output, sidecar);
        var lines = File.ReadAllLines(path);
        Assert.Contains("    - " + import, lines);
        var hosts = example.HostsBeforeLearning();
        Assert.Contains(import, hosts);
        Assert.DoesNotContain("shop/orders.shop.svc.cluster.local", hosts); // exported to "*": learned, not imported up front

        File.WriteAllLines(path, lines.Where(l => l != "    - " + import));
        var result = CheckLazy.Run([example.Inventory], example.Output, example.Calls, [.. hosts.Where(h => h != import).SelectMany(static h => new[] { "--baseline-host", h })]);

        Assert.True(result.Broken >= 1, result.ToString());
        Assert.Contains("BROKEN " + call, result.Output, StringComparison.Ordinal);
    }
}
