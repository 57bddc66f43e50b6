using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LazyMesh.Cli;
using LazyMesh.Inventory;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.KubeTesting;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Kubernetes.Sink.KubeAssert;
using static LazyMesh.Tests.Kubernetes.Sink.SinkHarness;

namespace LazyMesh.Tests.Kubernetes.Sink;

public sealed class FallbackRoutingOnApiTests
{
    private const string FilterPath = "/namespaces/shop/envoyfilters/lazymesh-pod-web";

    private static readonly FallbackRoutingOptions Routing = FallbackRoutingOptions.Default;

    [Fact]
    public async Task Routing_objects_are_applied_after_the_sidecars_and_never_resent_unchanged()
    {
        await using var server = await SinkHarness.StartServerAsync();
        var recorder = new RequestRecorder();
        using var replica = Replica(server, recorder);
        replica.Store.Learn(Web, Cart, replica.Now);

        await replica.ReconcileAllAsync();

        var sidecar = Sidecar(server, "lazymesh-pod-web")!;
        Assert.Contains(Routing.SidecarHost, Hosts(sidecar));
        Assert.Contains(Cart, Hosts(sidecar));
        var filter = EnvoyFilter(server, "shop", "lazymesh-pod-web")!;
        Assert.NotNull(filter);
        Assert.Empty(IstioCrdSchemas.Validate("EnvoyFilter", Strip(filter)));
        Assert.Equal(Routing.RouteCluster, filter["spec"]!["configPatches"]![0]!["patch"]!["value"]!["route"]!["cluster"]!.GetValue<string>());
        Assert.Equal("lazymesh", filter["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal("web", filter["spec"]!["workloadSelector"]!["labels"]!["app"]!.GetValue<string>());
        Assert.NotNull(EnvoyFilter(server, "shop", "lazymesh-pod-cart"));
        var rule = server.GetStoredObject("networking.istio.io", "destinationrules", Routing.Namespace, Routing.ServiceName)!;
        Assert.Empty(IstioCrdSchemas.Validate("DestinationRule", Strip(rule)));
        Assert.True(rule["spec"]!["trafficPolicy"]!["connectionPool"]!["http"]!["useClientProtocol"]!.GetValue<bool>());
        var service = server.GetStoredObject("", "services", Routing.Namespace, Routing.ServiceName)!;
        Assert.NotNull(service);
        Assert.Equal(["http-8080"], service["spec"]!["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Null(EnvoyFilter(server, Routing.Namespace, "lazymesh-pod-web"));

        // Every Sidecar of the namespace was applied before its EnvoyFilter (resourceVersions and request order).
        var filterVersion = ResourceVersion(filter);
        Assert.True(ResourceVersion(sidecar) < filterVersion);
        Assert.True(ResourceVersion(Sidecar(server, "lazymesh-pod-cart")!) < filterVersion);
        Assert.InRange(recorder.IndexOf("PATCH", "/namespaces/shop/sidecars/lazymesh-pod-web"), 0, recorder.IndexOf("PATCH", FilterPath) - 1);

        var writes = server.Stats.Writes;
        await replica.ReconcileAllAsync();
        Assert.Equal(writes, server.Stats.Writes);
    }

    [Fact]
    public async Task Opting_out_deletes_the_envoyfilter_before_the_sidecars()
    {
        await using var server = await SinkHarness.StartServerAsync();
        var recorder = new RequestRecorder();
        using var replica = Replica(server, recorder);
        replica.Store.Learn(Web, Cart, replica.Now);
        await replica.ReconcileAllAsync();
        Assert.NotNull(EnvoyFilter(server, "shop", "lazymesh-pod-web"));
        recorder.Clear();

        replica.Index = OptedOut();
        await replica.ReconcileAllAsync();

        Assert.Null(EnvoyFilter(server, "shop", "lazymesh-pod-web"));
        Assert.NotNull(Sidecar(server, "lazymesh-pod-web")); // still there: removed only by the leader's cleanup
        Assert.Equal(2, await replica.Sink.Cleanup.CleanupAsync(replica.Index, replica.Source, CancellationToken.None));
        Assert.Null(Sidecar(server, "lazymesh-pod-web"));
        Assert.InRange(recorder.IndexOf("DELETE", FilterPath), 0, recorder.IndexOf("DELETE", "/namespaces/shop/lazysidecars/lazymesh-pod-web") - 1);
        Assert.NotNull(server.GetStoredObject("", "services", Routing.Namespace, Routing.ServiceName));
    }

    [Fact]
    public async Task Cleanup_alone_deletes_the_envoyfilter_before_the_sidecars()
    {
        await using var server = await SinkHarness.StartServerAsync();
        var recorder = new RequestRecorder();
        using var replica = Replica(server, recorder);
        await replica.ReconcileAllAsync();
        Assert.NotNull(EnvoyFilter(server, "shop", "lazymesh-pod-web"));
        recorder.Clear();

        Assert.Equal(2, await replica.Sink.Cleanup.CleanupAsync(OptedOut(), replica.Source, CancellationToken.None));

        Assert.Null(EnvoyFilter(server, "shop", "lazymesh-pod-web"));
        Assert.Null(Sidecar(server, "lazymesh-pod-web"));
        // Each workload's EnvoyFilter goes before its own Sidecar (owned by its LazySidecar).
        Assert.InRange(recorder.IndexOf("DELETE", FilterPath), 0, recorder.IndexOf("DELETE", "/namespaces/shop/lazysidecars/lazymesh-pod-web") - 1);
        Assert.InRange(recorder.IndexOf("DELETE", "/namespaces/shop/envoyfilters/lazymesh-pod-cart"), 0, recorder.IndexOf("DELETE", "/namespaces/shop/lazysidecars/lazymesh-pod-cart") - 1);
    }

    [Fact]
    public async Task Routing_off_writes_no_routing_objects_and_no_fallback_host()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = new SinkHarness(server);
        await replica.ReconcileAllAsync();

        Assert.DoesNotContain(Routing.SidecarHost, Hosts(Sidecar(server, "lazymesh-pod-web")!));
        Assert.Null(EnvoyFilter(server, "shop", "lazymesh-pod-web"));
        Assert.Null(server.GetStoredObject("", "services", Routing.Namespace, Routing.ServiceName));
        Assert.Null(replica.Sink.Routing);
    }

    [Fact]
    public async Task Revert_deletes_the_managed_fallback_service_only()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = Replica(server, new RequestRecorder());
        await replica.ReconcileAllAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service { Metadata = new V1ObjectMeta { Name = "user", NamespaceProperty = Routing.Namespace }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } },
            Routing.Namespace);

        var output = new StringWriter();
        Assert.Equal(0, await RevertCommand.RunAsync(client, null, output, CancellationToken.None));

        Assert.Contains($"deleted Service {Routing.Namespace}/{Routing.ServiceName}", output.ToString(), StringComparison.Ordinal);
        Assert.True(output.ToString().IndexOf("deleted EnvoyFilter shop/lazymesh-pod-web", StringComparison.Ordinal) is >= 0 and var f
            && f < output.ToString().IndexOf("deleted Sidecar", StringComparison.Ordinal), output.ToString());
        Assert.Null(server.GetStoredObject("", "services", Routing.Namespace, Routing.ServiceName));
        Assert.NotNull(server.GetStoredObject("", "services", Routing.Namespace, "user"));
    }

    private static SinkHarness Replica(KubeTestServer server, RequestRecorder recorder) =>
        new(
            server,
            options: new KubernetesSinkOptions { CleanupGrace = TimeSpan.Zero, FallbackRouting = Routing },
            client: new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString(), AccessToken = KubeTestServer.AdminToken }, recorder));

    private static MeshIndex OptedOut() =>
        MeshIndexBuilder.Build(InventoryLoader.LoadText(SinkHarness.Shop.Replace("labels: {lazymesh.io/enabled: \"true\"}", "labels: {}", StringComparison.Ordinal)));

    private static JsonObject? EnvoyFilter(KubeTestServer server, string ns, string name) =>
        server.GetStoredObject("networking.istio.io", "envoyfilters", ns, name);

    private static long ResourceVersion(JsonObject obj) => long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static string Strip(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        var metadata = copy["metadata"]!.AsObject();
        foreach (var key in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "ownerReferences" })
        {
            metadata.Remove(key);
        }

        copy.Remove("status");
        return copy.ToJsonString();
    }
}
