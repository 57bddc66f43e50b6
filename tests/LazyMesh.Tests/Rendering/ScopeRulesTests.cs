using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Mesh.MeshYaml;

namespace LazyMesh.Tests.Rendering;

/// <summary>The scope rules of docs/routing.md ("Scope rules"), each named after the istiod function it follows.</summary>
public sealed class ScopeRulesTests
{
    private const string Reviews = "default/reviews.default.svc.cluster.local";

    private static string VirtualService(string name, string ns, string spec, string created = "2025-01-01T00:00:00Z") =>
        $"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: {name}, namespace: {ns}, creationTimestamp: \"{created}\"}}\nspec: {spec}\n";

    private static string[] Mesh(params string[] extra) =>
    [
        Pod("web-1", "10.0.0.1", ns: "shop", labels: "{app: web}"),
        Service("reviews", "10.96.0.10", ports: "[{name: http, port: 9080}]", selector: "{app: reviews}"),
        Service("reviews-v2", "10.96.0.11", ports: "[{name: http, port: 9080}]", selector: "{app: reviews, version: v2}"),
        Service("ratings", "10.96.0.12", ns: "backend", ports: "[{name: http, port: 9080}]", selector: "{app: ratings}"),
        Service("audit", "10.96.0.13", ns: "backend", ports: "[{name: http, port: 9080}]", selector: "{app: audit}"),
        .. extra,
    ];

    private static SortedSet<string> Expand(MeshIndex index, params string[] hosts) => ScopeImports.Expand(index, "shop", hosts);

    [Fact]
    public void VirtualService_in_the_hosts_namespace_adds_its_route_destination_SelectVirtualServices_collectImportedServices()
    {
        var index = Index(Mesh(VirtualService("reviews", "default", "{hosts: [reviews], http: [{route: [{destination: {host: reviews-v2}}]}]}")));

        Assert.Equal([Reviews, "default/reviews-v2.default.svc.cluster.local"], Expand(index, Reviews));
    }

    [Fact]
    public void VirtualService_elsewhere_is_selected_by_its_own_namespace_SelectVirtualServices()
    {
        // The VirtualService lives in "routing": the caller must import routing/<H>, not only default/<H>.
        var index = Index(Mesh(VirtualService(
            "reviews-split", "routing", "{hosts: [reviews.default.svc.cluster.local], http: [{route: [{destination: {host: ratings.backend.svc.cluster.local}}]}]}")));

        Assert.Equal(
            ["backend/ratings.backend.svc.cluster.local", Reviews, "routing/reviews.default.svc.cluster.local"],
            Expand(index, Reviews));
    }

    [Fact]
    public void VirtualService_not_exported_to_the_caller_is_not_followed_initVirtualServices_exportTo()
    {
        var index = Index(Mesh(VirtualService(
            "private", "routing", "{hosts: [reviews.default.svc.cluster.local], exportTo: [\".\"], http: [{route: [{destination: {host: ratings.backend.svc.cluster.local}}]}]}")));

        Assert.Equal([Reviews], Expand(index, Reviews));
        Assert.Equal(
            ["backend/ratings.backend.svc.cluster.local", Reviews, "routing/reviews.default.svc.cluster.local"],
            ScopeImports.Expand(index, "routing", [Reviews]));
    }

    [Fact]
    public void Mirror_and_mirrors_are_destinations_too_virtualServiceDestinations()
    {
        var index = Index(Mesh(VirtualService("reviews", "default",
            "{hosts: [reviews], http: [{route: [{destination: {host: reviews}}], mirror: {host: ratings.backend.svc.cluster.local}, mirrors: [{destination: {host: audit.backend.svc.cluster.local}}]}]}")));

        Assert.Equal(
            ["backend/audit.backend.svc.cluster.local", "backend/ratings.backend.svc.cluster.local", Reviews],
            Expand(index, Reviews));
    }

