using CsCheck;
using LazyMesh.Mesh;
using LazyMesh.Tests.Fuzzing;
using Xunit.Abstractions;

namespace LazyMesh.Tests.Mesh;

public sealed class MeshIndexUpdaterTests(ITestOutputHelper output)
{
    /// <summary>One pod operation: its kind, then numbers that pick the pod, owner, IP, phase or labels.</summary>
    public readonly record struct Operation(int Kind, int A, int B, int C);

    /// <summary>
    /// The lookups' merge threshold, then batches of pod operations, each followed by a pick of the queued overlay
    /// merges to run (bit i: the i-th queued; 0 runs none, leaving them to the updates).
    /// </summary>
    private static readonly Gen<(int Threshold, (Operation[] Operations, int Merges)[] Batches)> Runs =
        Gen.Select(
            Gen.Int[0, 12],
            Gen.Select(
                Gen.Select(Gen.Int[0, 6], Gen.Int[0, 999], Gen.Int[0, 999], Gen.Int[0, 999], (kind, a, b, c) => new Operation(kind, a, b, c)).Array[1, 3],
                Gen.Int[0, 7]).Array[1, 25]);

    [Fact]
    public void An_index_updated_by_pod_parts_answers_every_lookup_as_the_index_rebuilt_whole_wherever_overlay_merges_run()
    {
        var byParts = 0;
        var refused = 0;
        var merged = 0;
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        FuzzRun.Check(
            Runs,
            run =>
            {
                var cluster = new PodChangeCluster();
                var merges = new ManualLayerMerges(run.Threshold);
                var updater = new MeshIndexUpdater(null, merges.Policy);
                updater.Rebuild(cluster.Snapshot());
                (MeshIndex Index, List<string> Lines)? previous = null;
                foreach (var (batch, pick) in run.Batches)
                {
                    var changes = batch.Select(op => Apply(cluster, op)).OfType<PodChange>().ToList();
                    var snapshot = cluster.Snapshot();
                    var updated = updater.TryApplyPods(changes);
                    merges.Run(pick);
                    if (updated is null)
                    {
                        Interlocked.Increment(ref refused);
                        lock (reasons)
                        {
                            var reason = System.Text.RegularExpressions.Regex.Replace(updater.LastRefusal!, "[-/a-z0-9.]+[0-9][-/a-z0-9.]*", "#");
                            reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                        }

                        updated = updater.Rebuild(snapshot);
                    }
                    else
                    {
                        Interlocked.Increment(ref byParts);
                    }

                    var whole = MeshIndexBuilder.Build(snapshot);
                    var lines = MeshIndexObservation.Lines(updated, whole);
                    Assert.Equal(MeshIndexObservation.Lines(whole, updated), lines);

                    // A reader holding the previous index sees it unchanged by this update and the merges since.
                    if (previous is { } held)
                    {
                        Assert.Equal(held.Lines, MeshIndexObservation.Lines(held.Index, held.Index));
                    }

                    previous = (updated, MeshIndexObservation.Lines(updated, updated));
                }

                Interlocked.Add(ref merged, merges.Started);
            },
            iterations: 300,
            output,
            run => $"threshold {run.Threshold}: " + string.Join(" | ", run.Batches.Select(b => $"{string.Join(", ", b.Operations)} merges {b.Merges}")));

        output.WriteLine($"{byParts} batches applied by parts, {refused} refused (rebuilt whole), {merged} overlay merges started");
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value).Take(8))
        {
            output.WriteLine($"  {count} refused: {reason}");
        }

        // The cluster is built to refuse often (overlapping selectors, bare pods, shared IPs, hostNetwork): the
        // property is the equality above; this only guards against a by-parts path that never runs.
        Assert.True(byParts * 10 > byParts + refused, $"only {byParts} of {byParts + refused} batches were applied by parts");
        Assert.True(merged > 0, "no overlay merge ran");
    }

    [Fact]
    public void A_new_pod_of_a_workload_is_applied_by_parts_sharing_every_other_part()
    {
        var (cluster, updater, before) = PodChangeCluster.Started();
        var key = cluster.Add("ns-a", "api", "10.0.9.1");

        var after = updater.TryApplyPods([cluster.Change(key)]);

        Assert.NotNull(after);
        Assert.Null(updater.LastRefusal);
        Assert.Same(after, updater.Current);
        Assert.Equal(PodIpMatch.Pod, after.FindPod(Ip("10.0.9.1"), out var pod));
        Assert.Equal("ns-a/Deployment/api", pod!.Workload.Key);
        Assert.Contains(pod, pod.Workload.Pods);
        Assert.Equal(3, after.FindByHost("api.ns-a.svc.cluster.local")!.Ports[0].ReadyEndpoints);
        Assert.Equal(2, before.FindByHost("api.ns-a.svc.cluster.local")!.Ports[0].ReadyEndpoints);
        Assert.Same(before.Namespaces, after.Namespaces);
        Assert.Same(before.Sidecars, after.Sidecars);
        Assert.Same(before.Warnings, after.Warnings);
        Assert.Same(before.FindWorkload("ns-b/Deployment/api"), after.FindWorkload("ns-b/Deployment/api"));
        Assert.Equal(PodIpMatch.None, before.FindPod(Ip("10.0.9.1"), out _));
        Assert.Equal(MeshIndexObservation.Lines(MeshIndexBuilder.Build(cluster.Snapshot()), after), MeshIndexObservation.Lines(after, after));
    }

    [Fact]
    public void A_deleted_pod_leaves_its_ip_and_its_headless_service_addresses()
    {
        var (cluster, updater, before) = PodChangeCluster.Started();
        var key = cluster.PodKeys.First(k => k.StartsWith("ns-a/api-", StringComparison.Ordinal));
        var ip = cluster[key].Status.PodIP;
        Assert.Equal("api-headless.ns-a.svc.cluster.local", before.FindByAddress(Ip(ip), 8080)?.Host);
        cluster.Delete(key);

        var after = updater.TryApplyPods([new PodChange(key, null)]);

        Assert.NotNull(after);
        Assert.Equal(PodIpMatch.None, after.FindPod(Ip(ip), out _));
        Assert.Null(after.FindByAddress(Ip(ip), 8080));
        Assert.Single(after.FindWorkload("ns-a/Deployment/api")!.Pods);
    }

    [Theory]
    [InlineData("canary", "selector matches it")] // web's selector {app: web} matches canary pods: web's narrowing reads them
    [InlineData("bare", "is new")] // a bare pod is a workload of its own
    public void A_change_whose_effects_are_not_local_is_refused(string owner, string reason)
    {
        var (cluster, updater, before) = PodChangeCluster.Started();
        var key = cluster.Add("ns-a", owner, "10.0.9.2");

        Assert.Null(updater.TryApplyPods([cluster.Change(key)]));

        Assert.Contains(reason, updater.LastRefusal, StringComparison.Ordinal);
        Assert.Same(before, updater.Current);
        Assert.Null(updater.TryApplyPods([])); // stale parts: only a rebuild makes them whole again
        Assert.NotNull(updater.Rebuild(cluster.Snapshot()).FindWorkload("ns-a/Pod/" + cluster[key].Metadata.Name) ?? updater.Current.FindWorkload("ns-a/Deployment/canary"));
    }

    [Fact]
    public void An_ip_taken_by_another_pod_is_refused()
    {
        var (cluster, updater, _) = PodChangeCluster.Started();
        var taken = cluster[cluster.PodKeys.First()].Status.PodIP;
        var key = cluster.Add("ns-b", "api", taken);

        Assert.Null(updater.TryApplyPods([cluster.Change(key)]));
        Assert.Contains("held by another pod", updater.LastRefusal, StringComparison.Ordinal);
    }

    private static IpKey Ip(string text) => IpKey.TryParse(text, out var ip) ? ip : throw new ArgumentException(text);

    private static PodChange? Apply(PodChangeCluster cluster, Operation op)
    {
        var keys = cluster.PodKeys.ToArray();
        string IpOf(int n) => n % 7 == 0 ? null! : $"10.0.{n % 2}.{n % 24}";
        switch (op.Kind)
        {
            case 0:
            case 1:
                var ns = PodChangeCluster.Namespaces[op.A % PodChangeCluster.Namespaces.Length];
                var owner = PodChangeCluster.Owners[op.B % PodChangeCluster.Owners.Length];
                var added = cluster.Add(ns, owner, op.C % 5 == 0 ? IpOf(op.C) : $"10.1.{op.A % 200}.{op.C % 250}", op.C % 11 == 0 ? "Pending" : "Running", op.C % 3 != 0);
                return new PodChange(added, cluster[added]);
            case 2 when keys.Length > 0:
                var deleted = keys[op.A % keys.Length];
                cluster.Delete(deleted);
                return new PodChange(deleted, null);
            case 3 when keys.Length > 0:
                var moved = keys[op.A % keys.Length];
                return new PodChange(moved, cluster.Replace(moved, p => PodChangeCluster.SetStatus(p, op.B % 4 == 0 ? IpOf(op.B) : $"10.2.{op.B % 200}.{op.C % 250}", p.Status.Phase, true)));
            case 4 when keys.Length > 0:
                var phased = keys[op.A % keys.Length];
                return new PodChange(phased, cluster.Replace(phased, p => PodChangeCluster.SetStatus(p, p.Status.PodIP, op.B % 3 == 0 ? "Succeeded" : "Running", op.C % 2 == 0)));
            case 5 when keys.Length > 0:
                var relabelled = keys[op.A % keys.Length];
                return new PodChange(relabelled, cluster.Replace(relabelled, p => p.Metadata.Labels["app"] = PodChangeCluster.Apps[op.B % PodChangeCluster.Apps.Length]));
            case 6 when keys.Length > 0:
                var hosted = keys[op.A % keys.Length];
                return new PodChange(hosted, cluster.Replace(hosted, p =>
                {
                    p.Spec.HostNetwork = op.B % 2 == 0;
                    p.Metadata.DeletionTimestamp = op.C % 5 == 0 ? DateTime.UnixEpoch : null;
                }));
            default:
                return null;
        }
    }
}
