using System.Text.Json.Nodes;
using Grpc.Net.Client;
using k8s;
using k8s.Models;
using LazyMesh.Als.Envoy;
using LazyMesh.Tests.Kubernetes.Informers;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Kubernetes;

/// <summary>The real `lazymesh controller --kubeconfig` process against the test API server: ALS in, Sidecar in the API.</summary>
public sealed class ControllerOnKubernetesTests : IAsyncLifetime
{
    private const string WebNode = "sidecar~10.1.0.1~web-abc-0.shop~shop.svc.cluster.local";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-kctl-" + Guid.NewGuid().ToString("N"));
    private InformerTestCluster _cluster = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _cluster = await InformerTestCluster.StartAsync();
        _kubeconfig = _cluster.Server.WriteKubeconfig(Path.Combine(_dir, "kubeconfig"));
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

    private LazyMeshProcess Start() => LazyMeshProcess.Start(
        "controller", "--kubeconfig", _kubeconfig, "--als-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--als-peer-check", "None");


    private async Task<JsonObject> GetAsync(string group, string version, string plural, string name)
    {
        var obj = await _cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(group, version, "shop", plural, name);
        return obj;
    }

    [Fact]
    public async Task Learns_over_als_writes_the_sidecar_through_the_api_and_restarts_from_status()
    {
        await using (var controller = Start())
        {
            var (als, http) = await controller.WaitForControllerReadyAsync();
            await controller.WaitForLineAsync(@"applied Sidecar shop/lazymesh-web \(0 learned hosts");

            await SendAsync(als, HttpMessage(Identifier(WebNode), Http("outbound|80||cart.shop.svc.cluster.local", "cart", "10.1.0.1", "10.96.1.2", 80)));
            await controller.WaitForLineAsync(@"applied Sidecar shop/lazymesh-web \(1 learned hosts");

            var sidecar = await GetAsync("networking.istio.io", "v1", "sidecars", "lazymesh-web");
            Assert.Contains("shop/cart.shop.svc.cluster.local", sidecar["spec"]!["egress"]![0]!["hosts"]!.AsArray().Select(h => h!.GetValue<string>()));
            Assert.Equal("LazySidecar", sidecar["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
            Assert.Contains(sidecar["metadata"]!["managedFields"]!.AsArray(), f => f!["manager"]!.GetValue<string>() == "lazymesh");

            var lazy = await GetAsync("lazymesh.io", "v1alpha1", "lazysidecars", sidecar["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>());
            Assert.Equal("shop/cart.shop.svc.cluster.local", lazy["status"]!["learnedHosts"]![0]!["host"]!.GetValue<string>());
            // Every write so far changed something (the echo of its own applies, status included, sends nothing).
            Assert.Equal(0, _cluster.Server.NoOpWrites);

            // Deleted by hand: the controller puts it back.
            var applies = controller.Output.Split('\n').Count(l => l.Contains("applied Sidecar shop/lazymesh-web (1 learned hosts", StringComparison.Ordinal));
            await _cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("networking.istio.io", "v1", "shop", "sidecars", "lazymesh-web");
            await controller.WaitForLineAsync(@"applied Sidecar shop/lazymesh-web \(1 learned hosts", skip: applies);
            Assert.Contains("cart.shop", (await GetAsync("networking.istio.io", "v1", "sidecars", "lazymesh-web")).ToJsonString());

            using var web = new HttpClient();
            var metrics = await web.GetStringAsync($"http://{http}/metrics");
            Assert.Matches("lazymesh_kube_writes_total\\{result=\"applied\"\\} [1-9]", metrics);
            Assert.Matches("lazymesh_informer_events_total\\{resource=\"\\w+\",type=\"added\"\\} [1-9]", metrics);
            Assert.Contains("lazymesh_edges_learned_total 1", metrics);
            Assert.Contains("lazymesh_learn_to_api_seconds_count 1", metrics);
            Assert.Matches("\nlazymesh_leader [01]\n", metrics); // no lazymesh-system namespace here: the Lease cannot be taken
            Assert.Contains("component=\"controller\"", metrics);
            Assert.Matches("process_cpu_seconds_total [0-9]", metrics);
            await controller.KillAsync();
        }

        await using var restarted = Start();
        var (_, restartedHttp) = await restarted.WaitForControllerReadyAsync();
        await restarted.WaitForLineAsync("restored 1 learned hosts of 1 workloads from LazySidecar status");

        // The restarted controller remembers nothing it applied, reads its objects back and finds them current:
        // the LazySidecar and the Sidecar are not sent again (kube-apiserver would count a no-op write for each).
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string restartedMetrics;
        while (!System.Text.RegularExpressions.Regex.IsMatch(
            restartedMetrics = await client.GetStringAsync($"http://{restartedHttp}/metrics"), "lazymesh_kube_writes_total\\{result=\"unchanged\"\\} ([2-9]|[1-9][0-9]+)\n"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the restarted controller did not reconcile its objects in 30 s:\n" + restartedMetrics);
            await Task.Delay(50);
        }

        Assert.Contains("lazymesh_kube_writes_total{result=\"applied\"} 0", restartedMetrics);
        Assert.Equal(0, _cluster.Server.NoOpWrites);
    }

    [Fact]
    public async Task A_missing_kubeconfig_is_a_usage_error()
    {
        await using var controller = LazyMeshProcess.Start("controller", "--kubeconfig", Path.Combine(_dir, "nope"));
        Assert.Equal(2, await controller.WaitForExitAsync());
        Assert.Contains("nope", controller.Output);
    }

    [Fact]
    public async Task A_failing_write_into_a_missing_fallback_namespace_is_retried_and_reported_and_the_rest_goes_on()
    {
        // A real API server answers 404 to a write into a namespace that does not exist (issue 10 item 6).
        _cluster.Server.Faults.FailNextRequests(1000, 404, r => r.Resource == "services" && r.Namespace == "lazymesh-system" && r.IsWrite);
        await using var controller = Start();
        var (als, _) = await controller.WaitForControllerReadyAsync();
        await controller.WaitForLineAsync(@"reconciling Routing failed \(1 in a row\), retrying in \d+ ms");

        await SendAsync(als, HttpMessage(Identifier(WebNode), Http("outbound|80||cart.shop.svc.cluster.local", "cart", "10.1.0.1", "10.96.1.2", 80)));
        await controller.WaitForLineAsync(@"applied Sidecar shop/lazymesh-web \(1 learned hosts");
        Assert.False(controller.HasExited);

        _cluster.Server.Faults.Clear();
        await controller.WaitForLineAsync("applied fallback routing Service lazymesh-system/");
        await controller.WaitForLineAsync("applied fallback routing EnvoyFilter shop/");
        Assert.Equal(0, await controller.TerminateAsync());
    }

    [Fact]
    public async Task Healthz_answers_before_the_informers_sync_and_sigterm_while_the_api_is_unreachable_exits_0()
    {
        await _cluster.Server.Faults.StartOutageAsync();
        await using var controller = Start();
        var http = System.Net.IPEndPoint.Parse((await controller.WaitForLineAsync(@"controller starting: http=(\S+)")).Groups[1].Value);
        using var web = new HttpClient();
        Assert.Equal("ok\n", await web.GetStringAsync($"http://{http}/healthz"));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await web.GetAsync($"http://{http}/readyz")).StatusCode);

        Assert.Equal(0, await controller.TerminateAsync());
        Assert.DoesNotContain("Unhandled exception", controller.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listen_address_in_use_is_a_usage_error_before_anything_is_written()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        _cluster.Server.Stats.Reset();

        await using var controller = LazyMeshProcess.Start(
            "controller", "--kubeconfig", _kubeconfig, "--als-listen", "127.0.0.1:0", "--http-listen", $"127.0.0.1:{port}");
        Assert.Equal(2, await controller.WaitForExitAsync());
        Assert.Contains($"--http-listen: cannot listen on 127.0.0.1:{port}: the address is already in use", controller.Output, StringComparison.Ordinal);
        Assert.Equal(0, _cluster.Server.Stats.Total);
    }
}
