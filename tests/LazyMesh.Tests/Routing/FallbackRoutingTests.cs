using System.Text.Json.Nodes;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using LazyMesh.Tests.Fallback;
using LazyMesh.Tests.Mesh;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Routing;

public sealed class FallbackRoutingTests
{
    [Fact]
    public void Envoy_filter_merges_the_allow_any_route_into_the_fallback_cluster_with_headers()
    {
        var filter = FallbackEnvoyFilterRenderer.Render("shop", FallbackRoutingOptions.Default);

        Assert.Empty(IstioCrdSchemas.ValidateObject("EnvoyFilter", filter));
        Assert.Equal("""
            apiVersion: networking.istio.io/v1alpha3
            kind: EnvoyFilter
            metadata:
              name: lazymesh-fallback
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
                        value: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%'
                    - append_action: OVERWRITE_IF_EXISTS_OR_ADD
                      header:
                        key: x-lazymesh-source-namespace
                        value: shop
                    route:
                      cluster: outbound|8080||lazymesh-fallback.lazymesh-system.svc.cluster.local

            """.ReplaceLineEndings("\n"), ResourceYaml.Serialize(filter));
    }

    [Fact]
    public void Envoy_filter_does_not_grow_with_the_mesh_and_can_select_workloads()
    {
        var options = FallbackRoutingOptions.Default with { Namespace = "mesh-infra", TargetPort = 15080, RoutePort = 80, ClusterDomain = "corp.local" };
        var filter = FallbackEnvoyFilterRenderer.Render("shop", options, new Dictionary<string, string> { ["app"] = "web" });

        Assert.Empty(IstioCrdSchemas.ValidateObject("EnvoyFilter", filter));
        var patch = Assert.Single(filter.Spec["configPatches"]!.AsArray())!;
        Assert.Equal("outbound|80||lazymesh-fallback.mesh-infra.svc.corp.local", patch["patch"]!["value"]!["route"]!["cluster"]!.GetValue<string>());
        Assert.Equal("web", filter.Spec["workloadSelector"]!["labels"]!["app"]!.GetValue<string>());
    }

    [Fact]
    public void Envoy_filter_is_refused_for_the_fallbacks_own_namespace() =>
        Assert.Throws<ArgumentException>(() => FallbackEnvoyFilterRenderer.Render("lazymesh-system", FallbackRoutingOptions.Default));

    [Fact]
    public void Broken_envoy_filters_fail_validation()
    {
        var json = JsonNode.Parse(YamlJson.Parse(ResourceYaml.Serialize(FallbackEnvoyFilterRenderer.Render("shop", FallbackRoutingOptions.Default)))!.ToJsonString())!;
        json["spec"]!["configPatches"]![0]!["match"]!["context"] = "SIDECAR_OUTBOND";

        Assert.Contains(IstioCrdSchemas.Validate("EnvoyFilter", json.ToJsonString()), e => e.Contains("NotInEnumeration", StringComparison.Ordinal));
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
        Assert.All(service.Spec.Ports, p => Assert.Equal($"lazymesh-{p.Port}", p.Name));
        Assert.Equal(("lazymesh-fallback", "lazymesh-system"), (service.Metadata.Name, service.Metadata.NamespaceProperty));
        Assert.Equal("lazymesh-fallback", service.Spec.Selector["app"]);

        // Sniffed ports (no protocol prefix) must not be parsed as a protocol by Istio, and must be valid Kubernetes port names.
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
