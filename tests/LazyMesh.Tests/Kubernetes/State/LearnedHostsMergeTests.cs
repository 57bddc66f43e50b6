using LazyMesh.Kubernetes.State;

namespace LazyMesh.Tests.Kubernetes.State;

public sealed class LearnedHostsMergeTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Union_keeps_earliest_first_seen_and_latest_last_seen_and_writes_last_seen_coarsely()
    {
        IReadOnlyList<LearnedHostRecord> remote = [new("a/x", 1000, 5000)];
        var synced = new Dictionary<string, long> { ["a/x"] = 5000 };

        var small = LearnedHostsMerge.Merge(remote, [new("a/x", 2000, 6000)], synced, Hour);
        Assert.False(small.Changed);

        var late = LearnedHostsMerge.Merge(remote, [new("a/x", 500, 5000 + Hour)], synced, Hour);
        Assert.True(late.Changed);
        Assert.Equal(new LearnedHostRecord("a/x", 0, 5000 + Hour), late.Hosts.Single());

        var added = LearnedHostsMerge.Merge(remote, [new("b/y", 7000, 7000)], synced, Hour);
        Assert.Equal(["b/y"], added.Added);
        Assert.Equal(["a/x", "b/y"], added.Hosts.Select(h => h.Host));
    }

    [Fact]
    public void A_host_the_leader_expired_is_forgotten_unless_seen_again()
    {
        var synced = new Dictionary<string, long> { ["a/x"] = 5000 };
        var gone = LearnedHostsMerge.Merge([], [new("a/x", 1000, 5000)], synced, Hour);
        Assert.Equal(["a/x"], gone.Forgotten);
        Assert.Empty(gone.Hosts);

        var back = LearnedHostsMerge.Merge([], [new("a/x", 1000, 5000 + Hour)], synced, Hour);
        Assert.Empty(back.Forgotten);
        Assert.Equal(["a/x"], back.Added);
    }

    [Fact]
    public void Seen_again_clears_an_expiry_mark()
    {
        var merged = LearnedHostsMerge.Merge([new("a/x", 0, 1000, 9000)], [new("a/x", 0, 2000)], new Dictionary<string, long>(), Hour);
        Assert.True(merged.Changed);
        Assert.Null(merged.Hosts.Single().ExpiringSinceMs);
    }

    [Theory]
    [InlineData("168h", 168 * 60)]
    [InlineData("1h30m", 90)]
    [InlineData("1.5h", 90)]
    public void Go_durations_parse(string text, int minutes)
    {
        Assert.True(GoDuration.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromMinutes(minutes), d);
    }

    [Fact]
    public void Bad_go_durations_are_rejected() => Assert.False(GoDuration.TryParse("7d", out _));
}
