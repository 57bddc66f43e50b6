using k8s;
using LazyMesh.Inventory;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.KubeTesting;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Kubernetes.Sink.KubeAssert;
using static LazyMesh.Tests.Kubernetes.Sink.SinkHarness;

namespace LazyMesh.Tests.Kubernetes.Sink;

public sealed class LazySidecarSinkTests
{
    [Fact]
    public async Task An_invalid_learned_host_is_dropped_with_a_warning_as_on_files()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var logs = new RecordingLoggerProvider();
        using var replica = new SinkHarness(server, logger: logs.CreateLogger("test"));
        replica.Store.Learn(Web, Cart, replica.Now);
        replica.Store.Learn(Web, "Bad_NS/cart.example.com", replica.Now);

        Assert.Equal(WorkloadOutcome.Applied, await replica.ReconcileAsync(Web));

        Assert.Equal(["istio-system/*", Cart], Hosts(Sidecar(server, "lazymesh-pod-web")!));
        Assert.Contains(logs.Messages, m => m.StartsWith("shop/Pod/web: learned host 'Bad_NS/cart.example.com' dropped: namespace \"Bad_NS\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Learned_dependency_becomes_an_owned_sidecar_and_a_lazysidecar_status_entry()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = new SinkHarness(server);
        var learner = new EdgeLearner(replica.Holder, replica.Store);
        Assert.Equal(LearnResult.New, replica.Store.Learn(replica.Workload(Web), replica.Index.FindByHost("cart.shop.svc.cluster.local")!, replica.Now));
        Assert.Same(replica.Store, learner.Store);

        Assert.Equal(WorkloadOutcome.Applied, await replica.ReconcileAsync(Web));

        var lazy = LazySidecar(server, "lazymesh-pod-web")!;
        var sidecar = Sidecar(server, "lazymesh-pod-web")!;
        Assert.Equal([Cart], LearnedHosts(lazy));
        Assert.Equal(["istio-system/*", Cart], Hosts(sidecar));
        Assert.Equal("True", Condition(lazy, "Ready"));
        Assert.Equal("False", Condition(lazy, "Conflict"));
        Assert.Equal("lazymesh-pod-web", lazy["status"]!["sidecarName"]!.GetValue<string>());
        Assert.Equal(1, lazy["status"]!["hostCount"]!.GetValue<int>());
        Assert.Equal(Cart, lazy["status"]!["lastLearned"]!["host"]!.GetValue<string>());

        var owner = sidecar["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(lazy["metadata"]!["uid"]!.GetValue<string>(), owner["uid"]!.GetValue<string>());
        Assert.True(owner["controller"]!.GetValue<bool>());
        Assert.Equal("LazySidecar", owner["kind"]!.GetValue<string>());
        Assert.Contains(sidecar["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "lazymesh" && m["operation"]!.GetValue<string>() == "Apply");

        // Both validate against their CRDs (without server-populated metadata).
        Assert.Empty(IstioCrdSchemas.Validate("Sidecar", Strip(sidecar)));
        Assert.Empty(IstioCrdSchemas.Validate("LazySidecar", Strip(lazy)));

        // Deleting the LazySidecar removes the Sidecar (ownership).
        using var client = server.CreateClient();
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync("lazymesh.io", "v1alpha1", "shop", "lazysidecars", "lazymesh-pod-web");
        Assert.Null(Sidecar(server, "lazymesh-pod-web"));
    }

    [Fact]
    public async Task Unchanged_state_sends_no_writes()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = new SinkHarness(server);
        replica.Store.Learn(Web, Cart, replica.Now);
        await replica.ReconcileAllAsync();
        var writes = server.Stats.Writes;
        Assert.True(writes >= 3);

        await replica.ReconcileAllAsync();
        await replica.ReconcileAllAsync();
        replica.Store.Learn(Web, Cart, replica.Now + 1000); // last-seen moved a little: coarse, no write
        await replica.ReconcileAllAsync();

        Assert.Equal(writes, server.Stats.Writes);
    }

    [Fact]
    public async Task A_restarted_replica_rebuilds_its_store_from_status_and_loses_nothing()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using (var first = new SinkHarness(server))
        {
            first.Store.Learn(Web, Cart, first.Now);
            first.Store.Learn(Web, "ext/api.example.com", first.Now);
            await first.ReconcileAllAsync();
        }

        using var second = new SinkHarness(server);
        Assert.Equal(2, await second.RestoreAsync());
        Assert.Equal(2, second.Store.Find(Web)!.Count);
        var version = server.ResourceVersion;
        await second.ReconcileAllAsync();
        Assert.Equal(["ext/api.example.com", "istio-system/*", Cart], Hosts(Sidecar(server, "lazymesh-pod-web")!));
        Assert.Equal(version, server.ResourceVersion); // nothing changed on the server
    }

    [Fact]
    public async Task Two_replicas_learning_different_hosts_for_one_workload_lose_nothing()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var a = new SinkHarness(server);
        using var b = new SinkHarness(server);
        var hostsA = Enumerable.Range(0, 20).Select(i => $"ext/a{i}.example.com").ToList();
        var hostsB = Enumerable.Range(0, 20).Select(i => $"ext/b{i}.example.com").ToList();

        // Interleaved learning and concurrent reconciles: status writes race and must merge.
        for (var i = 0; i < 20; i++)
        {
            a.Store.Learn(Web, hostsA[i], a.Now);
            b.Store.Learn(Web, hostsB[i], b.Now);
            await Task.WhenAll(a.ReconcileAsync(Web), b.ReconcileAsync(Web));
        }

        await a.ReconcileAsync(Web);
        var expected = hostsA.Concat(hostsB).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, LearnedHosts(LazySidecar(server, "lazymesh-pod-web")!).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Append("istio-system/*").Order(StringComparer.Ordinal), Hosts(Sidecar(server, "lazymesh-pod-web")!).Order(StringComparer.Ordinal));
        using var restarted = new SinkHarness(server);
        Assert.Equal(40, await restarted.RestoreAsync());
    }

