using k8s;
using LazyMesh.Cli;
using LazyMesh.KubeTesting;
using LazyMesh.Tests.Kubernetes.Sink;
using static LazyMesh.Tests.Kubernetes.Sink.KubeAssert;

namespace LazyMesh.Tests.Kubernetes.Cli;

public sealed class RevertAndStatusCommandTests
{
    [Fact]
    public async Task Status_lists_lazy_workloads_and_revert_removes_only_managed_objects()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = new SinkHarness(server);
        replica.Store.Learn("shop/Pod/web", "shop/cart.shop.svc.cluster.local", replica.Now);
        await replica.ReconcileAllAsync();
        using var client = server.CreateClient();
        var user = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = "Sidecar",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "mine", ["namespace"] = "shop" },
            ["spec"] = new System.Text.Json.Nodes.JsonObject(),
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(user, "networking.istio.io", "v1", "shop", "sidecars");

        var status = new StringWriter();
        Assert.Equal(0, await StatusCommand.RunAsync(client, null, "table", status, CancellationToken.None, width: 200));
        Assert.Contains("Pod/web", status.ToString(), StringComparison.Ordinal);
        Assert.Contains("shop/cart.shop.svc.cluster.local", status.ToString(), StringComparison.Ordinal);
        var json = new StringWriter();
        await StatusCommand.RunAsync(client, "shop", "json", json, CancellationToken.None);
        Assert.Contains("\"learnedHosts\": 1", json.ToString(), StringComparison.Ordinal);

        var output = new StringWriter();
        Assert.Equal(0, await RevertCommand.RunAsync(client, "shop", output, CancellationToken.None));
        Assert.True(output.ToString().Contains("deleted Sidecar shop/lazymesh-pod-web", StringComparison.Ordinal), output.ToString());
        Assert.Contains("deleted LazySidecar shop/lazymesh-pod-web", output.ToString(), StringComparison.Ordinal);
        Assert.Null(Sidecar(server, "lazymesh-pod-web"));
        Assert.Null(LazySidecar(server, "lazymesh-pod-web"));
        Assert.NotNull(Sidecar(server, "mine"));
    }
}
