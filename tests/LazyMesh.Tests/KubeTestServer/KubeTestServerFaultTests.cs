using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Models;
using LazyMesh.KubeTesting;
using static LazyMesh.Tests.KubeTesting.KubeTestServerFixture;

namespace LazyMesh.Tests.KubeTesting;

public sealed class KubeTestServerFaultTests
{
    [Fact]
    public async Task DropWatches_ends_open_watches_gracefully_or_by_reset()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");

        using var graceful = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true));
        await graceful.NextAsync();
        Assert.Equal(1, server.Faults.DropWatches());
        await graceful.WaitClosedAsync();

        using var reset = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true));
        await reset.NextAsync();
        Assert.Equal(1, server.Faults.DropWatches(abortConnections: true));
        await reset.NextErrorAsync();
        await reset.WaitClosedAsync();
    }

    [Fact]
    public async Task FailNextWatchesWithGone_sends_a_410_error_event()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        server.Faults.FailNextWatchesWithGone(1);

        using var failed = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true));
        var error = Assert.IsType<KubernetesException>(await failed.NextErrorAsync());
        Assert.Equal(410, error.Status.Code);
        await failed.WaitClosedAsync();

        using var next = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true));
        Assert.Equal(WatchEventType.Added, (await next.NextAsync()).Type);
    }

    [Fact]
    public async Task ConflictNextWrites_fails_writes_with_409_and_stats_count_them()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        server.Faults.ConflictNextWrites(1);

        var e = await ThrowsApiAsync(HttpStatusCode.Conflict, () => client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default"));
        Assert.Equal("Conflict", StatusOf(e).Reason);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        await client.CoreV1.ReadNamespacedPodAsync("a", "default");
        await client.CoreV1.ListNamespacedPodAsync("default");

        Assert.Equal(2, server.Stats.Writes);
        Assert.Equal(2, server.Stats.Count("create", "pods"));
        Assert.Equal(1, server.Stats.Count("get"));
        Assert.Equal(1, server.Stats.Count("list", "pods"));
        Assert.Equal(2, server.Stats.WritesTo("pods"));
        server.Stats.Reset();
        Assert.Equal(0, server.Stats.Total);
    }

    [Fact]
    public async Task FailNextRequests_hits_only_matching_requests_with_500_or_429_and_Retry_After()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        server.Faults.FailNextRequests(1, 500, r => r.Verb == "list" && r.Resource == "pods");

        await client.CoreV1.ReadNamespacedPodAsync("a", "default");
        var e = await ThrowsApiAsync(HttpStatusCode.InternalServerError, () => client.CoreV1.ListNamespacedPodAsync("default"));
        Assert.Equal("InternalError", StatusOf(e).Reason);
        await client.CoreV1.ListNamespacedPodAsync("default");

        server.Faults.ThrottleNextRequests(1, TimeSpan.FromSeconds(2));
        var throttled = await ThrowsApiAsync(HttpStatusCode.TooManyRequests, () => client.CoreV1.ReadNamespacedPodAsync("a", "default"));
        Assert.Equal("2", Assert.Single(throttled.Response.Headers["Retry-After"]));
        Assert.Equal(2, StatusOf(throttled).Details.RetryAfterSeconds);
        await client.CoreV1.ReadNamespacedPodAsync("a", "default");
    }

    [Fact]
    public async Task Latency_delays_every_response_until_cleared()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.ListNamespaceAsync();
        server.Faults.Latency = TimeSpan.FromMilliseconds(300);

        var watch = Stopwatch.StartNew();
        await client.CoreV1.ListNamespaceAsync();
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {watch.Elapsed}");

        server.Faults.Clear();
        Assert.Equal(TimeSpan.Zero, server.Faults.Latency);
    }

    [Fact]
    public async Task Connection_refused_outage_until_cleared_then_same_address_serves_again()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        var address = server.BaseAddress;
        using var watch = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true));
        await watch.NextAsync();

        await server.Faults.StartOutageAsync();
        Assert.True(server.Faults.InOutage);
        await watch.WaitClosedAsync();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespacedPodAsync("default"));
        Assert.Equal(HttpRequestError.ConnectionError, refused.HttpRequestError);

        await server.Faults.EndOutageAsync();
        Assert.Equal(address, server.BaseAddress);
        Assert.Single((await client.CoreV1.ListNamespacedPodAsync("default")).Items);
    }

    [Fact]
    public async Task Timed_outage_ends_by_itself()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await server.Faults.StartOutageAsync(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());

        await server.Faults.OutageEnded.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(server.Faults.InOutage);
        await client.CoreV1.ListNamespaceAsync();
    }

    [Fact]
    public async Task Service_unavailable_outage_answers_503()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await server.Faults.StartOutageAsync(mode: OutageMode.ServiceUnavailable);

        var e = await ThrowsApiAsync(HttpStatusCode.ServiceUnavailable, () => client.CoreV1.ListNamespaceAsync());
        Assert.Equal("ServiceUnavailable", StatusOf(e).Reason);

        await server.Faults.EndOutageAsync();
        await client.CoreV1.ListNamespaceAsync();
    }
}
