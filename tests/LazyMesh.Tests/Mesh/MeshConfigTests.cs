using LazyMesh.Inventory;
using LazyMesh.Mesh;

namespace LazyMesh.Tests.Mesh;

/// <summary>
/// MeshConfig as istiod reads it: the <c>istio</c> ConfigMap's <c>mesh</c> key (istio/istio
/// <c>pkg/config/mesh/mesh.go ApplyMeshConfig</c>, defaults from <c>DefaultMeshConfig</c>).
/// </summary>
public sealed class MeshConfigTests
{
    private const string Mesh = """
        rootNamespace: istio-config
        defaultServiceExportTo: ["."]
        outboundTrafficPolicy:
          mode: REGISTRY_ONLY
        extensionProviders:
        - name: otel
          opentelemetry:
            service: otel-collector.observability.svc.cluster.local
            port: 4317
        - name: authz
          envoyExtAuthzGrpc:
            service: authz/ext-authz.authz.svc.cluster.local
            port: "9000"
        - name: stdout
          envoyFileAccessLog:
            path: /dev/stdout
        - name: lazymesh-als
          envoyHttpAls:
            service: lazymesh-controller.lazymesh-system.svc.cluster.local
            port: 15000
        """;

    [Fact]
    public void Defaults_are_Istios()
    {
        var config = MeshConfigParser.Parse("{}", "test");
        Assert.Equal("istio-system", config.RootNamespace);
        Assert.Equal(OutboundTrafficMode.AllowAny, config.OutboundTrafficPolicy);
        Assert.Equal(["*"], config.DefaultServiceExportTo);
        Assert.False(config.RestrictsServiceVisibility);
        Assert.Empty(config.ExtensionProviders);
        Assert.Equal("test", config.Source);
    }

    [Fact]
    public void Reads_root_namespace_policy_export_defaults_and_every_provider_with_a_service()
    {
        var config = MeshConfigParser.Parse(Mesh, "mesh.yaml");
        Assert.Equal("istio-config", config.RootNamespace);
        Assert.True(config.IsRegistryOnly);
        Assert.True(config.RestrictsServiceVisibility);
        Assert.Equal(
            ["opentelemetry otel: otel-collector.observability.svc.cluster.local:4317", "envoyExtAuthzGrpc authz: authz/ext-authz.authz.svc.cluster.local:9000", "envoyHttpAls lazymesh-als: lazymesh-controller.lazymesh-system.svc.cluster.local:15000"],
            config.ExtensionProviders.Select(static p => p.ToString()));
    }

    [Fact]
    public void Provider_hosts_resolve_like_LookupCluster_namespace_as_written_else_the_one_service_else_any()
    {
        // istio/istio pilot/pkg/model/telemetry_logging.go LookupCluster: "ns/host", or a host held by exactly one namespace.
        var index = MeshIndexBuilder.Build(InventoryLoader.LoadText(
            MeshYaml.Service("otel-collector", "10.0.0.9", ns: "observability", ports: "[{name: grpc, port: 4317}]")));
        var config = MeshConfigParser.Parse(Mesh, "mesh.yaml");
        Assert.Equal(
            ["*/lazymesh-controller.lazymesh-system.svc.cluster.local", "authz/ext-authz.authz.svc.cluster.local", "observability/otel-collector.observability.svc.cluster.local"],
            config.ExtensionProviderEgressHosts(index));
    }

    [Fact]
    public void The_istio_ConfigMap_in_the_inventory_becomes_the_index_MeshConfig()
    {
        var snapshot = InventoryLoader.LoadText($$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: |-
            {{string.Join("\n", Mesh.Split('\n').Select(static l => "    " + l))}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: unrelated, namespace: default}
            data: {a: b}
            """);
        Assert.Single(snapshot.ConfigMaps);
        Assert.Equal(1, snapshot.SkippedKinds["ConfigMap"]);
        var index = MeshIndexBuilder.Build(snapshot);
        Assert.Equal("ConfigMap istio-system/istio", index.MeshConfig.Source);
        Assert.True(index.MeshConfig.IsRegistryOnly);
        Assert.Equal("istio-config", index.MeshConfig.RootNamespace);
    }

    [Fact]
    public void An_explicit_MeshConfig_wins_over_the_inventory()
    {
        var snapshot = InventoryLoader.LoadText("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data: {mesh: "outboundTrafficPolicy: {mode: REGISTRY_ONLY}"}
            """);
        var index = MeshIndexBuilder.Build(snapshot, new MeshOptions { MeshConfig = MeshConfig.Default with { Source = "file" } });
        Assert.False(index.MeshConfig.IsRegistryOnly);
        Assert.Equal("file", index.MeshConfig.Source);
    }

    [Fact]
    public void A_whole_ConfigMap_file_is_accepted()
    {
        var config = MeshConfigParser.Parse("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: "defaultServiceExportTo: [.]"
            """, "cm.yaml");
        Assert.Equal(["."], config.DefaultServiceExportTo);
    }

    [Theory]
    [InlineData("outboundTrafficPolicy: {mode: DENY}", "outboundTrafficPolicy.mode \"DENY\" is not ALLOW_ANY or REGISTRY_ONLY")]
    [InlineData("defaultServiceExportTo: .", "defaultServiceExportTo must be a list of strings")]
    [InlineData("extensionProviders: [{name: z, zipkin: {service: z, port: 99999}}]", "extensionProviders[0].zipkin.port must be a port number (1-65535)")]
    [InlineData("- a\n- b", "MeshConfig must be a mapping")]
    public void Bad_input_names_the_field(string yaml, string message)
    {
        var ex = Assert.Throws<InventoryException>(() => MeshConfigParser.Parse(yaml, "mesh.yaml"));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("mesh.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_ConfigMap_in_the_inventory_is_a_warning_not_a_crash()
    {
        var index = MeshIndexBuilder.Build(InventoryLoader.LoadText("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data: {mesh: "outboundTrafficPolicy: {mode: DENY}"}
            """));
        Assert.Same(MeshConfig.Default, index.MeshConfig);
        Assert.Contains(index.Warnings, static w => w.StartsWith("MeshConfig ignored", StringComparison.Ordinal));
    }
}
