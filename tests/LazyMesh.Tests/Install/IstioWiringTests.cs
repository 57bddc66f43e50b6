using System.Text.Json.Nodes;
using LazyMesh.Install;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Install;

public sealed class IstioWiringTests
{
    private static readonly InstallOptions Options = new();

    private const string UserMesh = """
        accessLogFile: /dev/stdout
        defaultConfig:
          holdApplicationUntilProxyStarts: true
        extensionProviders:
        - name: otel
          opentelemetry:
            service: otel.observability.svc.cluster.local
            port: 4317
        - name: lazymesh-als-http
          envoyHttpAls:
            service: stale.example
            port: 1
        """;

    [Fact]
    public void Providers_use_the_field_names_of_istio_api_meshconfig()
    {
        // istio/api mesh/v1alpha1/config.proto: ExtensionProvider oneof envoy_http_als = 12, envoy_tcp_als = 13
        // (JSON envoyHttpAls/envoyTcpAls); EnvoyHttpGrpcV3LogProvider service = 1, port = 2, log_name = 3.
        var providers = IstioWiring.ExtensionProviders(Options);
        Assert.Equal("lazymesh-controller.lazymesh-system.svc.cluster.local", (string?)providers[0]!["envoyHttpAls"]!["service"]);
        Assert.Equal(15800, (int)providers[1]!["envoyTcpAls"]!["port"]!);
        Assert.Equal(["name", "envoyHttpAls"], providers[0]!.AsObject().Select(p => p.Key));
        Assert.Equal(["service", "port", "logName"], providers[0]!["envoyHttpAls"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Merging_into_the_mesh_config_keeps_every_user_setting_and_replaces_stale_entries()
    {
        var merged = (JsonObject)YamlJson.Parse(IstioWiring.MergeIntoMesh(UserMesh, Options))!;
        Assert.Equal("/dev/stdout", (string?)merged["accessLogFile"]);
        Assert.True((bool)merged["defaultConfig"]!["holdApplicationUntilProxyStarts"]!);
        var names = merged["extensionProviders"]!.AsArray().Select(p => (string)p!["name"]!).ToList();
        Assert.Equal(["otel", "lazymesh-als-http", "lazymesh-als-tcp"], names);
        Assert.True(IstioWiring.MeshHasProviders(IstioWiring.MergeIntoMesh(UserMesh, Options), Options));
        Assert.False(IstioWiring.MeshHasProviders(UserMesh, Options));

        var removed = (JsonObject)YamlJson.Parse(IstioWiring.RemoveFromMesh(IstioWiring.MergeIntoMesh(UserMesh, Options)))!;
        Assert.Equal(["otel"], removed["extensionProviders"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Equal("{}\n", IstioWiring.RemoveFromMesh(IstioWiring.MergeIntoMesh(null, Options)));
    }

    [Fact]
    public void The_configmap_name_follows_the_revision()
    {
        // istio/istio 1.28.0 pilot/pkg/bootstrap/mesh.go getMeshConfigMapName.
        Assert.Equal("istio", Options.MeshConfigMapName);
        Assert.Equal("istio", (Options with { Revision = "default" }).MeshConfigMapName);
        Assert.Equal("istio-canary", (Options with { Revision = "canary" }).MeshConfigMapName);
        Assert.Equal("canary", (string?)IstioWiring.IstioOperatorFragment(Options with { Revision = "canary" })["spec"]!["revision"]);
        Assert.Equal("canary", (string?)IstioWiring.HelmValuesFragment(Options with { Revision = "canary" })["revision"]);
    }

    [Fact]
    public void The_telemetry_keeps_the_envoy_provider_and_validates()
    {
        var telemetry = IstioWiring.Telemetry(Options);
        Assert.Equal(["envoy", "lazymesh-als-http", "lazymesh-als-tcp"], telemetry["spec"]!["accessLogging"]![0]!["providers"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Empty(IstioCrdSchemas.Validate("Telemetry", ResourceYaml.SerializeNode(telemetry)));
        Assert.Empty(IstioCrdSchemas.Validate("Telemetry", ResourceYaml.SerializeNode(LazyMesh.Install.ClusterInstaller.TelemetryMerge(Options, "mesh-default"))));
    }

    private static JsonObject Telemetry(string name, string created, string? spec) =>
        (JsonObject)YamlJson.Parse($"""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {"{"}name: {name}, namespace: istio-system, creationTimestamp: "{created}"{"}"}
            spec: {spec ?? "{}"}
            """)!;

    [Fact]
    public void An_existing_mesh_wide_telemetry_is_merged_into_or_reported_never_clobbered()
    {
        // istio/istio 1.28.0 pilot/pkg/model/telemetry.go: only the oldest selector-less Telemetry of the root namespace applies.
        Assert.Equal(TelemetryAction.ApplyOwn, TelemetryPlanner.Plan([]).Action);
        Assert.Equal(TelemetryAction.ApplyOwn, TelemetryPlanner.Plan([Telemetry("scoped", "2024-01-01T00:00:00Z", "{selector: {matchLabels: {app: x}}, accessLogging: [{providers: [{name: envoy}]}]}")]).Action);
        Assert.Equal(TelemetryAction.ApplyOwn, TelemetryPlanner.Plan([Telemetry(InstallOptions.TelemetryName, "2024-01-01T00:00:00Z", null)]).Action);

        var merge = TelemetryPlanner.Plan([Telemetry("mesh-default", "2024-01-01T00:00:00Z", "{tracing: [{randomSamplingPercentage: 1}]}")]);
        Assert.Equal((TelemetryAction.MergeIntoExisting, "mesh-default"), (merge.Action, merge.ExistingName));

        var report = TelemetryPlanner.Plan([Telemetry("mesh-default", "2024-01-01T00:00:00Z", "{accessLogging: [{providers: [{name: otel}]}]}")]);
        Assert.Equal(TelemetryAction.Report, report.Action);
        Assert.Contains("lazymesh-als-http", report.Message, StringComparison.Ordinal);

        var wired = TelemetryPlanner.Plan([Telemetry("mesh-default", "2024-01-01T00:00:00Z", "{accessLogging: [{providers: [{name: envoy}, {name: lazymesh-als-http}, {name: lazymesh-als-tcp}]}]}")]);
        Assert.Equal(TelemetryAction.AlreadyWired, wired.Action);
    }
}
