using k8s;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using static LazyMesh.Tests.Kubernetes.Informers.InformerTestCluster;

namespace LazyMesh.Tests.Kubernetes.Informers;

public sealed class KubernetesInventoryTests
{
    [Fact]
    public async Task Initial_list_builds_the_index_workloads_pods_and_service_hosts()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await cluster.CreateDeploymentAsync("shop", "web", "10.0.0.1", "10.0.0.2");
        await cluster.CreateServiceAsync("shop", "web", "10.96.0.10", "web");
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new ServiceEntryResource
        {
            Metadata = new V1ObjectMeta { Name = "payments" },
            Spec = new ServiceEntrySpec { Hosts = ["api.payments.example"], Ports = [new ServiceEntryPort { Number = 443, Name = "https", Protocol = "TLS" }], Resolution = "DNS" },
        }, SidecarResource.Group, "v1", "shop", "serviceentries");

        var inventory = await cluster.StartInventoryAsync();
        var index = inventory.Holder.Current;

        Assert.True(inventory.IsReady);
        Assert.Equal(1, inventory.Builds);
        var web = Assert.Single(index.Workloads, w => w.Namespace == "shop");
        Assert.Equal("shop/Deployment/web", web.Key);
        Assert.Equal("web", web.SelectorLabels["app"]);
        Assert.Equal(2, web.Pods.Count);
        Assert.Same(web, PodAt(index, "10.0.0.2")?.Workload);
        Assert.Equal("web", index.FindByHost("web.shop.svc.cluster.local")?.Name);
        Assert.True(IpKey.TryParse("10.96.0.10", out var clusterIp));
        Assert.Equal("web", index.FindByAddress(clusterIp, 80)?.Name);
        Assert.NotNull(index.FindByHost("api.payments.example"));
        Assert.NotNull(index.FindNamespace("shop"));
        Assert.All(inventory.Informers, i => Assert.True(i.HasSynced));
        Assert.Equal(0, inventory.Reloads);
    }

    [Fact]
    public async Task Added_modified_and_deleted_objects_reach_the_index()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await cluster.CreateDeploymentAsync("shop", "web", "10.0.0.1");
        var inventory = await cluster.StartInventoryAsync();
        var reloadsBefore = inventory.Reloads;

        // ADDED: a new workload and its service.
        await cluster.CreateDeploymentAsync("shop", "cart", "10.0.0.7");
        await cluster.CreateServiceAsync("shop", "cart", "10.96.0.20", "cart");
        var index = await cluster.WaitForIndexAsync(i => PodAt(i, "10.0.0.7") is not null && i.FindByHost("cart.shop.svc.cluster.local") is not null);
        Assert.Equal("shop/Deployment/cart", PodAt(index, "10.0.0.7")!.Workload.Key);

        // MODIFIED: the pod moves to another IP.
        var pod = await cluster.Client.CoreV1.ReadNamespacedPodStatusAsync("cart-abc-0", "shop");
        pod.Status.PodIP = "10.0.0.8";
        pod.Status.PodIPs = [new V1PodIP { Ip = "10.0.0.8" }];
        await cluster.Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "cart-abc-0", "shop");
        index = await cluster.WaitForIndexAsync(i => PodAt(i, "10.0.0.8") is not null);
        Assert.Null(PodAt(index, "10.0.0.7"));

        // DELETED: the service goes away.
        await cluster.Client.CoreV1.DeleteNamespacedServiceAsync("cart", "shop");
        index = await cluster.WaitForIndexAsync(i => i.FindByHost("cart.shop.svc.cluster.local") is null);
        Assert.NotNull(index.FindWorkload("shop/Deployment/web"));
        Assert.True(inventory.Reloads > reloadsBefore);
        Assert.True(inventory.Pods.Counters.Added >= 1);
        Assert.True(inventory.Pods.Counters.Modified >= 1);
        Assert.Equal(1, inventory.Services.Counters.Deleted);
        Assert.Equal(0, inventory.FailedReloads);
    }

    [Fact]
    public async Task Authorization_policies_reach_the_index_for_the_fallback()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        var inventory = await cluster.StartInventoryAsync();
        Assert.Empty(inventory.Holder.Current.AuthorizationPolicies);

        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new AuthorizationPolicyResource
        {
            Metadata = new V1ObjectMeta { Name = "deny-all", NamespaceProperty = "shop" },
            Spec = new AuthorizationPolicySpec { Action = "DENY", Rules = [new AuthorizationRule()] },
        }, AuthorizationPolicyResource.Group, "v1", "shop", AuthorizationPolicyResource.Plural);

        var index = await cluster.WaitForIndexAsync(i => i.AuthorizationPolicies.Count == 1);
        Assert.Equal(("shop", "DENY"), (index.AuthorizationPolicies[0].Metadata.NamespaceProperty, index.AuthorizationPolicies[0].Spec.Action));
    }

    [Fact]
    public async Task Events_that_arrive_during_an_update_are_applied_together()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        var inventory = await cluster.StartInventoryAsync();
        var labels = new Dictionary<string, string> { ["app"] = "batch" };

        // Hold the update loop inside the first update after start (Updated runs on the loop), so the burst queues up
        // behind it: how many updates it then takes depends only on the coalescing, not on how fast the machine is.
        using var release = new ManualResetEventSlim();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = 1;
        var events = 0;
        var allQueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inventory.Pods.ObjectChanged += _ =>
        {
            if (Interlocked.Increment(ref events) == 200)
            {
                allQueued.TrySetResult();
            }
        };
        inventory.Updated += _ =>
        {
            if (Interlocked.Exchange(ref holding, 0) == 1)
            {
                held.TrySetResult();
                release.Wait(InformerTestCluster.Timeout);
            }
        };
        await cluster.CreatePodAsync("shop", "p0", "10.1.0.1", labels);
        await held.Task.WaitAsync(InformerTestCluster.Timeout);
        var buildsBefore = inventory.Builds;
        for (var i = 1; i < 100; i++)
        {
            await cluster.CreatePodAsync("shop", $"p{i}", $"10.1.0.{i + 1}", labels);
        }

        // Each pod is created, then given its IP (two events). Wait until both events of every pod are queued (the
        // inventory's own handler runs first) before letting the loop go on, then until every IP resolves in the index.
        await allQueued.Task.WaitAsync(InformerTestCluster.Timeout);
        release.Set();
        await cluster.WaitForIndexAsync(i => Enumerable.Range(1, 100).All(k => PodAt(i, $"10.1.0.{k}") is not null));
        var builds = inventory.Builds - buildsBefore;
        Assert.True(builds <= 3, $"{builds} updates for the 198 events queued behind one update");
    }

    [Fact]
    public async Task Sidecars_are_in_the_index_and_the_snapshot_is_ordered()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        foreach (var name in new[] { "b", "a" })
        {
            await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new SidecarResource
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new SidecarSpec { WorkloadSelector = new WorkloadSelector { Labels = new Dictionary<string, string> { ["app"] = name } }, Egress = [new IstioEgressListener { Hosts = ["./*"] }] },
            }, SidecarResource.Group, "v1", "shop", SidecarResource.Plural);
        }

        var inventory = await cluster.StartInventoryAsync();

        Assert.Equal(["a", "b"], inventory.CreateSnapshot().Sidecars.Select(s => s.Metadata.Name));
        Assert.Equal(2, inventory.Holder.Current.Sidecars.Count);
    }

    /// <summary>
    /// istiod reads MeshConfig from the <c>istio</c> ConfigMap in its namespace (istio/istio pilot/pkg/bootstrap/mesh.go);
    /// the inventory watches exactly that one (field selector) and rebuilds the index when it changes.
    /// </summary>
    [Fact]
    public async Task The_istio_ConfigMap_in_istiods_namespace_is_the_MeshConfig_and_changes_reach_the_index()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("istio-system");
        await cluster.CreateNamespaceAsync("other");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "istio" },
            Data = new Dictionary<string, string> { ["mesh"] = "outboundTrafficPolicy: {mode: ALLOW_ANY}\nrootNamespace: other" },
        }, "other");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "istio" },
            Data = new Dictionary<string, string>
            {
                ["mesh"] = "outboundTrafficPolicy: {mode: REGISTRY_ONLY}\nextensionProviders:\n- name: otel\n  opentelemetry: {service: otel-collector.observability.svc.cluster.local, port: 4317}\n",
            },
        }, "istio-system");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "unrelated" },
            Data = new Dictionary<string, string> { ["big"] = new string('x', 10_000) },
        }, "istio-system");

        var inventory = await cluster.StartInventoryAsync();
        var config = inventory.Holder.Current.MeshConfig;

        Assert.True(config.IsRegistryOnly);
        Assert.Equal("istio-system", config.RootNamespace);
        Assert.Equal("otel-collector.observability.svc.cluster.local", Assert.Single(config.ExtensionProviders).Service);
        Assert.Equal(["istio"], inventory.MeshConfigMaps.List().Select(c => c.Metadata.Name));

        var map = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("istio", "istio-system");
        map.Data["mesh"] = "defaultServiceExportTo: [\".\"]";
        await cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(map, "istio", "istio-system");
        var index = await cluster.WaitForIndexAsync(i => i.MeshConfig.DefaultServiceExportTo.SequenceEqual(["."]));
        Assert.False(index.MeshConfig.IsRegistryOnly);
        Assert.Empty(index.MeshConfig.ExtensionProviders);

        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("istio", "istio-system");
        index = await cluster.WaitForIndexAsync(i => !i.MeshConfig.RestrictsServiceVisibility);
        Assert.Equal(MeshConfig.Default.RootNamespace, index.MeshConfig.RootNamespace);
    }
}