    [Fact]
    public void Delegate_destinations_count_when_the_delegate_is_exported_to_the_root_mergeVirtualServicesIfNeeded()
    {
        var index = Index(Mesh(
            VirtualService("root", "default", "{hosts: [reviews], http: [{delegate: {name: reviews-delegate, namespace: backend}}, {delegate: {name: hidden, namespace: backend}}]}"),
            VirtualService("reviews-delegate", "backend", "{http: [{route: [{destination: {host: ratings}}]}]}"),
            VirtualService("hidden", "backend", "{exportTo: [\".\"], http: [{route: [{destination: {host: audit}}]}]}")));

        Assert.Equal(["backend/ratings.backend.svc.cluster.local", Reviews], Expand(index, Reviews));
        Assert.Contains(index.Warnings, w => w.Contains("backend/hidden") && w.Contains("not exported"));
    }

    [Fact]
    public void Routes_for_other_source_namespaces_are_skipped_virtualServiceDestinationsFilteredBySourceNamespace()
    {
        var index = Index(Mesh(VirtualService("reviews", "default",
            "{hosts: [reviews], http: [{match: [{sourceNamespace: other}], route: [{destination: {host: ratings.backend.svc.cluster.local}}]}, {route: [{destination: {host: reviews-v2}}]}]}")));

        Assert.Equal([Reviews, "default/reviews-v2.default.svc.cluster.local"], Expand(index, Reviews));
    }

    [Fact]
    public void VirtualService_bound_only_to_a_gateway_does_not_apply_to_sidecars_getGatewayNames()
    {
        var index = Index(Mesh(VirtualService("edge", "default", "{hosts: [reviews], gateways: [istio-system/ingress], http: [{route: [{destination: {host: reviews-v2}}]}]}")));

        Assert.Empty(index.VirtualServices);
        Assert.Equal([Reviews], Expand(index, Reviews));
    }

    [Fact]
    public void Wildcard_VirtualService_host_selects_for_an_exact_import_VSMatches()
    {
        var index = Index(Mesh(
            ServiceEntry("api", "[api.example.com]", ns: "ext", ports: "[{number: 80, name: http, protocol: HTTP}]"),
            VirtualService("wild", "edge", "{hosts: [\"*.example.com\"], http: [{route: [{destination: {host: ratings.backend.svc.cluster.local}}]}]}")));

        Assert.Equal(
            ["backend/ratings.backend.svc.cluster.local", "edge/api.example.com", "ext/api.example.com"],
            Expand(index, "ext/api.example.com"));
    }

