using k8s;
using k8s.Models;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.KubeTesting;
using Microsoft.Extensions.Logging.Abstractions;
using static LazyMesh.Tests.Kubernetes.Informers.InformerTestCluster;

namespace LazyMesh.Tests.Kubernetes.Informers;

public sealed class InformerResilienceTests
{
    private static readonly Dictionary<string, string> AppLabels = new() { ["app"] = "x" };

    [Fact]
    public async Task A_dropped_watch_resumes_from_the_last_resourceVersion_without_a_relist()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await cluster.CreatePodAsync("shop", "a", "10.0.0.1", AppLabels);
        var inventory = await cluster.StartInventoryAsync();
        var listsBefore = cluster.Server.Stats.Count("list", "pods");
        await WatchingAsync(inventory.Pods);

        Assert.True(cluster.Server.Faults.DropWatches(abortConnections: true) > 0);
        await cluster.CreatePodAsync("shop", "b", "10.0.0.2", AppLabels);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("a", "shop");

        var index = await cluster.WaitForIndexAsync(i => PodAt(i, "10.0.0.2") is not null && PodAt(i, "10.0.0.1") is null);
        Assert.Equal(listsBefore, cluster.Server.Stats.Count("list", "pods"));
        Assert.Equal(1, inventory.Pods.Counters.Lists);
        Assert.Equal(0, inventory.Pods.Counters.Relists);
        Assert.True(inventory.Pods.Counters.WatchRestarts >= 1);
        Assert.True(cluster.Server.Stats.Count("watch", "pods") >= 2);
        Assert.Single(index.Pods, p => p.Namespace == "shop");
    }

    [Fact]
    public async Task After_compaction_a_410_relists_and_reflects_what_happened_in_the_gap()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await cluster.CreatePodAsync("shop", "old", "10.0.0.1", AppLabels);
        var inventory = await cluster.StartInventoryAsync();
        var relisted = Signal(h => inventory.Pods.Listed += h);
        await WatchingAsync(inventory.Pods);

        // Keep the pod watch down while objects change, then compact the history past its resourceVersion.
        cluster.Server.Faults.FailNextRequests(100_000, 500, r => r.Verb == "watch" && r.Resource == "pods");
        cluster.Server.Faults.DropWatches(abortConnections: true);
        await cluster.CreatePodAsync("shop", "new", "10.0.0.2", AppLabels);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("old", "shop");
        cluster.Server.Compact();
        cluster.Server.Faults.Clear();

        await relisted.WaitAsync(InformerTestCluster.Timeout);
        var index = await cluster.WaitForIndexAsync(i => PodAt(i, "10.0.0.2") is not null && PodAt(i, "10.0.0.1") is null);
        Assert.True(inventory.Pods.Counters.Gone >= 1);
        Assert.True(inventory.Pods.Counters.Relists >= 1);
        Assert.Equal(["new"], index.Pods.Where(p => p.Namespace == "shop").Select(p => p.Name));
        Assert.True(inventory.Pods.TryGet("shop/new", out _));
        Assert.False(inventory.Pods.TryGet("shop/old", out _));
    }

    [Fact]
    public async Task An_injected_410_on_the_watch_relists()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        var inventory = await cluster.StartInventoryAsync();
        var relisted = Signal(h =>
        {
            foreach (var informer in inventory.Informers)
            {
                informer.Listed += h;
            }
        });
        await WatchingAsync(inventory.Informers);

        // The next watch request (whichever informer makes it first) gets 410.
        cluster.Server.Faults.FailNextWatchesWithGone(1);
        cluster.Server.Faults.DropWatches(abortConnections: true);

        await relisted.WaitAsync(InformerTestCluster.Timeout);
        Assert.True(inventory.Informers.Sum(i => i.Counters.Gone) >= 1);
        await cluster.CreateServiceAsync("shop", "late", "10.96.0.99", "late");
        await cluster.WaitForIndexAsync(i => i.FindByHost("late.shop.svc.cluster.local") is not null);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_until_the_informer_syncs()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await cluster.CreatePodAsync("shop", "a", "10.0.0.1", AppLabels);
        cluster.Server.Faults.FailNextRequests(3, 500, r => r.Verb == "list" && r.Resource == "pods");

        var inventory = await cluster.StartInventoryAsync();

        Assert.Equal(3, inventory.Pods.Counters.Errors);
        Assert.Equal(1, inventory.Pods.Counters.Lists);
        Assert.NotNull(PodAt(inventory.Holder.Current, "10.0.0.1"));

        // And while watching: failing re-watches, then convergence.
        await WatchingAsync(inventory.Pods);
        cluster.Server.Faults.FailNextRequests(3, 500, r => r.Verb == "watch" && r.Resource == "pods");
        cluster.Server.Faults.DropWatches(abortConnections: true);
        await cluster.CreatePodAsync("shop", "b", "10.0.0.2", AppLabels);
        await cluster.WaitForIndexAsync(i => PodAt(i, "10.0.0.2") is not null);
        Assert.True(inventory.Pods.Counters.Errors >= 6);
        Assert.Equal(0, inventory.Pods.Counters.Relists);
    }

    [Fact]
    public async Task An_outage_with_connections_refused_converges_after_it_ends()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await cluster.CreatePodAsync("shop", "a", "10.0.0.1", AppLabels);
        var inventory = await cluster.StartInventoryAsync();
        await WatchingAsync(inventory.Informers);

        await cluster.Server.Faults.StartOutageAsync(TimeSpan.FromSeconds(2), OutageMode.ConnectionRefused);
        await cluster.Server.Faults.OutageEnded.WaitAsync(InformerTestCluster.Timeout);
        await cluster.CreatePodAsync("shop", "b", "10.0.0.2", AppLabels);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("a", "shop");

        await cluster.WaitForIndexAsync(i => PodAt(i, "10.0.0.2") is not null && PodAt(i, "10.0.0.1") is null);
        Assert.True(inventory.Informers.Sum(i => i.Counters.Errors) >= inventory.Informers.Count);
        Assert.All(inventory.Informers, i => Assert.Equal(0, i.Counters.Relists));
    }

    [Fact]
    public async Task Bookmarks_advance_the_resourceVersion()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        var inventory = await cluster.StartInventoryAsync();
        var before = long.Parse(inventory.Pods.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture);

        // A write the pod informer does not see, then a bookmark.
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "shop");
        var target = cluster.Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bookmarked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inventory.Pods.Bookmarked += rv =>
        {
            if (rv == target)
            {
                bookmarked.TrySetResult();
            }
        };
        Assert.True(cluster.Server.ResourceVersion > before);
        cluster.Server.SendBookmarks();

        await bookmarked.Task.WaitAsync(InformerTestCluster.Timeout);
        Assert.Equal(target, inventory.Pods.ResourceVersion);
        Assert.True(inventory.Pods.Counters.Bookmarks >= 1);

        // The next watch resumes at the bookmark: nothing is replayed, nothing relisted.
        var addedBefore = inventory.Pods.Counters.Added;
        await WatchingAsync(inventory.Pods);
        cluster.Server.Compact();
        cluster.Server.Faults.DropWatches(abortConnections: true);
        await cluster.CreatePodAsync("shop", "after", "10.0.0.5", AppLabels);
        await cluster.WaitForIndexAsync(i => PodAt(i, "10.0.0.5") is not null);
        Assert.Equal(0, inventory.Pods.Counters.Gone);
        Assert.Equal(addedBefore + 1, inventory.Pods.Counters.Added);
    }

    [Fact]
    public async Task A_periodic_resync_relists_and_keeps_the_cache()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await cluster.CreatePodAsync("shop", "a", "10.0.0.1", AppLabels);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var informer = new Informer<V1Pod>(
            ResourceClients.Pods(cluster.Client), FastInformers with { ResyncPeriod = TimeSpan.FromMinutes(10), Time = clock }, NullLogger.Instance, PodSlimmer.Slim);
        var lists = new System.Threading.Channels.Channel<int>[] { System.Threading.Channels.Channel.CreateUnbounded<int>() }[0];
        var count = 0;
        informer.Listed += () => lists.Writer.TryWrite(Interlocked.Increment(ref count));
        informer.Start();
        Assert.Equal(1, await lists.Reader.ReadAsync().AsTask().WaitAsync(InformerTestCluster.Timeout));
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(InformerTestCluster.Timeout);

        // The resync deadline is on the informer's clock: nothing relists until it passes, then each period relists once.
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False(lists.Reader.TryRead(out _));
        Assert.Equal(0, informer.Counters.Resyncs);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, await lists.Reader.ReadAsync().AsTask().WaitAsync(InformerTestCluster.Timeout));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(3, await lists.Reader.ReadAsync().AsTask().WaitAsync(InformerTestCluster.Timeout));
        Assert.Equal(2, informer.Counters.Resyncs);
        Assert.Equal(2, informer.Counters.Relists);
        Assert.Equal(1, informer.Count);
        Assert.Equal(0, informer.Counters.Errors);
    }

    [Fact]
    public async Task A_LazySidecar_informer_caches_raw_objects()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await using var informer = new Informer<RawResource>(
            ResourceClients.LazySidecars<RawResource>(cluster.Client), FastInformers, NullLogger.Instance, MetadataSlimmer.Slim);
        var added = new TaskCompletionSource<InformerChange<RawResource>>(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.ObjectChanged += c => added.TrySetResult(c);
        informer.Start();
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(InformerTestCluster.Timeout);

        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            new Dictionary<string, object>
            {
                ["apiVersion"] = "lazymesh.io/v1alpha1",
                ["kind"] = "LazySidecar",
                ["metadata"] = new Dictionary<string, object> { ["name"] = "web" },
                ["spec"] = new Dictionary<string, object> { ["workload"] = "Deployment/web" },
            },
            ResourceClients.LazyMeshGroup, ResourceClients.LazySidecarVersion, "shop", ResourceClients.LazySidecarPlural);

        var change = await added.Task.WaitAsync(InformerTestCluster.Timeout);
        Assert.Equal(InformerChangeType.Added, change.Type);
        Assert.Equal("shop/web", change.Key);
        Assert.Equal("Deployment/web", change.Object["spec"]?["workload"]?.GetValue<string>());
    }

    /// <summary>Completes on the next call of the subscribed handler (the initial list has happened before).</summary>
    private static Task Signal(Action<Action> subscribe)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(() => done.TrySetResult());
        return done.Task;
    }
}
