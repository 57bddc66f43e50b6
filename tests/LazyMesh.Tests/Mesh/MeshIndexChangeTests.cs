using LazyMesh.Mesh;
using static LazyMesh.Tests.Mesh.MeshYaml;

namespace LazyMesh.Tests.Mesh;

/// <summary>Each rule of <see cref="MeshIndexChange.Between"/>, on two indexes built from inventories that differ by one thing.</summary>
public sealed class MeshIndexChangeTests
{
    private const string Web = "shop/Deployment/web";
    private const string Cart = "shop/Deployment/cart";
    private const string Api = "other/Deployment/api";

    private static string Namespace(string name, string labels = "{istio-injection: enabled}") =>
        $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}, labels: {labels}}}";

    private static string Sidecar(string name, string ns, string? selector, bool managed = false, string hosts = "./*") =>
        $"apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {{name: {name}, namespace: {ns}, labels: {(managed ? "{app.kubernetes.io/managed-by: lazymesh}" : "{}")}, creationTimestamp: \"2025-01-01T00:00:00Z\"}}\n" +
        $"spec: {{{(selector is null ? "" : $"workloadSelector: {{labels: {selector}}}, ")}egress: [{{hosts: [\"{hosts}\"]}}]}}\n";

    private static MeshIndex Cluster(
        string shopLabels = "{istio-injection: enabled}",
        string webAnnotations = "{}",
        string webPod2Labels = "{app: web}",
        string webPod2Ip = "10.0.0.2",
        bool webPod2Ready = true,
        bool webPod3 = false,
        bool cartPods = true,
        string webPorts = "[{name: http, port: 80, targetPort: 8080}]",
        string? extra = null,
        MeshOptions? options = null)
    {
        var documents = new List<string>
        {
            Namespace("shop", shopLabels), Namespace("other"),
            Owner("Deployment", "web", "shop", annotations: webAnnotations), Owner("ReplicaSet", "web-1", "shop", "{matchLabels: {app: web, pod-template-hash: '1'}}", owner: "Deployment/web"),
            Owner("Deployment", "cart", "shop", "{matchLabels: {app: cart}}"), Owner("ReplicaSet", "cart-1", "shop", "{matchLabels: {app: cart, pod-template-hash: '1'}}", owner: "Deployment/cart"),
            Owner("Deployment", "api", "other", "{matchLabels: {app: api}}"), Owner("ReplicaSet", "api-1", "other", "{matchLabels: {app: api, pod-template-hash: '1'}}", owner: "Deployment/api"),
            Pod("web-1-a", "10.0.0.1", "shop", "{app: web}", owner: "ReplicaSet/web-1"),
            Pod("web-1-b", webPod2Ip, "shop", webPod2Labels, owner: "ReplicaSet/web-1", ready: webPod2Ready),
            Pod("api-1-a", "10.0.1.1", "other", "{app: api}", owner: "ReplicaSet/api-1"),
            Service("web", "10.96.0.1", "shop", webPorts, "{app: web}"),
            Service("api", "10.96.0.2", "other", "[{name: http, port: 80}]", "{app: api}"),
        };
        if (webPod3)
        {
            documents.Add(Pod("web-1-c", "10.0.0.3", "shop", "{app: web}", owner: "ReplicaSet/web-1"));
        }

        if (cartPods)
        {
            documents.Add(Pod("cart-1-a", "10.0.0.9", "shop", "{app: cart}", owner: "ReplicaSet/cart-1"));
        }

        if (extra is not null)
        {
            documents.Add(extra);
        }

        return Index(options ?? MeshOptions.Default, [.. documents]);
    }

    private static readonly MeshIndex Before = Cluster();

    [Fact]
    public void The_same_index_changes_nothing() =>
        Assert.True(MeshIndexChange.Between(Before, Before).IsEmpty);

    [Fact]
    public void Pods_coming_going_or_changing_ip_or_readiness_within_a_workload_change_nothing()
    {
        Assert.True(MeshIndexChange.Between(Before, Cluster(webPod3: true)).IsEmpty);
        Assert.True(MeshIndexChange.Between(Cluster(webPod3: true), Before).IsEmpty);
        Assert.True(MeshIndexChange.Between(Before, Cluster(webPod2Ip: "10.0.0.7")).IsEmpty);
        Assert.True(MeshIndexChange.Between(Before, Cluster(webPod2Ready: false)).IsEmpty); // the Service's ready endpoints change: attribution only
    }

    [Fact]
    public void A_pod_change_applied_by_parts_changes_nothing_either()
    {
        var (cluster, updater, before) = PodChangeCluster.Started();
        var key = cluster.Add("ns-a", "api", "10.0.9.1");

        var after = updater.TryApplyPods([cluster.Change(key)]);

        Assert.NotNull(after);
        Assert.True(MeshIndexChange.Between(before, after).IsEmpty);
    }

    [Fact]
    public void A_pod_with_new_labels_affects_its_workload_only()
    {
        var change = MeshIndexChange.Between(Before, Cluster(webPod2Labels: "{app: web, version: v2}"));

        Assert.Equal([Web], change.AffectedWorkloads);
        Assert.Empty(change.ChangedHosts);
    }

    [Fact]
    public void A_workload_that_appears_or_goes_or_changes_its_annotations_is_affected()
    {
        // cart keeps its (idle) workload without pods, but "has pods" is what admission reads (ambient namespaces).
        Assert.Equal([Cart], MeshIndexChange.Between(Before, Cluster(cartPods: false)).AffectedWorkloads);
        Assert.Equal([Web], MeshIndexChange.Between(Before, Cluster(webAnnotations: "{lazymesh.io/enabled: \"false\"}")).AffectedWorkloads);
        var added = Cluster(extra: Pod("solo", "10.0.1.5", "other", "{app: solo}"));
        Assert.Equal(["other/Pod/solo"], MeshIndexChange.Between(Before, added).AffectedWorkloads);
        Assert.Equal(["other/Pod/solo"], MeshIndexChange.Between(added, Before).AffectedWorkloads);
    }

    [Fact]
    public void A_namespace_change_affects_every_workload_in_it_and_the_routing()
    {
        var change = MeshIndexChange.Between(Before, Cluster(shopLabels: "{istio-injection: enabled, istio.io/dataplane-mode: ambient}"));

        Assert.Equal([Cart, Web], change.AffectedWorkloads);
        Assert.True(change.RoutingAffected);
    }

    [Fact]
    public void A_user_sidecar_change_affects_the_workloads_of_its_namespace_and_a_managed_one_nothing()
    {
        var user = MeshIndexChange.Between(Before, Cluster(extra: Sidecar("mine", "other", "{app: api}")));
        Assert.Equal([Api], user.AffectedWorkloads);

        var edited = MeshIndexChange.Between(Cluster(extra: Sidecar("mine", "other", null)), Cluster(extra: Sidecar("mine", "other", null, hosts: "istio-system/*")));
        Assert.Equal([Api], edited.AffectedWorkloads);

        Assert.True(MeshIndexChange.Between(Before, Cluster(extra: Sidecar("lazymesh-api", "other", "{app: api}", managed: true))).IsEmpty);
    }

    [Fact]
    public void A_user_sidecar_in_the_root_namespace_or_a_meshconfig_change_affects_everything()
    {
        Assert.Same(MeshIndexChange.Everything, MeshIndexChange.Between(Before, Cluster(extra: Sidecar("default", "istio-system", null))));
        var registryOnly = new MeshOptions { MeshConfig = MeshConfig.Default with { OutboundTrafficPolicy = OutboundTrafficMode.RegistryOnly } };
        Assert.Same(MeshIndexChange.Everything, MeshIndexChange.Between(Before, Cluster(options: registryOnly)));
    }

    [Fact]
    public void A_service_visible_everywhere_changes_its_host_only_for_the_workloads_that_import_it()
    {
        var change = MeshIndexChange.Between(Before, Cluster(webPorts: "[{name: http, port: 80, targetPort: 8080}, {name: grpc, port: 9090}]"));

        Assert.Empty(change.AffectedWorkloads!);
        Assert.Equal(["web.shop.svc.cluster.local"], change.ChangedHosts);
        Assert.True(change.RoutingAffected); // the fallback Service listens on every HTTP port
    }

    [Fact]
    public void A_change_to_a_meshconfig_extension_provider_service_affects_everything()
    {
        // Every generated Sidecar imports it (DesiredStateBuilder: ExtensionProviderEgressHosts), in its Service's namespace.
        var tracing = new MeshOptions
        {
            MeshConfig = MeshConfig.Default with { ExtensionProviders = [new ExtensionProviderService("zipkin", "zipkin", "web.shop.svc.cluster.local", 9411)] },
        };

        Assert.Same(MeshIndexChange.Everything, MeshIndexChange.Between(Cluster(options: tracing), Cluster(webPorts: "[{name: http, port: 81}]", options: tracing)));
    }

    [Fact]
    public void An_alias_of_a_changed_service_changes_too()
    {
        var alias = Service("shop-web", null, "other", "[]", null, type: "ExternalName", extra: ", externalName: web.shop.svc.cluster.local");
        var change = MeshIndexChange.Between(
            Cluster(extra: alias),
            Cluster(webPorts: "[{name: http, port: 81}]", extra: alias));

        Assert.Equal(["shop-web.other.svc.cluster.local", "web.shop.svc.cluster.local"], change.ChangedHosts.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_service_hidden_from_some_namespace_or_a_service_entry_change_affects_everything()
    {
        // Start imports (ScopeImports.FromStart) read every such destination for every workload.
        static string Hidden(string exportTo) =>
            $"apiVersion: v1\nkind: Service\nmetadata: {{name: hidden, namespace: shop, annotations: {{networking.istio.io/exportTo: \"{exportTo}\"}}}}\nspec: {{clusterIP: \"10.96.0.9\", ports: [{{name: http, port: 80}}]}}";
        Assert.Same(MeshIndexChange.Everything, MeshIndexChange.Between(Cluster(extra: Hidden("*")), Cluster(extra: Hidden("."))));
        Assert.Same(MeshIndexChange.Everything, MeshIndexChange.Between(Before, Cluster(extra: ServiceEntry("ext", "[api.example.com]"))));
    }
}
