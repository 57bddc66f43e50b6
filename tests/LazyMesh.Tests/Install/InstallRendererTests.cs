using System.Text.Json.Nodes;
using LazyMesh.Install;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Install;

public sealed class InstallRendererTests
{
    private static readonly InstallOptions Options = new() { Image = "registry.example/lazymesh:1.0", Namespace = "lm-ctl", FallbackNamespace = "lm-fb" };

    private static JsonObject Find(IEnumerable<JsonObject> objects, string kind, string name, string? ns = null) =>
        objects.Single(o => (string?)o["kind"] == kind && (string?)o["metadata"]!["name"] == name && (ns is null || (string?)o["metadata"]!["namespace"] == ns));

    [Theory]
    [InlineData("small")]
    [InlineData("medium")]
    [InlineData("large")]
    public void Every_object_validates_against_the_kubernetes_or_istio_schema(string profile)
    {
        var objects = InstallRenderer.Render(Options with { Profile = InstallProfile.Find(profile)!, Revision = "canary" });
        Assert.Equal(24, objects.Count); // two namespaces here (controller and fallback apart)
        foreach (var obj in objects)
        {
            var yaml = ResourceYaml.SerializeNode(obj);
            var errors = (string?)obj["kind"] == "Telemetry"
                ? IstioCrdSchemas.Validate("Telemetry", yaml)
                : KubernetesSchemas.Validate((JsonObject)YamlJson.Parse(yaml)!);
            Assert.True(errors.Count == 0, $"{ApiResource.Describe(obj)}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void The_schema_check_catches_an_unknown_field_and_a_wrong_type()
    {
        var deployment = Find(InstallRenderer.Render(Options), "Deployment", InstallOptions.ControllerName);
        deployment["spec"]!["replica"] = 2;
        Assert.Contains(KubernetesSchemas.Validate(deployment), e => e.Contains("replica", StringComparison.Ordinal));
        var service = Find(InstallRenderer.Render(Options), "Service", InstallOptions.ControllerName);
        service["spec"]!["ports"] = "grpc";
        Assert.NotEmpty(KubernetesSchemas.Validate(service));
    }

    [Fact]
    public void Rendering_is_deterministic_and_in_apply_order()
    {
        Assert.Equal(InstallRenderer.RenderYaml(Options), InstallRenderer.RenderYaml(Options));
        var kinds = InstallRenderer.Render(Options).Select(o => (string)o["kind"]!).ToList();
        Assert.True(kinds.IndexOf("Namespace") < kinds.IndexOf("CustomResourceDefinition"));
        Assert.True(kinds.IndexOf("ServiceAccount") < kinds.IndexOf("Deployment"));
        Assert.Equal("Telemetry", kinds[^1]);
    }

    [Fact]
    public void Rbac_follows_the_controller_and_fallback_namespaces()
    {
        var objects = InstallRenderer.Render(Options);
        Assert.Equal(["lm-ctl", "lm-fb"], objects.Where(o => (string?)o["kind"] == "Namespace").Select(o => (string)o["metadata"]!["name"]!));
        var lease = Find(objects, "RoleBinding", "lazymesh-controller-leader");
        Assert.Equal("lm-ctl", (string?)lease["metadata"]!["namespace"]);
        var service = Find(objects, "Role", "lazymesh-controller-fallback-service");
        Assert.Equal("lm-fb", (string?)service["metadata"]!["namespace"]);
        var fallbackBinding = Find(objects, "ClusterRoleBinding", InstallOptions.FallbackName);
        Assert.Equal("lm-fb", (string?)fallbackBinding["subjects"]![0]!["namespace"]);
        Assert.Equal("lm-ctl", (string?)Find(objects, "ClusterRoleBinding", InstallOptions.ControllerName)["subjects"]![0]!["namespace"]);
        Assert.Contains("lazysidecars", Find(objects, "ClusterRole", InstallOptions.StatusRoleName).ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"create\"", Find(objects, "ClusterRole", InstallOptions.StatusRoleName).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_controller_runs_two_hardened_replicas_that_survive_a_50k_pod_informer_sync()
    {
        var objects = InstallRenderer.Render(Options with { Profile = InstallProfile.Large });
        var deployment = Find(objects, "Deployment", InstallOptions.ControllerName);
        Assert.Equal(2, (int)deployment["spec"]!["replicas"]!);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("registry.example/lazymesh:1.0", (string?)container["image"]);
        Assert.Equal("controller", (string?)container["args"]![0]);

        // docs/benchmarks.md: up to 64 s from start to ready at 50k pods on a loaded node; liveness must not fire
        // before, so the startupProbe allows more than five times that.
        var startup = container["startupProbe"]!;
        Assert.True((int)startup["periodSeconds"]! * (int)startup["failureThreshold"]! >= 5 * 64);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);

        // docs/benchmarks.md: 491 MB peak working set at 50k pods.
        Assert.Equal("768Mi", (string?)container["resources"]!["requests"]!["memory"]);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.True((bool)container["securityContext"]!["runAsNonRoot"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal("kubernetes.io/hostname", (string?)deployment["spec"]!["template"]!["spec"]!["topologySpreadConstraints"]![0]!["topologyKey"]);
        Assert.Equal(1, (int)Find(objects, "PodDisruptionBudget", InstallOptions.ControllerName)["spec"]!["minAvailable"]!);
    }

    [Fact]
    public void The_controller_service_names_the_als_port_grpc_so_envoy_speaks_http2()
    {
        // istio/istio 1.28.0 pkg/config/kube/conversion.go ConvertProtocol: the "grpc" name prefix -> protocol GRPC,
        // pkg/config/protocol/instance.go IsHTTP2 -> the ALS cluster gets HTTP/2 options (cluster_builder.go).
        var service = Find(InstallRenderer.Render(Options), "Service", InstallOptions.ControllerName);
        var ports = service["spec"]!["ports"]!.AsArray();
        Assert.Contains(ports, p => (string?)p!["name"] == "grpc-als" && (int)p["port"]! == InstallOptions.AlsPort);
        Assert.Contains(ports, p => (string?)p!["name"] == "http-metrics" && (int)p["port"]! == InstallOptions.MetricsPort);
    }

    [Fact]
    public void The_fallback_is_injected_never_narrowed_and_autoscaled()
    {
        var objects = InstallRenderer.Render(Options);
        var deployment = Find(objects, "Deployment", InstallOptions.FallbackName);
        Assert.Equal("false", (string?)deployment["metadata"]!["annotations"]![LazyMeshMetadata.EnabledKey]);
        Assert.Equal("true", (string?)deployment["spec"]!["template"]!["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
        var args = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal("lazymesh-controller.lm-ctl.svc.cluster.local:15800", args[args.IndexOf("--als-target") + 1]);
        Assert.DoesNotContain("--inventory", args);
        Assert.Equal("lm-fb", (string?)Find(objects, "Service", InstallOptions.FallbackName)["metadata"]!["namespace"]);
        Assert.Equal(2, (int)Find(objects, "HorizontalPodAutoscaler", InstallOptions.FallbackName)["spec"]!["minReplicas"]!);
        Assert.Equal(1, (int)Find(objects, "PodDisruptionBudget", InstallOptions.FallbackName)["spec"]!["minAvailable"]!);

        var revisioned = Find(InstallRenderer.Render(Options with { Revision = "canary" }), "Deployment", InstallOptions.FallbackName);
        Assert.Equal("canary", (string?)revisioned["spec"]!["template"]!["metadata"]!["labels"]!["istio.io/rev"]);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_flag_named()
    {
        Assert.Contains("--namespace", Assert.Throws<ArgumentException>(() => InstallRenderer.Render(Options with { Namespace = "Not_Valid" })).Message, StringComparison.Ordinal);
        Assert.Contains("--image", Assert.Throws<ArgumentException>(() => InstallRenderer.Render(Options with { Image = "a b" })).Message, StringComparison.Ordinal);
        Assert.Contains("--fallback-replicas", Assert.Throws<ArgumentException>(() => InstallRenderer.Render(Options with { FallbackReplicas = 50 })).Message, StringComparison.Ordinal);
    }
}
