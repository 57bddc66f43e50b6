using System.Text.Json.Nodes;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using LazyMesh.Tests.Fallback;
using LazyMesh.Tests.Mesh;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Routing;

public sealed class FallbackRoutingTests
{
    private static readonly SidecarResource WebSidecar = SidecarRenderer.Render(
        TestWorkloads.Create(@namespace: "shop", name: "web"), [], [], FallbackSidecarHosts.WithFallback(RenderOptions.Default, FallbackRoutingOptions.Default));

    /// <summary>
    /// istio/istio pilot/pkg/networking/core/httproute.go buildCatchAllVirtualHost: the catch-all virtual host and its route are
    /// both allow_any (ALLOW_ANY) or both block_all (REGISTRY_ONLY); envoyfilter/rc_patch.go routeMatch matches them by name.
    /// </summary>
    [Fact]
    public void Envoy_filter_merges_both_catch_all_routes_into_the_fallback_cluster_with_headers()
    {
        var filter = FallbackEnvoyFilterRenderer.Render(WebSidecar, FallbackRoutingOptions.Default, MeshConfig.DefaultRootNamespace);

        Assert.Empty(IstioCrdSchemas.ValidateObject("EnvoyFilter", filter));
        var yaml = ResourceYaml.Serialize(filter);
        Assert.StartsWith($"""
            apiVersion: networking.istio.io/v1alpha3
            kind: EnvoyFilter
            metadata:
              name: {WebSidecar.Metadata.Name}
              namespace: shop
              labels:
                app.kubernetes.io/managed-by: lazymesh
            spec:
              configPatches:
              - applyTo: HTTP_ROUTE
                match:
                  context: SIDECAR_OUTBOUND
                  routeConfiguration:
                    vhost:
                      name: allow_any
                      route:
                        name: allow_any
                patch:
                  operation: MERGE
                  value:
                    request_headers_to_add:
                    - append_action: OVERWRITE_IF_EXISTS_OR_ADD
                      header:
                        key: x-lazymesh-original-dst
                        value: '%DOWNSTREAM_LOCAL_ADDRESS%'
                    - append_action: OVERWRITE_IF_EXISTS_OR_ADD
                      header:
                        key: x-lazymesh-source-ip
                        value: '%DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT%'
                    - append_action: OVERWRITE_IF_EXISTS_OR_ADD
                      header:
                        key: x-lazymesh-source-namespace
                        value: shop
                    route:
                      cluster: outbound|8080||lazymesh-fallback.lazymesh-system.svc.cluster.local
                      timeout: "0s"
              - applyTo: HTTP_ROUTE
                match:
                  context: SIDECAR_OUTBOUND
                  routeConfiguration:
                    vhost:
                      name: block_all
                      route:
                        name: block_all
            """.ReplaceLineEndings("\n"), yaml);
        Assert.Contains("""
              workloadSelector:
                labels:
            """.ReplaceLineEndings("\n"), yaml);
        Assert.Equal(WebSidecar.Spec.WorkloadSelector!.Labels, filter.Spec["workloadSelector"]!["labels"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()));
    }

