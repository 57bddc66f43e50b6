using LazyMesh.Learning;

namespace LazyMesh.Tests.Learning;

public sealed class DependencyStoreTests
{
    [Fact]
    public void New_edge_then_known_edge_moves_last_seen_forward_only()
    {
        var store = new DependencyStore();
        Assert.Equal(LearnResult.New, store.Learn("bookinfo/Deployment/productpage-v1", "bookinfo/details.bookinfo.svc.cluster.local", 1000));
        Assert.Equal(LearnResult.Known, store.Learn("bookinfo/Deployment/productpage-v1", "bookinfo/details.bookinfo.svc.cluster.local", 5000));
        Assert.Equal(LearnResult.Known, store.Learn("bookinfo/Deployment/productpage-v1", "bookinfo/details.bookinfo.svc.cluster.local", 3000));

        var host = Assert.Single(store.Find("bookinfo/Deployment/productpage-v1")!.Snapshot());
        Assert.Equal(1000, host.FirstSeenUnixMs);
        Assert.Equal(5000, host.LastSeenUnixMs);
        Assert.Equal(1, store.EdgeCount);
    }

    [Fact]
    public void Cap_rejects_new_hosts_but_keeps_touching_known_ones()
    {
        var store = new DependencyStore(maxHostsPerWorkload: 2);
        Assert.Equal(LearnResult.New, store.Learn("w", "ns/a", 1));
        Assert.Equal(LearnResult.New, store.Learn("w", "ns/b", 1));
        Assert.Equal(LearnResult.Capped, store.Learn("w", "ns/c", 1));
        Assert.Equal(LearnResult.Known, store.Learn("w", "ns/a", 2));
        Assert.Equal(LearnResult.New, store.Learn("other", "ns/c", 1));
        Assert.Equal(3, store.EdgeCount);
        Assert.Equal(1, store.CappedCount);
    }

    [Fact]
    public void Restore_is_not_capped_and_forget_removes()
    {
        var store = new DependencyStore(maxHostsPerWorkload: 1);
        store.Restore("w", "ns/a", 1, 2);
        store.Restore("w", "ns/b", 1, 2);
        store.Restore("w", "ns/b", 1, 9);
        Assert.Equal(2, store.EdgeCount);
        Assert.Equal(9, store.Find("w")!.Snapshot()[1].LastSeenUnixMs);
        Assert.True(store.Forget("w", "ns/a"));
        Assert.False(store.Forget("w", "ns/a"));
        Assert.Equal(1, store.EdgeCount);
    }

    [Fact]
    public void Concurrent_learning_counts_each_edge_once()
    {
        var store = new DependencyStore();
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 2000; i++)
            {
                store.Learn($"w{i % 10}", $"ns/h{i % 50}", worker * 10_000 + i);
            }
        });
        Assert.Equal(10 * 5, store.EdgeCount);
        Assert.Equal(10, store.Snapshot().Count);
        Assert.All(store.Snapshot(), w => Assert.Equal(5, w.Count));
    }

    [Fact]
    public void Known_edge_path_does_not_allocate()
    {
        var store = new DependencyStore();
        const string workload = "bookinfo/Deployment/productpage-v1";
        const string host = "bookinfo/details.bookinfo.svc.cluster.local";
        store.Learn(workload, host, 1);
        for (var i = 0; i < 100; i++)
        {
            store.Learn(workload, host, i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            store.Learn(workload, host, i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Restore_holds_one_instance_of_a_host_shared_by_many_edges()
    {
        var store = new DependencyStore();
        var host = "bookinfo/details.bookinfo.svc.cluster.local";
        store.Restore("bookinfo/Deployment/a", new string(host.AsSpan()), 1, 2);
        store.Restore("bookinfo/Deployment/b", new string(host.AsSpan()), 1, 2);

        var a = Assert.Single(store.Find("bookinfo/Deployment/a")!.Snapshot()).Host;
        var b = Assert.Single(store.Find("bookinfo/Deployment/b")!.Snapshot()).Host;
        Assert.Equal(host, a);
        Assert.Same(a, b);
        Assert.Equal(2, store.EdgeCount);
    }
}
