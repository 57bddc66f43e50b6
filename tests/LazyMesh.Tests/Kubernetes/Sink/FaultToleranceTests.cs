using LazyMesh.KubeTesting;
using static LazyMesh.Tests.Kubernetes.Sink.KubeAssert;
using static LazyMesh.Tests.Kubernetes.Sink.SinkHarness;

namespace LazyMesh.Tests.Kubernetes.Sink;

public sealed class FaultToleranceTests
{

    [Fact]
    public async Task Converges_through_a_409_storm()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = new SinkHarness(server);
        replica.Store.Learn(Web, Cart, replica.Now);
        server.Faults.ConflictNextWrites(6);
        await replica.ReconcileAsync(Web);
        Assert.Equal(["istio-system/*", Cart], Hosts(Sidecar(server, "lazymesh-pod-web")!));
        Assert.Equal([Cart], LearnedHosts(LazySidecar(server, "lazymesh-pod-web")!));
        Assert.True(replica.Sink.Stats.Retries + replica.Sink.Stats.StatusConflicts >= 6);
    }

    [Fact]
    public async Task Converges_through_500s_and_429s_with_retry_after()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = new SinkHarness(server);
        replica.Store.Learn(Web, Cart, replica.Now);
        server.Faults.FailNextRequests(3, 500);
        await replica.ReconcileAsync(Web);
        Assert.NotNull(Sidecar(server, "lazymesh-pod-web"));

        replica.Store.Learn(Web, "ext/api.example.com", replica.Now);
        server.Faults.ThrottleNextRequests(1, TimeSpan.FromSeconds(1));
        var started = TimeProvider.System.GetTimestamp();
        await replica.ReconcileAsync(Web);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9), "Retry-After honoured");
        Assert.Equal(["ext/api.example.com", "istio-system/*", Cart], Hosts(Sidecar(server, "lazymesh-pod-web")!));
    }

    [Fact]
    public async Task Converges_after_an_outage()
    {
        await using var server = await SinkHarness.StartServerAsync();
        using var replica = new SinkHarness(server);
        replica.Store.Learn(Web, Cart, replica.Now);
        await server.Faults.StartOutageAsync(mode: OutageMode.ServiceUnavailable);
        var reconcile = replica.ReconcileAsync(Web);
        await Task.WhenAny(reconcile, WhenRetriedAsync(replica));
        await server.Faults.EndOutageAsync();
        await reconcile;
        Assert.Equal(["istio-system/*", Cart], Hosts(Sidecar(server, "lazymesh-pod-web")!));
    }

    private static async Task WhenRetriedAsync(SinkHarness replica)
    {
        while (replica.Sink.Stats.Retries < 2)
        {
            await Task.Yield();
        }
    }
}
