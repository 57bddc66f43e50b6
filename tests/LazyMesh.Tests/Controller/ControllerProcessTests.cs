using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Controller;

/// <summary>The real <c>lazymesh controller</c> process on 127.0.0.1, driven over real ALS streams.</summary>
public sealed class ControllerProcessTests : IDisposable
{
    private const string ProductpageIp = "10.244.1.10";
    private const string ProductpageNode = "sidecar~10.244.1.10~productpage-v1-7d6cfb7dfd-5x9zq.bookinfo~bookinfo.svc.cluster.local";
    private const string Details = "outbound|9080||details.bookinfo.svc.cluster.local";
    private const string Reviews = "outbound|9080||reviews.bookinfo.svc.cluster.local";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-ctl-" + Guid.NewGuid().ToString("N"));

    public ControllerProcessTests()
    {
        Directory.CreateDirectory(_dir);
        File.Copy(Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "inventory.yaml"), Inventory);
    }

    private string Inventory => Path.Combine(_dir, "inventory.yaml");

    private string Output => Path.Combine(_dir, "out");

    private string ProductpageSidecar => Path.Combine(Output, "bookinfo", "lazymesh-productpage-v1.yaml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LazyMeshProcess StartController(params string[] extra) =>
        LazyMeshProcess.Start(["controller", "--inventory", Inventory, "--output-dir", Output, "--als-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",

            // The tests stream from 127.0.0.1 on behalf of the inventory's pods; peer checks are tested in AlsPeerTests.
            "--als-peer-check", "None", .. extra]);

    private static async Task SendAsync(IPEndPoint als, params StreamAccessLogsMessage[] messages)
    {
        using var channel = GrpcChannel.ForAddress($"http://{als}");
        using var call = new AccessLogService.AccessLogServiceClient(channel).StreamAccessLogs();
        foreach (var message in messages)
        {
            await call.RequestStream.WriteAsync(message);
        }

        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;
    }

    private static async Task<string> GetAsync(IPEndPoint http, string path)
    {
        using var client = new HttpClient();
        return await client.GetStringAsync($"http://{http}{path}");
    }

    [Fact]
    public async Task Learns_a_dependency_from_als_and_writes_the_sidecar()
    {
        await using var controller = StartController();
        var (als, http) = await controller.WaitForControllerReadyAsync();
        Assert.Equal("ready\n", await GetAsync(http, "/readyz"));
        Assert.Equal("ok\n", await GetAsync(http, "/healthz"));

        await SendAsync(als, HttpMessage(Identifier(ProductpageNode), Http(Details, "details:9080", ProductpageIp, "10.96.10.11", 9080)));
        await controller.WaitForLineAsync("learned dependency bookinfo/Deployment/productpage-v1 -> bookinfo/details.bookinfo.svc.cluster.local");
        await controller.WaitForLineAsync(@"wrote Sidecar bookinfo/lazymesh-productpage-v1 \(1 learned hosts");

        var yaml = await File.ReadAllTextAsync(ProductpageSidecar);
        Assert.Contains("- bookinfo/details.bookinfo.svc.cluster.local", yaml);
        Assert.DoesNotContain("reviews", yaml);
        Assert.Empty(IstioCrdSchemas.Validate("Sidecar", yaml));

        var metrics = await GetAsync(http, "/metrics");
        Assert.Contains("lazymesh_als_entries_total{protocol=\"http\",result=\"new\"} 1", metrics);
        Assert.Contains("lazymesh_edges_learned_total 1", metrics);
        Assert.Contains("lazymesh_learn_to_disk_seconds_count 1", metrics);
        Assert.Matches("lazymesh_build_info\\{version=\"[^\"]+\",component=\"controller\",runtime=\"\\.NET 10[^\"]*\"\\} 1", metrics);
        Assert.Matches("process_working_set_bytes [1-9]", metrics);
        foreach (var (name, type) in new[]
        {
            ("lazymesh_als_entries_total", "counter"), ("lazymesh_edges_learned_total", "counter"), ("lazymesh_edges", "gauge"),
            ("lazymesh_learn_to_disk_seconds", "histogram"), ("lazymesh_build_info", "gauge"), ("lazymesh_queue_adds_total", "counter"),
            ("lazymesh_reconcile_duration_seconds", "histogram"), ("lazymesh_sidecar_writes_total", "counter"), ("lazymesh_write_queue_depth", "gauge"),
            ("lazymesh_als_streams_open", "gauge"), ("lazymesh_unattributed_entries_total", "counter"), ("process_cpu_seconds_total", "counter"),
        })
        {
            Assert.Contains($"# TYPE {name} {type}\n", metrics, StringComparison.Ordinal);
        }

        Hosting.InstanceMetricsTests.AssertConventional(metrics);
        Assert.Equal(0, await controller.TerminateAsync());
    }

    [Fact]
    public async Task Routing_objects_follow_the_sidecars_and_validate_against_istio()
    {
        await using var controller = StartController();
        await controller.WaitForControllerReadyAsync();
        var envoyFilter = Path.Combine(Output, "bookinfo", "lazymesh-productpage-v1.envoyfilter.yaml");
        var service = Path.Combine(Output, "lazymesh-system", "lazymesh-fallback.service.yaml");
        var filterYaml = await File.ReadAllTextAsync(envoyFilter);
        Assert.Empty(IstioCrdSchemas.Validate("EnvoyFilter", filterYaml));
        Assert.Contains("allow_any", filterYaml);
        Assert.Contains("block_all", filterYaml);
        Assert.Contains("app: productpage", filterYaml);
        Assert.Contains("port: 9080", await File.ReadAllTextAsync(service));
        Assert.Contains("- lazymesh-system/lazymesh-fallback.lazymesh-system.svc.cluster.local", await File.ReadAllTextAsync(ProductpageSidecar));

        // The namespace opts out: its EnvoyFilter goes, and its Sidecars with it.
        var inventory = await File.ReadAllTextAsync(Inventory);
        Assert.Contains("  name: bookinfo\n  resourceVersion", inventory);
        await File.WriteAllTextAsync(Inventory, inventory.Replace("  name: bookinfo\n  resourceVersion", "  name: bookinfo\n  annotations:\n    lazymesh.io/enabled: \"false\"\n  resourceVersion", StringComparison.Ordinal));
        await controller.WaitForLineAsync("removed Sidecar bookinfo/lazymesh-reviews-v3");
        Assert.False(File.Exists(envoyFilter));
        Assert.False(File.Exists(ProductpageSidecar));
        var log = controller.Output;
        // Each workload's EnvoyFilter goes before its own Sidecar.
        Assert.True(log.IndexOf("removed EnvoyFilter bookinfo/lazymesh-productpage-v1", StringComparison.Ordinal) is >= 0 and var removed && removed < log.IndexOf("removed Sidecar bookinfo/lazymesh-productpage-v1", StringComparison.Ordinal), log);
    }

    [Fact]
    public async Task Json_logs_give_one_structured_line_per_learned_dependency()
    {
        await using var controller = StartController("--log-format", "json");
        var ready = await controller.WaitForLineAsync("\"Message\":\"LazyMesh controller ready: als=(\\S+) http=");
        var als = System.Net.IPEndPoint.Parse(ready.Groups[1].Value);
        await SendAsync(als, HttpMessage(Identifier(ProductpageNode), Http(Details, "details:9080", ProductpageIp, "10.96.10.11", 9080)));
        await controller.WaitForLineAsync("learned dependency");
        var entry = controller.Output.Split('\n').Single(l => l.Contains("learned dependency", StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(entry);
        var state = json.RootElement.GetProperty("State");
        Assert.Equal("bookinfo/Deployment/productpage-v1", state.GetProperty("Workload").GetString());
        Assert.Equal("bookinfo/details.bookinfo.svc.cluster.local", state.GetProperty("Host").GetString());
        Assert.Equal("Information", json.RootElement.GetProperty("LogLevel").GetString());
    }

    [Fact]
    public async Task A_killed_controller_restarts_with_everything_it_learned()
    {
        await using (var first = StartController())
        {
            var (als, _) = await first.WaitForControllerReadyAsync();
            await SendAsync(als, HttpMessage(Identifier(ProductpageNode), Http(Details, "details:9080", ProductpageIp, "10.96.10.11", 9080)));
            await first.WaitForLineAsync(@"wrote Sidecar bookinfo/lazymesh-productpage-v1 \(1 learned hosts");
            await first.KillAsync();
        }

        // What a crash leaves behind between a journal append and the Sidecar write (a complete record of ratings that
        // no Sidecar shows yet), then a crash mid-append (a torn fragment after it).
        var journal = Path.Combine(Output, ".lazymesh", "edges.journal");
        await File.AppendAllTextAsync(journal, "{\"w\":\"bookinfo/Deployment/productpage-v1\",\"h\":\"bookinfo/ratings.bookinfo.svc.cluster.local\",\"f\":1,\"l\":1}\n{\"w\":\"bookinfo/Deploym");
        Assert.DoesNotContain("ratings", await File.ReadAllTextAsync(ProductpageSidecar));

        await using (var second = StartController())
        {
            var (als2, _) = await second.WaitForControllerReadyAsync();
            await second.WaitForLineAsync("restored 2 learned dependencies of 1 workloads");
            await second.WaitForLineAsync("learned state: .*edges.journal: torn tail of 22 bytes");
            Assert.Contains("- bookinfo/ratings.bookinfo.svc.cluster.local", await File.ReadAllTextAsync(ProductpageSidecar));

            // A new dependency lands next to the restored ones: the store, not just the file, survived.
            await SendAsync(als2, HttpMessage(Identifier(ProductpageNode), Http(Reviews, "reviews:9080", ProductpageIp, "10.96.10.12", 9080)));
            await second.WaitForLineAsync(@"wrote Sidecar bookinfo/lazymesh-productpage-v1 \(3 learned hosts");
            await second.KillAsync();
        }

        // The record appended after the repaired tail is whole: a third start restores all three, with nothing to cut.
        await using var third = StartController();
        await third.WaitForControllerReadyAsync();
        await third.WaitForLineAsync("restored 3 learned dependencies of 1 workloads");
        Assert.DoesNotContain("torn tail", third.Output);
        var yaml = await File.ReadAllTextAsync(ProductpageSidecar);
        Assert.Contains("- bookinfo/details.bookinfo.svc.cluster.local", yaml);
        Assert.Contains("- bookinfo/reviews.bookinfo.svc.cluster.local", yaml);
        Assert.Contains("- bookinfo/ratings.bookinfo.svc.cluster.local", yaml);
    }

    [Fact]
    public async Task Hostile_streams_get_errors_while_the_controller_keeps_learning()
    {
        await using var controller = StartController("--max-message-bytes", "2048", "--max-hosts", "1");
        var (als, http) = await controller.WaitForControllerReadyAsync();
        using var channel = GrpcChannel.ForAddress($"http://{als}");
        var invoker = channel.CreateCallInvoker();

        // Truncated protobuf: a length that runs past the end.
        using (var broken = invoker.AsyncClientStreamingCall(AlsGrpcMethods.RawStreamAccessLogs, null, default))
        {
            await broken.RequestStream.WriteAsync(AlsRawMessage.FromBytes([0x12, 0x80, 0x01, 0x0a]));
            var error = await Assert.ThrowsAsync<RpcException>(() => broken.ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }

        // A message over the configured size limit.
        using (var huge = invoker.AsyncClientStreamingCall(AlsGrpcMethods.RawStreamAccessLogs, null, default))
        {
            var big = HttpMessage(Identifier(ProductpageNode), Http(Details, new string('a', 4096), ProductpageIp, "10.96.10.11", 9080));
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await huge.RequestStream.WriteAsync(Raw(big));
                await huge.ResponseAsync;
            });
            Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        }

        // A spoofed source (no pod has this IP) and a sender without a sidecar identity: never attributed.
        await SendAsync(als, HttpMessage(Identifier("spoofer"), Http(Reviews, "reviews:9080", "10.250.0.1", "10.96.10.12", 9080)));

        // The cap: the first host is learned, the second rejected.
        await SendAsync(
            als,
            HttpMessage(Identifier(ProductpageNode), Http(Details, "details:9080", ProductpageIp, "10.96.10.11", 9080)),
            HttpMessage(null, Http(Reviews, "reviews:9080", ProductpageIp, "10.96.10.12", 9080)));
        await controller.WaitForLineAsync(@"wrote Sidecar bookinfo/lazymesh-productpage-v1 \(1 learned hosts");

        var metrics = await GetAsync(http, "/metrics");
        Assert.Contains("lazymesh_unattributed_entries_total{reason=\"unknown_source\"} 1", metrics);
        Assert.Contains("lazymesh_hosts_capped_total 1", metrics);
        Assert.Contains("lazymesh_als_streams_rejected_total{reason=\"message_too_large\"} 1", metrics);
        Assert.Matches("lazymesh_als_decode_errors_total\\{kind=\"[a-z0-9_]+\"\\} 1", metrics);
        var yaml = await File.ReadAllTextAsync(ProductpageSidecar);
        Assert.Contains("details.bookinfo", yaml);
        Assert.DoesNotContain("reviews.bookinfo", yaml);
    }

    [Fact]
    public async Task A_thousand_concurrent_streams_are_all_served()
    {
        await using var controller = StartController("--max-streams-per-connection", "1000", "--max-streams-per-peer", "1000");
        var (als, http) = await controller.WaitForControllerReadyAsync();
        using var channel = GrpcChannel.ForAddress($"http://{als}");
        var client = new AccessLogService.AccessLogServiceClient(channel);
        var calls = Enumerable.Range(0, 1000).Select(_ => client.StreamAccessLogs()).ToList();
        await Task.WhenAll(calls.Select(c => c.RequestStream.WriteAsync(HttpMessage(Identifier(ProductpageNode), Http(Details, "details:9080", ProductpageIp, "10.96.10.11", 9080)))));
        await Task.WhenAll(calls.Select(c => c.RequestStream.CompleteAsync()));
        await Task.WhenAll(calls.Select(c => c.ResponseAsync));
        foreach (var call in calls)
        {
            call.Dispose();
        }

        var metrics = await GetAsync(http, "/metrics");
        Assert.Contains("lazymesh_als_streams_total 1000", metrics);
        Assert.Contains("lazymesh_als_entries_total{protocol=\"http\",result=\"known\"} 999", metrics);
        Assert.Contains("lazymesh_als_streams_open 0", metrics);
    }

    [Fact]
    public async Task An_inventory_change_is_reloaded_and_reconciled()
    {
        await using var controller = StartController();
        await controller.WaitForControllerReadyAsync();
        await File.AppendAllTextAsync(Inventory, """

            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: newbie
              namespace: bookinfo
              labels:
                app: newbie
            spec:
              containers:
              - name: main
                image: busybox
              - name: istio-proxy
                image: proxyv2
            status:
              phase: Running
              podIP: 10.244.1.99
            """);
        await controller.WaitForLineAsync("inventory reloaded: 7 workloads");
        await controller.WaitForLineAsync("wrote Sidecar bookinfo/lazymesh-pod-newbie");
        Assert.True(File.Exists(Path.Combine(Output, "bookinfo", "lazymesh-pod-newbie.yaml")));
    }

    [Fact]
    public async Task A_broken_inventory_edit_keeps_the_previous_inventory()
    {
        await using var controller = StartController();
        await controller.WaitForControllerReadyAsync();
        await File.AppendAllTextAsync(Inventory, "\n---\nkind: [unclosed\n");
        await controller.WaitForLineAsync("inventory reload failed, keeping the previous inventory: .*inventory.yaml:\\d+");
        Assert.False(controller.HasExited);
    }

    [Fact]
    public async Task Unusable_arguments_exit_2_and_bad_inventory_exits_1()
    {
        await using (var missing = LazyMeshProcess.Start("controller", "--inventory", Path.Combine(_dir, "nope.yaml"), "--output-dir", Output))
        {
            Assert.Equal(2, await missing.WaitForExitAsync());
            Assert.Contains("nope.yaml", missing.Output);
        }

        await File.WriteAllTextAsync(Inventory, "apiVersion: v1\nkind: Pod\nmetadata: [1\n");
        await using var broken = StartController();
        Assert.Equal(1, await broken.WaitForExitAsync());
        Assert.Contains("inventory.yaml:", broken.Output);
    }

    [Fact]
    public async Task Two_hundred_thousand_nested_brackets_dropped_into_the_inventory_directory_are_logged_and_the_controller_runs_on()
    {
        var inventoryDir = Path.Combine(_dir, "inventory");
        Directory.CreateDirectory(inventoryDir);
        File.Copy(Inventory, Path.Combine(inventoryDir, "inventory.yaml"));
        await using var controller = LazyMeshProcess.Start(["controller", "--inventory", inventoryDir, "--output-dir", Output, "--als-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--als-peer-check", "None"]);
        await controller.WaitForControllerReadyAsync();

        await File.WriteAllTextAsync(Path.Combine(inventoryDir, "deep.yaml"), "kind: ConfigMap\ndata: " + new string('[', 200_000) + new string(']', 200_000) + "\n");

        await controller.WaitForLineAsync("inventory reload failed, keeping the previous inventory: .*deep.yaml:2: \\[ and \\{ nested deeper than 1024 levels");
        Assert.False(controller.HasExited);
    }

    [Fact]
    public async Task Recommend_with_two_hundred_thousand_nested_brackets_exits_1_naming_the_file()
    {
        var deep = Path.Combine(_dir, "deep.json");
        await File.WriteAllTextAsync(deep, new string('[', 200_000));
        var log = Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "access.log");
        foreach (var (path, reason) in new[] { (deep, "invalid JSON: The maximum configured depth of 64"), (Path.ChangeExtension(deep, ".yaml"), "[ and { nested deeper than 1024 levels") })
        {
            await File.WriteAllTextAsync(path, new string('[', 200_000));
            await using var recommend = LazyMeshProcess.Start("recommend", "--inventory", Inventory, "--inventory", path, "--access-log", log);

            Assert.Equal(1, await recommend.WaitForExitAsync());
            Assert.Contains($"lazymesh: {path}:1: {reason}", recommend.Output, StringComparison.Ordinal);
        }
    }
}