    [Fact]
    public async Task A_workload_a_user_sidecar_selects_gets_a_conflict_condition_and_event_and_no_sidecar()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = new SinkHarness(server, SinkHarness.Shop + """

            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: hand-written, namespace: shop}
            spec: {workloadSelector: {labels: {app: web}}, egress: [{hosts: ["./*"]}]}
            """);
        replica.Store.Learn(Web, Cart, replica.Now);

        Assert.Equal(WorkloadOutcome.Conflict, await replica.ReconcileAsync(Web));
        Assert.Equal(WorkloadOutcome.Conflict, await replica.ReconcileAsync(Web));

        var lazy = LazySidecar(server, "lazymesh-pod-web")!;
        Assert.Equal("True", Condition(lazy, "Conflict"));
        Assert.Equal("UserSidecarSelectsWorkload", Condition(lazy, "Conflict", "reason"));
        Assert.Contains("shop/hand-written", Condition(lazy, "Conflict", "message"), StringComparison.Ordinal);
        Assert.Equal("False", Condition(lazy, "Ready"));
        Assert.Null(Sidecar(server, "lazymesh-pod-web"));
        Assert.Equal([Cart], LearnedHosts(lazy));

        using var client = server.CreateClient();
        var events = await client.CoreV1.ListNamespacedEventAsync("shop");
        var conflict = Assert.Single(events.Items, e => e.Reason == "Conflict");
        Assert.Equal("LazySidecar", conflict.InvolvedObject.Kind);
        Assert.Equal("lazymesh-pod-web", conflict.InvolvedObject.Name);
    }

    [Fact]
    public async Task Dependency_learned_events_are_aggregated_per_workload()
    {
        await using var server = await SinkHarness.StartServerAsync();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2025-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var replica = new SinkHarness(server, time: time);
        replica.Store.Learn(Web, Cart, replica.Now);
        await replica.ReconcileAllAsync();
        replica.Store.Learn(Web, "ext/a.example.com", replica.Now);
        await replica.ReconcileAllAsync();
        replica.Store.Learn(Web, "ext/b.example.com", replica.Now);
        await replica.ReconcileAllAsync();

        using var client = server.CreateClient();
        Assert.Single((await client.CoreV1.ListNamespacedEventAsync("shop")).Items, e => e.Reason == "DependencyLearned");

        time.Advance(TimeSpan.FromSeconds(5));
        await replica.Sink.Events.FlushAsync(CancellationToken.None);
        var learned = (await client.CoreV1.ListNamespacedEventAsync("shop")).Items.Where(e => e.Reason == "DependencyLearned").ToList();
        Assert.Equal(2, learned.Count);
        Assert.Contains(learned, e => e.Message.Contains("ext/a.example.com", StringComparison.Ordinal) && e.Message.Contains("ext/b.example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Leader_cleanup_deletes_lazysidecars_of_vanished_workloads_and_their_sidecars()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = new SinkHarness(server);
        replica.Store.Learn(Web, Cart, replica.Now);
        await replica.ReconcileAllAsync();
        Assert.NotNull(Sidecar(server, "lazymesh-pod-web"));

        var gone = MeshIndexBuilder.Build(InventoryLoader.LoadText(SinkHarness.Shop.Replace("name: web,", "name: web2,", StringComparison.Ordinal).Replace("app: web", "app: web2", StringComparison.Ordinal)));
        Assert.Equal(1, await replica.Sink.Cleanup.CleanupAsync(gone, replica.Source, CancellationToken.None));
        Assert.Null(LazySidecar(server, "lazymesh-pod-web"));
        Assert.Null(Sidecar(server, "lazymesh-pod-web"));
    }

    private static string Strip(System.Text.Json.Nodes.JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        var metadata = copy["metadata"]!.AsObject();
        foreach (var key in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "ownerReferences" })
        {
            metadata.Remove(key);
        }

        return copy.ToJsonString();
    }
}
