using System.Globalization;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.KubeTesting;
using Microsoft.Extensions.Time.Testing;
using static LazyMesh.Tests.Kubernetes.Sink.KubeAssert;

namespace LazyMesh.Tests.Kubernetes.Sink;

public sealed class ExpiryTests
{
    [Fact]
    public async Task Stale_hosts_are_marked_then_removed_after_grace_unless_seen_again_and_static_hosts_never_expire()
    {
        await using var server = await SinkHarness.StartServerAsync();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-06-01T00:00:00Z", CultureInfo.InvariantCulture));
        var inventory = SinkHarness.Shop.Replace("labels: {app: web}}", "labels: {app: web}, annotations: {lazymesh.io/static-hosts: \"ext/pinned.example.com\"}}", StringComparison.Ordinal);
        using var leader = new SinkHarness(server, inventory, time);
        leader.Store.Learn(SinkHarness.Web, "ext/old.example.com", leader.Now);
        leader.Store.Learn(SinkHarness.Web, "ext/back.example.com", leader.Now);
        leader.Store.Learn(SinkHarness.Web, "ext/pinned.example.com", leader.Now);
        await leader.ReconcileAsync(SinkHarness.Web, expire: true);

        // Past the TTL: both learned hosts are marked, nothing removed yet.
        time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await leader.ReconcileAsync(SinkHarness.Web, expire: true);
        var lazy = LazySidecar(server, "lazymesh-pod-web")!;
        var marked = lazy["status"]!["learnedHosts"]!.AsArray().Where(h => h!["expiringSince"] is not null).Select(h => h!["host"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["ext/back.example.com", "ext/old.example.com"], marked);
        Assert.Contains("ext/old.example.com", Hosts(Sidecar(server, "lazymesh-pod-web")!));

        // One is seen again (on the leader here): the mark is cleared.
        time.Advance(TimeSpan.FromHours(2));
        leader.Store.Learn(SinkHarness.Web, "ext/back.example.com", leader.Now);
        await leader.ReconcileAsync(SinkHarness.Web, expire: true);
        lazy = LazySidecar(server, "lazymesh-pod-web")!;
        Assert.Null(lazy["status"]!["learnedHosts"]!.AsArray().Single(h => h!["host"]!.GetValue<string>() == "ext/back.example.com")!["expiringSince"]);

        // After the grace period the unseen one goes, from status, store and Sidecar; the static one stays.
        time.Advance(TimeSpan.FromDays(1));
        await leader.ReconcileAsync(SinkHarness.Web, expire: true);
        lazy = LazySidecar(server, "lazymesh-pod-web")!;
        Assert.Equal(["ext/back.example.com", "ext/pinned.example.com"], LearnedHosts(lazy));
        Assert.Equal(["ext/back.example.com", "ext/pinned.example.com", "istio-system/*"], Hosts(Sidecar(server, "lazymesh-pod-web")!));
        Assert.False(leader.Store.Find(SinkHarness.Web)!.TryGet("ext/old.example.com", out _));

        // A follower that had synced the removed host does not resurrect it.
        using var follower = new SinkHarness(server, inventory, time);
        follower.Store.Restore(SinkHarness.Web, "ext/old.example.com", DateTimeOffset.Parse("2025-06-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), DateTimeOffset.Parse("2025-06-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        follower.Synced.Set(SinkHarness.Web, [new LazyMesh.Kubernetes.State.LearnedHostRecord("ext/old.example.com", 0, DateTimeOffset.Parse("2025-06-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds())]);
        await follower.ReconcileAsync(SinkHarness.Web);
        Assert.DoesNotContain("ext/old.example.com", LearnedHosts(LazySidecar(server, "lazymesh-pod-web")!));
        Assert.False(follower.Store.Find(SinkHarness.Web)!.TryGet("ext/old.example.com", out _));
    }
}