    [Fact]
    public void HTTPRoute_with_a_Service_parent_is_a_mesh_route_in_its_own_namespace_route_collections()
    {
        var route = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: reviews-canary, namespace: shop}
            spec:
              parentRefs: [{group: "", kind: Service, name: reviews, namespace: default, port: 9080}]
              rules: [{backendRefs: [{name: reviews-v2, namespace: default, port: 9080}]}]
            """;
        var index = Index(Mesh(route));

        Assert.Equal(
            [Reviews, "default/reviews-v2.default.svc.cluster.local", "shop/reviews.default.svc.cluster.local"],
            Expand(index, Reviews));
        Assert.Equal("HTTPRoute", Assert.Single(index.VirtualServices).Kind);
    }

    [Fact]
    public void ExternalName_alias_is_imported_with_its_target_and_in_the_targets_namespace_matchingAliasService()
    {
        var index = Index(Mesh(Service("reviews-alias", null, ns: "shop", selector: null, type: "ExternalName",
            extra: ", externalName: reviews.default.svc.cluster.local")));

        Assert.Equal(
            ["default/reviews-alias.shop.svc.cluster.local", Reviews, "shop/reviews-alias.shop.svc.cluster.local"],
            Expand(index, "shop/reviews-alias.shop.svc.cluster.local"));
    }

    [Fact]
    public void ServiceEntry_hosts_only_Istio_DNS_answers_are_imported_from_the_start_BuildNameTable()
    {
        var index = Index(Mesh(
            ServiceEntry("vip", "[db.internal.corp]", ns: "data", ports: "[{number: 5432, name: tcp, protocol: TCP}]", addresses: "[\"240.0.0.5\"]", resolution: "STATIC", endpoints: "[{address: 10.1.1.1}]"),
            ServiceEntry("public", "[api.github.com]", ns: "ext"),
            ServiceEntry("cluster-name", "[legacy.vm.svc.cluster.local]", ns: "vms", resolution: "STATIC", endpoints: "[{address: 10.1.1.2}]"),
            ServiceEntry("wild", "[\"*.corp\"]", ns: "ext", addresses: "[\"240.0.0.6\"]", resolution: "NONE"),
            """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: private, namespace: other}
            spec: {hosts: [cache.internal], addresses: ["240.0.0.7"], exportTo: ["."], ports: [{number: 6379, name: tcp, protocol: TCP}], resolution: STATIC, endpoints: [{address: 10.1.1.3}]}
            """));

        Assert.Equal(["data/db.internal.corp", "vms/legacy.vm.svc.cluster.local"], ScopeImports.FromStart(index, "shop").Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A Service exported only to its own namespace (here by MeshConfig <c>defaultServiceExportTo: ["."]</c>) is invisible
    /// to the fallback's sidecar (push_context.go <c>servicesExportedToNamespace</c> / <c>IsServiceVisible</c>): a first
    /// call forwarded there would end in the catch-all. With a fallback, the namespace's own workloads import it up front.
    /// </summary>
    [Fact]
    public void Services_the_fallback_cannot_see_are_imported_from_the_start_servicesExportedToNamespace()
    {
        var index = Index(Mesh(
            Service("cart", "10.96.0.20", ns: "shop", ports: "[{name: http, port: 8080}]", selector: "{app: cart}"),
            """
            apiVersion: v1
            kind: Service
            metadata: {name: open, namespace: shop, annotations: {networking.istio.io/exportTo: "*"}}
            spec: {clusterIP: 10.96.0.21, ports: [{name: http, port: 8080}], selector: {app: open}}
            """,
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data: {mesh: "defaultServiceExportTo: [.]"}
            """));

        Assert.Equal(
            ["shop/cart.shop.svc.cluster.local"],
            ScopeImports.FromStart(index, "shop", fallbackNamespace: "lazymesh-system").Order(StringComparer.Ordinal));
        Assert.Empty(ScopeImports.FromStart(index, "shop")); // no fallback: nothing to work around
        Assert.Empty(ScopeImports.FromStart(index, "other", fallbackNamespace: "lazymesh-system")); // invisible to the caller too
    }

    /// <summary>
    /// The start imports are remembered per services list and caller namespace (every workload of a namespace gets the
    /// same answer); each distinct question still gets <see cref="ScopeImports.FromStart"/>'s own answer.
    /// </summary>
    [Fact]
    public void Start_imports_are_computed_once_per_namespace_and_answer_as_FromStart()
    {
        var index = Index(Mesh(
            Service("cart", "10.96.0.20", ns: "shop", ports: "[{name: http, port: 8080}]", selector: "{app: cart}"),
            ServiceEntry("vip", "[db.internal.corp]", ns: "data", ports: "[{number: 5432, name: tcp, protocol: TCP}]", addresses: "[\"240.0.0.5\"]", resolution: "STATIC", endpoints: "[{address: 10.1.1.1}]"),
            ServiceEntry("stripe", "[api.stripe.com]", ns: "ext", ports: "[{number: 443, name: tls, protocol: TLS}]"),
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data: {mesh: "defaultServiceExportTo: [.]"}
            """));

        foreach (var (ns, fallback, registryOnly) in new[] { ("shop", "lazymesh-system", false), ("shop", (string?)null, false), ("shop", null, true), ("other", "lazymesh-system", true), ("data", null, false) })
        {
            var cached = StartImportsCache.Get(index, ns, fallback, registryOnly);
            Assert.Equal(ScopeImports.FromStart(index, ns, fallback, registryOnly), cached);
            Assert.Same(cached, StartImportsCache.Get(index, ns, fallback, registryOnly));
        }

        Assert.Equal(["shop/cart.shop.svc.cluster.local"], StartImportsCache.Get(index, "shop", "lazymesh-system", registryOnly: false));
        Assert.Equal(["ext/api.stripe.com"], StartImportsCache.Get(index, "ext", null, registryOnly: true));
    }

    /// <summary>
    /// Under REGISTRY_ONLY a call to an unimported host that no HTTP route carries (TLS, TCP) ends in BlackHoleCluster
    /// (listener.go <c>buildSidecarOutboundListeners</c>, the virtual outbound listener) and cannot be sent to the
    /// fallback, so ServiceEntry hosts without an HTTP port are imported up front; HTTP ones still go through
    /// <c>block_all</c> to the fallback.
    /// </summary>
    [Fact]
    public void Under_REGISTRY_ONLY_non_HTTP_ServiceEntry_hosts_are_imported_from_the_start()
    {
        var index = Index(Mesh(
            ServiceEntry("stripe", "[api.stripe.com]", ns: "ext", ports: "[{number: 443, name: tls, protocol: TLS}]"),
            ServiceEntry("status", "[status.example.org]", ns: "ext", ports: "[{number: 80, name: http, protocol: HTTP}]")));

        Assert.Equal(["ext/api.stripe.com"], ScopeImports.FromStart(index, "shop", registryOnly: true));
        Assert.Empty(ScopeImports.FromStart(index, "shop", registryOnly: false));
    }

    [Fact]
    public void Namespace_default_Sidecar_is_the_baseline_and_every_field_carries_over_doGetSidecarScope()
    {
        var index = Index(Mesh("""
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: shop}
            spec:
              outboundTrafficPolicy: {mode: REGISTRY_ONLY}
              ingress: [{port: {number: 8080, protocol: HTTP, name: http}, defaultEndpoint: "127.0.0.1:8080"}]
              egress:
              - port: {number: 3306, protocol: MYSQL, name: mysql}
                hosts: ["data/mysql.data.svc.cluster.local"]
              - hosts: ["./*", "istio-system/*"]
            """));
        var web = index.FindWorkload("shop/Pod/web-1")!;
        var store = new DependencyStore();
        store.Learn(web.Key, Reviews, 1);

        var state = DesiredStateBuilder.Build(index, store, RenderOptions.Default, enabledByDefault: true);

        var sidecar = Assert.Single(state.Sidecars).Sidecar;
        Assert.Equal(0, state.ConflictingWorkloads);
        Assert.Equal("REGISTRY_ONLY", sidecar.Spec.OutboundTrafficPolicy?.Mode);
        Assert.True(sidecar.Spec.Extra?.ContainsKey("ingress"));
        Assert.Equal(2, sidecar.Spec.Egress!.Count);
        Assert.Equal(["data/mysql.data.svc.cluster.local"], sidecar.Spec.Egress[0].Hosts);
        Assert.Equal(["./*", Reviews, "istio-system/*"], sidecar.Spec.Egress[1].Hosts);
        Assert.Equal("web", sidecar.Spec.WorkloadSelector!.Labels!["app"]);
        Assert.Empty(IstioCrdSchemas.ValidateObject("Sidecar", sidecar));
    }

    [Fact]
    public void Root_namespace_default_is_the_baseline_where_the_namespace_has_none_doGetSidecarScope()
    {
        var index = Index(Mesh("""
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: istio-system}
            spec:
              outboundTrafficPolicy: {mode: REGISTRY_ONLY}
              egress: [{hosts: ["istio-system/*", "observability/*"]}]
            """));
        var state = DesiredStateBuilder.Build(index, new DependencyStore(), RenderOptions.Default, enabledByDefault: true);

        var sidecar = Assert.Single(state.Sidecars).Sidecar;
        Assert.Equal("REGISTRY_ONLY", sidecar.Spec.OutboundTrafficPolicy?.Mode);
        Assert.Equal(["istio-system/*", "observability/*"], Assert.Single(sidecar.Spec.Egress!).Hosts);
    }

    [Fact]
    public void A_users_workload_selected_Sidecar_stays_a_conflict()
    {
        var index = Index(Mesh("""
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: web-by-hand, namespace: shop}
            spec: {workloadSelector: {labels: {app: web}}, egress: [{hosts: ["./*"]}]}
            """));
        var state = DesiredStateBuilder.Build(index, new DependencyStore(), RenderOptions.Default, enabledByDefault: true);

        Assert.Empty(state.Sidecars);
        Assert.Equal(1, state.ConflictingWorkloads);
    }

    private static string Deployment(string name, string matchLabels, string templateLabels, string ns = "shop") =>
        "apiVersion: apps/v1\nkind: Deployment\n" +
        $"metadata: {{name: {name}, namespace: {ns}}}\n" +
        $"spec: {{selector: {{matchLabels: {matchLabels}}}, template: {{metadata: {{labels: {templateLabels}}}}}}}\n" +
        "---\napiVersion: apps/v1\nkind: ReplicaSet\n" +
        $"metadata: {{name: {name}-abc, namespace: {ns}, ownerReferences: [{{apiVersion: apps/v1, kind: Deployment, name: {name}, uid: u, controller: true}}]}}\n" +
        $"spec: {{selector: {{matchLabels: {matchLabels}}}}}\n";

    [Fact]
    public void Overlapping_selector_is_narrowed_with_pod_template_labels_doGetSidecarScope_oldest_match()
    {
        var index = Index(
            Deployment("web", "{app: web}", "{app: web, track: stable}"),
            Deployment("web-canary", "{app: web, track: canary}", "{app: web, track: canary}"),
            Pod("web-abc-1", "10.0.0.1", ns: "shop", labels: "{app: web, track: stable, pod-template-hash: abc}", owner: "ReplicaSet/web-abc"),
            Pod("web-canary-abc-1", "10.0.0.2", ns: "shop", labels: "{app: web, track: canary, pod-template-hash: abc}", owner: "ReplicaSet/web-canary-abc"));

        var web = index.FindWorkload("shop/Deployment/web")!;
        var canary = index.FindWorkload("shop/Deployment/web-canary")!;
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["track"] = "stable" }, web.SelectorLabels);
        Assert.Contains("web-canary", web.SelectorNote);
        Assert.Empty(web.SharesPodsWith);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["track"] = "canary" }, canary.SelectorLabels);
    }

    [Fact]
    public void Workloads_no_label_set_tells_apart_share_one_Sidecar_with_both_hosts_and_a_warning()
    {
        var index = Index(
            Deployment("web", "{app: web}", "{app: web}"),
            Deployment("web-canary", "{app: web, track: canary}", "{app: web, track: canary}"),
            Pod("web-abc-1", "10.0.0.1", ns: "shop", labels: "{app: web, pod-template-hash: abc}", owner: "ReplicaSet/web-abc"),
            Pod("web-canary-abc-1", "10.0.0.2", ns: "shop", labels: "{app: web, track: canary, pod-template-hash: abc}", owner: "ReplicaSet/web-canary-abc"),
            Service("reviews", "10.96.0.10", selector: "{app: reviews}"),
            Service("ratings", "10.96.0.12", ns: "backend", selector: "{app: ratings}"));
        var store = new DependencyStore();
        store.Learn("shop/Deployment/web", Reviews, 1);
        store.Learn("shop/Deployment/web-canary", "backend/ratings.backend.svc.cluster.local", 1);

        var state = DesiredStateBuilder.Build(index, store, RenderOptions.Default, enabledByDefault: true);

        var only = Assert.Single(state.Sidecars);
        Assert.Equal("lazymesh-web", only.Sidecar.Metadata.Name);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, only.Sidecar.Spec.WorkloadSelector!.Labels);
        Assert.Equal(["backend/ratings.backend.svc.cluster.local", Reviews, "istio-system/*"], only.Sidecar.Spec.Egress![0].Hosts);
        Assert.Contains(index.Warnings, w => w.Contains("shop/Deployment/web:") && w.Contains("web-canary"));
        Assert.Contains(state.Warnings, w => w.Contains("one Sidecar for shop/Deployment/web, shop/Deployment/web-canary"));

        // The per-workload path (controller) renders the same group Sidecar for either member.
        var canary = index.FindWorkload("shop/Deployment/web-canary")!;
        var viaCanary = DesiredStateBuilder.BuildOne(index, canary, store.Find(canary.Key), RenderOptions.Default, true, new List<string>(), out _, store.Find, DateTimeOffset.UnixEpoch);
        Assert.Equal("lazymesh-web", viaCanary?.Sidecar.Metadata.Name);
        Assert.Equal(only.Sidecar.Spec.Egress[0].Hosts, viaCanary!.Sidecar.Spec.Egress![0].Hosts);
    }

    [Fact]
    public void Observe_phase_keeps_full_scope_until_the_duration_after_the_first_learned_call()
    {
        var index = Index(Mesh(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, annotations: {lazymesh.io/observe-for: 24h}}"));
        var first = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var store = new DependencyStore();
        store.Learn("shop/Pod/web-1", Reviews, first.ToUnixTimeMilliseconds());

        var during = DesiredStateBuilder.Build(index, store, RenderOptions.Default, enabledByDefault: true, first.AddHours(23));
        var after = DesiredStateBuilder.Build(index, store, RenderOptions.Default, enabledByDefault: true, first.AddHours(24));
        var offline = DesiredStateBuilder.Build(index, store, RenderOptions.Default, enabledByDefault: true); // judged at the newest log entry

        Assert.Empty(during.Sidecars);
        Assert.Contains(during.Warnings, w => w.Contains("observing until 2026-01-02T00:00:00Z"));
        Assert.Single(after.Sidecars);
        Assert.Empty(offline.Sidecars);
    }

    [Fact]
    public void Observe_phase_counts_nothing_before_the_first_call_and_reports_a_bad_duration()
    {
        Assert.True(ObservePhase.Evaluate(TimeSpan.FromHours(1), null, DateTimeOffset.MaxValue).Observing);
        Assert.False(ObservePhase.Evaluate(null, 0, DateTimeOffset.UnixEpoch).Observing);

        var index = Index(Mesh("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, annotations: {lazymesh.io/observe-for: a-day}}"));
        var warnings = new List<string>();
        Assert.Null(ObservePhase.DurationOf(index, index.FindWorkload("shop/Pod/web-1")!, warnings));
        Assert.Contains(warnings, w => w.Contains("a-day") && w.Contains("not a duration"));
    }

    [Fact]
    public void Inventory_reads_VirtualServices_DestinationRules_Gateways_and_routes()
    {
        var snapshot = InventoryLoader.LoadText(string.Join("\n---\n",
            VirtualService("reviews", "default", "{hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: v2}}]}]}"),
            "apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: default}\nspec: {host: reviews, subsets: [{name: v2, labels: {version: v2}}]}",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: ingress, namespace: istio-system}\nspec: {selector: {istio: ingressgateway}}",
            "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g, namespace: default}\nspec: {parentRefs: [{kind: Service, name: reviews}]}",
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: default}\nspec: {gatewayClassName: istio}"));

        Assert.Single(snapshot.VirtualServices);
        Assert.Single(snapshot.DestinationRules);
        Assert.Single(snapshot.Gateways);
        Assert.Equal("GRPCRoute", Assert.Single(snapshot.GatewayApiRoutes).Kind);
        Assert.Equal(1, snapshot.SkippedKinds["Gateway (gateway.networking.k8s.io/v1)"]);
        var rule = Assert.Single(MeshIndexBuilder.Build(snapshot).DestinationRules);
        Assert.Equal(("reviews.default.svc.cluster.local", "v2"), (rule.Host, Assert.Single(rule.Subsets)));
    }

    [Fact]
    public void A_malformed_VirtualService_is_skipped_with_a_warning_naming_where()
    {
        // Bad objects are skipped with a file:line warning, never fatal (issue 11, "Input parsing" in docs/security.md).
        var snapshot = InventoryLoader.LoadText(VirtualService("bad", "default", "{hosts: reviews}"));

        Assert.Empty(snapshot.VirtualServices);
        Assert.Contains(snapshot.Warnings, w => w.Contains("VirtualService default/bad", StringComparison.Ordinal));
    }
}
