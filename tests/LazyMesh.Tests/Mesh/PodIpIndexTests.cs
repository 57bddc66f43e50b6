using LazyMesh.Mesh;
using static LazyMesh.Tests.Mesh.MeshYaml;

namespace LazyMesh.Tests.Mesh;

public sealed class PodIpIndexTests
{
    [Theory]
    [InlineData("Succeeded", false)]
    [InlineData("Failed", false)]
    [InlineData("Running", true)]
    [InlineData("Pending", false)]
    public void Running_pod_wins_a_reused_ip_over_a_newer_finished_terminating_or_pending_one(string newerPhase, bool newerTerminating)
    {
        var index = Index(
            Pod("old-running", "10.0.0.5", created: "2025-01-01T00:00:00Z"),
            Pod("new-other", "10.0.0.5", created: "2025-02-01T00:00:00Z", phase: newerPhase, terminating: newerTerminating));

        Assert.Equal(PodIpMatch.Pod, index.FindPod(Ip("10.0.0.5"), out var pod));
        Assert.Equal("old-running", pod!.Name);
        Assert.DoesNotContain(index.Warnings, w => w.Contains("10.0.0.5"));
    }

    [Fact]
    public void Newest_of_two_running_pods_wins_a_reused_ip_and_the_conflict_is_reported()
    {
        var index = Index(
            Pod("new-running", "10.0.0.5", created: "2025-02-01T00:00:00Z"),
            Pod("old-running", "10.0.0.5", created: "2025-01-01T00:00:00Z"));

        Assert.Equal(PodIpMatch.Pod, index.FindPod(Ip("10.0.0.5"), out var pod));
        Assert.Equal("new-running", pod!.Name);
        Assert.Contains(index.Warnings, w => w.Contains("10.0.0.5") && w.Contains("new-running"));
    }

    [Fact]
    public void Terminating_running_pod_loses_to_a_new_running_one_and_beats_a_finished_one()
    {
        var index = Index(
            Pod("terminating", "10.0.0.5", created: "2025-03-01T00:00:00Z", terminating: true),
            Pod("fresh", "10.0.0.5", created: "2025-02-01T00:00:00Z"),
            Pod("term2", "10.0.0.6", created: "2025-01-01T00:00:00Z", terminating: true),
            Pod("done", "10.0.0.6", created: "2025-03-01T00:00:00Z", phase: "Succeeded"));

        index.FindPod(Ip("10.0.0.5"), out var five);
        index.FindPod(Ip("10.0.0.6"), out var six);
        Assert.Equal("fresh", five!.Name);
        Assert.Equal("term2", six!.Name);
        Assert.True(six.Terminating);
    }

    [Fact]
    public void Newest_finished_pod_wins_among_finished_ones()
    {
        var index = Index(
            Pod("a", "10.0.0.7", created: "2025-01-01T00:00:00Z", phase: "Failed"),
            Pod("b", "10.0.0.7", created: "2025-01-02T00:00:00Z", phase: "Succeeded"));

        index.FindPod(Ip("10.0.0.7"), out var pod);
        Assert.Equal("b", pod!.Name);
    }

    [Fact]
    public void Host_network_pod_ip_is_reported_distinctly_and_never_as_a_pod()
    {
        var index = Index(
            Pod("node-agent", "172.18.0.3", hostNetwork: true),
            Pod("other-agent", "172.18.0.3", hostNetwork: true, labels: "{app: other}"));

        Assert.Equal(PodIpMatch.HostNetwork, index.FindPod(Ip("172.18.0.3"), out var pod));
        Assert.Null(pod);
        Assert.Equal(PodIpMatch.None, index.FindPod(Ip("172.18.0.4"), out _));
        Assert.True(index.Pods.All(p => p.HostNetwork));
    }

    [Fact]
    public void Dual_stack_pod_is_found_by_each_address_and_ipv6_alone_works()
    {
        var index = Index(
            Pod("dual", "10.0.0.1", ips: "[{ip: 10.0.0.1}, {ip: \"fd00:10:244::1\"}]"),
            Pod("v6", "fd00:10:244::2", labels: "{app: v6}"));

        Assert.Equal(PodIpMatch.Pod, index.FindPod(Ip("fd00:10:244::1"), out var dual));
        Assert.Equal("dual", dual!.Name);
        Assert.Equal(2, dual.Ips.Count);
        index.FindPod(Ip("10.0.0.1"), out var sameDual);
        Assert.Same(dual, sameDual);
        index.FindPod(Ip("fd00:10:244::2"), out var v6);
        Assert.Equal("v6", v6!.Name);
    }

    [Fact]
    public void Pod_fields_are_kept()
    {
        var index = Index(Pod("p", "10.0.0.1", ready: false, phase: "Pending", created: "2025-04-05T06:07:08Z"));

        var pod = Assert.Single(index.Pods);
        Assert.False(pod.Ready);
        Assert.Equal("Pending", pod.Phase);
        Assert.Equal(new DateTimeOffset(2025, 4, 5, 6, 7, 8, TimeSpan.Zero), pod.Created);
        Assert.Equal("web", pod.Labels["app"]);
    }

    [Fact]
    public void Pending_pod_without_ip_has_a_workload_but_no_address()
    {
        var index = Index(Pod("pending", null, phase: "Pending"));

        Assert.Empty(Assert.Single(index.Pods).Ips);
        Assert.Single(index.Workloads);
    }

    [Fact]
    public void Empty_index_finds_nothing()
    {
        var index = MeshIndex.Empty;

        Assert.Equal(PodIpMatch.None, index.FindPod(Ip("10.0.0.1"), out _));
        Assert.Null(index.FindByHost("a.b.svc.cluster.local"));
        Assert.Null(index.ResolveName("a", "b"));
        Assert.Null(index.FindByAddress(Ip("10.0.0.1"), 80));
        Assert.Empty(index.Workloads);
        Assert.Empty(index.Services);
    }
}