    [Fact]
    public void Envoy_filter_does_not_grow_with_the_mesh()
    {
        var options = FallbackRoutingOptions.Default with { Namespace = "mesh-infra", TargetPort = 15080, RoutePort = 80, ClusterDomain = "corp.local" };
        var filter = FallbackEnvoyFilterRenderer.Render("shop", "lazymesh-web", new Dictionary<string, string> { ["app"] = "web" }, options, "istio-system");

        Assert.Empty(IstioCrdSchemas.ValidateObject("EnvoyFilter", filter));
        var patches = filter.Spec["configPatches"]!.AsArray();
        Assert.Equal(2, patches.Count);
        Assert.All(patches, p => Assert.Equal("outbound|80||lazymesh-fallback.mesh-infra.svc.corp.local", p!["patch"]!["value"]!["route"]!["cluster"]!.GetValue<string>()));
        Assert.Equal("web", filter.Spec["workloadSelector"]!["labels"]!["app"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("lazymesh-system", "istio-system", "fallback's own")]
    [InlineData("istio-system", "istio-system", "root namespace")]
    [InlineData("istio-config", "istio-config", "root namespace")]
    public void Envoy_filter_is_refused_in_the_fallbacks_namespace_and_in_the_root_namespace(string ns, string root, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => FallbackEnvoyFilterRenderer.Render(ns, "lazymesh-web", new Dictionary<string, string> { ["app"] = "web" }, FallbackRoutingOptions.Default, root));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Envoy_filter_without_a_selector_is_refused() =>
        Assert.Throws<ArgumentException>(() => FallbackEnvoyFilterRenderer.Render("shop", "lazymesh-web", new Dictionary<string, string>(), FallbackRoutingOptions.Default, "istio-system"));

    [Fact]
    public void Broken_envoy_filters_fail_validation()
    {
        var json = JsonNode.Parse(YamlJson.Parse(ResourceYaml.Serialize(FallbackEnvoyFilterRenderer.Render(WebSidecar, FallbackRoutingOptions.Default, "istio-system")))!.ToJsonString())!;
        json["spec"]!["configPatches"]![0]!["match"]!["context"] = "SIDECAR_OUTBOND";

        Assert.Contains(IstioCrdSchemas.Validate("EnvoyFilter", json.ToJsonString()), e => e.Contains("NotInEnumeration", StringComparison.Ordinal));
    }

    /// <summary>
    /// istio/istio cluster_traffic_policy.go applyConnectionPool: useClientProtocol -> setUseDownstreamProtocol, on the caller's
    /// outbound cluster and (cluster_builder.go buildInboundCluster) on the fallback's inbound cluster.
    /// </summary>
    [Fact]
    public void Destination_rule_keeps_the_clients_protocol_and_is_exported_everywhere()
    {
        var rule = FallbackDestinationRuleRenderer.Render(FallbackRoutingOptions.Default);

        Assert.Empty(IstioCrdSchemas.ValidateObject("DestinationRule", rule));
        Assert.Equal("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: lazymesh-fallback
              namespace: lazymesh-system
              labels:
                app.kubernetes.io/managed-by: lazymesh
            spec:
              exportTo:
              - '*'
              host: lazymesh-fallback.lazymesh-system.svc.cluster.local
              trafficPolicy:
                connectionPool:
                  http:
                    useClientProtocol: true

            """.ReplaceLineEndings("\n"), ResourceYaml.Serialize(rule));
    }

    [Fact]
    public void Routing_objects_skip_the_fallbacks_and_the_root_namespace()
    {
        var index = MeshYaml.Index(MeshYaml.Service("a", "10.96.0.1"));
        var sidecars = new[] { "shop", "lazymesh-system", "istio-system" }
            .Select(ns => SidecarRenderer.Render(TestWorkloads.Create(@namespace: ns, name: "web"), [], [], RenderOptions.Default))
            .ToList();

        var filters = FallbackRoutingObjects.EnvoyFilters(index, sidecars, FallbackRoutingOptions.Default);

        Assert.Equal(["shop"], filters.Select(static f => f.Metadata.NamespaceProperty));
        Assert.Equal(["Service", "DestinationRule"], FallbackRoutingObjects.Shared(index, FallbackRoutingOptions.Default).Select(static o => o.Kind));
    }

    [Fact]
    public void Service_carries_every_http_port_of_the_mesh_once_targeting_the_listen_port()
    {
        var index = MeshYaml.Index(
            MeshYaml.Service("a", "10.96.0.1", ports: "[{name: http, port: 9080, targetPort: 9080}, {name: tcp-db, port: 5432, targetPort: 5432}]"),
            MeshYaml.Service("b", "10.96.0.2", ports: "[{name: grpc, port: 7070, targetPort: 7070}, {name: http-web, port: 9080, targetPort: 80}]"),
            MeshYaml.Service("c", "10.96.0.3", ports: "[{port: 3000, targetPort: 3000}]"),
            MeshYaml.ServiceEntry("e", "[api.example.com]", ports: "[{number: 80, name: http, protocol: HTTP}, {number: 443, name: tls, protocol: TLS}]"));

        var service = FallbackServiceRenderer.Render(index, FallbackRoutingOptions.Default);

        Assert.Equal([80, 3000, 7070, 8080, 9080], service.Spec.Ports.Select(p => p.Port));
        Assert.All(service.Spec.Ports, p => Assert.Equal(8080, p.TargetPort!.Value == "8080" ? 8080 : -1));
        Assert.All(service.Spec.Ports, p => Assert.Equal($"http-{p.Port}", p.Name));
        Assert.All(service.Spec.Ports, p => Assert.Equal("http", p.AppProtocol));
        Assert.Equal("*", service.Metadata.Annotations["networking.istio.io/exportTo"]);
        Assert.Equal(("lazymesh-fallback", "lazymesh-system"), (service.Metadata.Name, service.Metadata.NamespaceProperty));
        Assert.Equal("lazymesh-fallback", service.Spec.Selector["app"]);

        // Explicit HTTP for Istio (ConvertProtocol), and valid Kubernetes port names.
        Assert.All(service.Spec.Ports, p => Assert.Equal(PortProtocol.Http, PortProtocols.FromServicePort(p)));
        Assert.All(service.Spec.Ports, p => Assert.True(p.Name.Length <= 15 && KubernetesNames.IsDns1123Label(p.Name), p.Name));
    }

    [Fact]
    public void Generated_sidecars_import_the_fallback_host_and_validate()
    {
        var render = FallbackSidecarHosts.WithFallback(RenderOptions.Default, FallbackRoutingOptions.Default);
        var sidecar = SidecarRenderer.Render(TestWorkloads.Create(@namespace: "shop", name: "web"), ["shop/reviews.shop.svc.cluster.local"], [], render);

        Assert.Same(render, FallbackSidecarHosts.WithFallback(render, FallbackRoutingOptions.Default));
        Assert.Equal(
            ["istio-system/*", "lazymesh-system/lazymesh-fallback.lazymesh-system.svc.cluster.local", "shop/reviews.shop.svc.cluster.local"],
            sidecar.Spec.Egress![0].Hosts);
        Assert.Empty(IstioCrdSchemas.ValidateObject("Sidecar", sidecar));
    }

    [Fact]
    public void Fallback_names_follow_the_options()
    {
        var options = FallbackRoutingOptions.Default;

        Assert.Equal("lazymesh-fallback.lazymesh-system.svc.cluster.local", options.Fqdn);
        Assert.Equal("outbound|8080||lazymesh-fallback.lazymesh-system.svc.cluster.local", options.RouteCluster);
        Assert.Equal(MeshOptions.DefaultClusterDomain, options.ClusterDomain);
        Assert.NotNull(FallbackTestMesh.Build().FindByHost(options.Fqdn));
    }
}
