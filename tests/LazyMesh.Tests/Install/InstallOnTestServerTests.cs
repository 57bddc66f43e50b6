using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LazyMesh.Install;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.KubeTesting;
using LazyMesh.Tests.Fallback;
using LazyMesh.Tests.Kubernetes.Informers;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Install;

/// <summary>
/// `lazymesh install` applied to the test API server with real semantics (namespaces must exist, RBAC from the
/// rendered roles enforced on ServiceAccount tokens), then the real controller and fallback processes running on
/// the tokens the manifests' ServiceAccounts get, then `lazymesh uninstall`.
/// </summary>
public sealed class InstallOnTestServerTests : IAsyncLifetime
{
    private const string UserMesh = "accessLogFile: /dev/stdout\ndefaultConfig:\n  holdApplicationUntilProxyStarts: true\n";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-install-" + Guid.NewGuid().ToString("N"));
    private readonly InstallOptions _options = new();
    private InformerTestCluster _cluster = null!;

    private KubeTestServer Server => _cluster.Server;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _cluster = await InformerTestCluster.StartAsync(new KubeTestServerOptions
        {
            BookmarkInterval = TimeSpan.FromMilliseconds(100),
            InitialNamespaces = ["default", "kube-system", "istio-system"],
        });

        // What the user (and Istio) had before LazyMesh.
        await _cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "istio", NamespaceProperty = "istio-system" },
            Data = new Dictionary<string, string> { ["mesh"] = UserMesh },
        }, "istio-system");
        await _cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = "shop", Labels = new Dictionary<string, string> { ["lazymesh.io/enabled"] = "true" } },
        });
        await _cluster.CreateDeploymentAsync("shop", "web", "10.1.0.1");
        await _cluster.CreateDeploymentAsync("shop", "cart", "10.1.0.2");
        await _cluster.CreateServiceAsync("shop", "cart", "10.96.1.2", "cart");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(bool Complete, string Output)> InstallAsync(bool dryRun)
    {
        using var output = new StringWriter();
        var complete = await new ClusterInstaller(new ObjectClient(new KubeWriter(_cluster.Client, new WriteBudget(1000))), output).InstallAsync(_options, dryRun, CancellationToken.None);
        return (complete, output.ToString());
    }

    private string Kubeconfig(string serviceAccount) =>
        Server.WriteKubeconfig(Path.Combine(_dir, serviceAccount + ".kubeconfig"), token: Server.MintServiceAccountToken(_options.Namespace, serviceAccount));

    private static string Key(JsonObject o) => $"{(string?)o["kind"]} {(string?)o["metadata"]!["namespace"]}/{(string?)o["metadata"]!["name"]}";

    [Fact]
    public async Task Install_is_idempotent_and_dry_run_changes_nothing()
    {
        var before = Server.ResourceVersion;
        var (dryComplete, dry) = await InstallAsync(dryRun: true);
        Assert.True(dryComplete, dry);
        Assert.Contains("Deployment lazymesh-system/lazymesh-controller: would be created", dry, StringComparison.Ordinal);
        Assert.Contains("would add lazymesh-als-http", dry, StringComparison.Ordinal);
        Assert.Equal(before, Server.ResourceVersion);

        var (complete, first) = await InstallAsync(dryRun: false);
        Assert.True(complete, first);
        Assert.Contains("Deployment lazymesh-system/lazymesh-controller: created", first, StringComparison.Ordinal);
        Assert.Contains("Telemetry istio-system/lazymesh-access-logs: created", first, StringComparison.Ordinal);
        foreach (var obj in InstallRenderer.Render(_options))
        {
            var resource = ApiResource.Of(obj);
            Assert.NotNull(Server.GetStoredObject(resource.Group, resource.Plural, (string?)obj["metadata"]!["namespace"], (string)obj["metadata"]!["name"]!));
        }

        var mesh = (string)Server.GetStoredObject("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]!;
        Assert.True(IstioWiring.MeshHasProviders(mesh, _options));
        Assert.Contains("holdApplicationUntilProxyStarts: true", mesh, StringComparison.Ordinal);

        var afterFirst = Server.ResourceVersion;
        var (_, second) = await InstallAsync(dryRun: false);
        Assert.DoesNotContain(": created", second, StringComparison.Ordinal);
        Assert.DoesNotContain("configured", second, StringComparison.Ordinal);
        Assert.Equal(afterFirst, Server.ResourceVersion);

        // A changed flag is shown by --dry-run as the fields it changes.
        using var output = new StringWriter();
        await new ClusterInstaller(new ObjectClient(new KubeWriter(_cluster.Client, new WriteBudget(1000))), output)
            .InstallAsync(_options with { ControllerReplicas = 3 }, dryRun: true, CancellationToken.None);
        Assert.Contains("Deployment lazymesh-system/lazymesh-controller: would change spec.replicas", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(afterFirst, Server.ResourceVersion);
    }

    [Fact]
    public async Task A_users_mesh_wide_telemetry_with_access_logging_is_reported_not_clobbered()
    {
        var telemetry = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"telemetry.istio.io/v1","kind":"Telemetry","metadata":{"name":"mesh-default","namespace":"istio-system"},
             "spec":{"accessLogging":[{"providers":[{"name":"otel"}]}]}}
            """)!;
        await _cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(telemetry, "telemetry.istio.io", "v1", "istio-system", "telemetries");
        var (complete, output) = await InstallAsync(dryRun: false);
        Assert.False(complete);
        Assert.Contains("ACTION: Telemetry mesh-default", output, StringComparison.Ordinal);
        Assert.Null(Server.GetStoredObject("telemetry.istio.io", "telemetries", "istio-system", InstallOptions.TelemetryName));
        Assert.Equal("otel", (string?)Server.GetStoredObject("telemetry.istio.io", "telemetries", "istio-system", "mesh-default")!["spec"]!["accessLogging"]![0]!["providers"]![0]!["name"]);
    }

    [Fact]
    public async Task A_users_telemetry_without_access_logging_is_merged_into_and_restored_on_uninstall()
    {
        var telemetry = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"telemetry.istio.io/v1","kind":"Telemetry","metadata":{"name":"mesh-default","namespace":"istio-system"},
             "spec":{"tracing":[{"randomSamplingPercentage":1}]}}
            """)!;
        await _cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(telemetry, "telemetry.istio.io", "v1", "istio-system", "telemetries");
        var original = Server.GetStoredObject("telemetry.istio.io", "telemetries", "istio-system", "mesh-default")!["spec"]!.ToJsonString();
        var (complete, output) = await InstallAsync(dryRun: false);
        Assert.True(complete, output);
        var merged = Server.GetStoredObject("telemetry.istio.io", "telemetries", "istio-system", "mesh-default")!;
        Assert.Equal(1, (int)merged["spec"]!["tracing"]![0]!["randomSamplingPercentage"]!);
        Assert.Equal("lazymesh-als-tcp", (string?)merged["spec"]!["accessLogging"]![0]!["providers"]![2]!["name"]);
        Assert.Null(Server.GetStoredObject("telemetry.istio.io", "telemetries", "istio-system", InstallOptions.TelemetryName));

        using var uninstallOutput = new StringWriter();
        await new ClusterUninstaller(new ObjectClient(new KubeWriter(_cluster.Client, new WriteBudget(1000))), _cluster.Client, uninstallOutput).UninstallAsync(_options, keepCrd: false, CancellationToken.None);
        Assert.Equal(original, Server.GetStoredObject("telemetry.istio.io", "telemetries", "istio-system", "mesh-default")!["spec"]!.ToJsonString());
    }

    [Fact]
    public async Task Controller_and_fallback_run_on_their_service_account_tokens_and_uninstall_leaves_only_user_objects()
    {
        var userObjects = Server.AllObjects().ToDictionary(Key, o => o["data"]?.ToJsonString() ?? o["spec"]?.ToJsonString());
        var (complete, output) = await InstallAsync(dryRun: false);
        Assert.True(complete, output);
        await using var upstream = await TestUpstream.StartAsync();

        await using (var controller = LazyMeshProcess.Start("controller", "--kubeconfig", Kubeconfig(InstallOptions.ControllerName), "--als-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"))
        await using (var fallback = LazyMeshProcess.Start("fallback", "--kubeconfig", Kubeconfig(InstallOptions.FallbackName), "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"))
        {
            await controller.WaitForControllerReadyAsync();
            await controller.WaitForLineAsync(@"applied Sidecar shop/lazymesh-web");
            var listening = await fallback.WaitForLineAsync(@"Fallback proxy listening on (\S+) .*health and metrics on (\S+)");
            var proxy = IPEndPoint.Parse(listening.Groups[1].Value);
            var admin = IPEndPoint.Parse(listening.Groups[2].Value);
            await fallback.WaitForLineAsync("Kubernetes inventory synced");

            // A Service created after the fallback started is forwarded to as soon as its watch event arrives.
            await _cluster.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "late" },
                Spec = new V1ServiceSpec { ClusterIP = "127.0.0.1", Ports = [new V1ServicePort { Name = "http", Port = upstream.Port }] },
            }, "shop");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var status = await ForwardWithinAsync(http, proxy, $"late.shop.svc.cluster.local:{upstream.Port}", TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(upstream.Requests, r => r.Path == "/hello");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://{admin}/readyz")).StatusCode);

            // Everything both did was allowed by the rendered RBAC.
            Assert.Empty(Server.Stats.Forbidden);
            await controller.KillAsync();
        }

        using var uninstallOutput = new StringWriter();
        await new ClusterUninstaller(new ObjectClient(new KubeWriter(_cluster.Client, new WriteBudget(1000))), _cluster.Client, uninstallOutput).UninstallAsync(_options, keepCrd: false, CancellationToken.None);
        var text = uninstallOutput.ToString();
        Assert.True(text.IndexOf("scaled to 0", StringComparison.Ordinal) < text.IndexOf("deleted Sidecar", StringComparison.Ordinal), text);
        Assert.True(text.IndexOf("deleted Sidecar", StringComparison.Ordinal) < text.IndexOf("deleted Telemetry", StringComparison.Ordinal), text);

        var left = Server.AllObjects().ToDictionary(Key, o => o["data"]?.ToJsonString() ?? o["spec"]?.ToJsonString());
        left.Remove("Service shop/late"); // written by this test, as a user would
        Assert.Equal(userObjects.Keys.Order(), left.Keys.Order());
        Assert.Equal(userObjects["ConfigMap istio-system/istio"], left["ConfigMap istio-system/istio"]);
    }

    private static async Task<HttpStatusCode> ForwardWithinAsync(HttpClient http, IPEndPoint proxy, string host, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy}/hello");
            request.Headers.Host = host;
            using var response = await http.SendAsync(request, deadline.Token);
            if (response.StatusCode != HttpStatusCode.BadGateway && response.StatusCode != HttpStatusCode.NotFound && response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                return response.StatusCode;
            }

            // Not in the index yet: the watch event is on its way (bounded by the deadline above).
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }
}
