using System.Diagnostics;
using System.Globalization;
using LazyMesh.Bench;
using LazyMesh.Mesh;

namespace LazyMesh.ChurnBench;

/// <summary>
/// <c>index-only [--changes N] [--rate R]</c>: the index alone, no API server: a 50,000-pod index (5,000 Deployments,
/// 10 pods and 2 Services each) updated by <see cref="MeshIndexUpdater.TryApplyPods"/>, one pod change at a time at R
/// changes a second (0: back to back), cycling through an IP change, a new pod and a pod deleted. Two updaters side by
/// side, change for change: overlays merged on the thread pool (as shipped) and merged on the update (as before). Prints
/// p50/p99/max of each update's wall time.
/// </summary>
internal static class IndexOnlyRun
{
    private const int Deployments = 5000;
    private const int PodsPerDeployment = 10;

    public static async Task<int> RunAsync(int changes, int perSecond)
    {
        var mesh = new UpdatableMesh(Deployments, PodsPerDeployment, servicesPerDeployment: 2);
        var snapshot = mesh.Snapshot();
        var inline = new LayerMergePolicy(LayeredMaps.CompactionThreshold, static merge => merge());
        var runs = new (string Name, MeshIndexUpdater Updater, Percentiles Cost)[]
        {
            ("merged in the background", new MeshIndexUpdater(), new Percentiles()),
            ("merged on the update", new MeshIndexUpdater(null, inline), new Percentiles()),
        };
        foreach (var run in runs)
        {
            run.Updater.Rebuild(snapshot);
        }

        var whileMerging = 0;
        var gcs = GC.CollectionCount(0);
        var pauses = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        var interval = perSecond > 0 ? TimeSpan.FromSeconds(1.0 / perSecond) : TimeSpan.Zero;
        for (var i = 0; i < changes; i++)
        {
            var wait = (interval * i) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var change = Change(mesh, i);
            foreach (var (name, updater, cost) in runs)
            {
                var started = Stopwatch.GetTimestamp();
                var index = updater.TryApplyPods([change]) ?? throw new InvalidOperationException($"{name}: change {i} refused: {updater.LastRefusal}");
                cost.Add(Stopwatch.GetElapsedTime(started));
                if (ReferenceEquals(updater, runs[0].Updater) && index.Merging > 0)
                {
                    whileMerging++;
                }
            }
        }

        Console.WriteLine(FormattableString.Invariant(
            $"index only: {Deployments * PodsPerDeployment} pods, {Deployments * 2} Services; {changes} pod changes at {(perSecond > 0 ? $"{perSecond}/s" : "full speed")} in {clock.Elapsed.TotalSeconds:F1} s, {GC.CollectionCount(0) - gcs} GCs ({(GC.GetTotalPauseDuration() - pauses).TotalMilliseconds:F0} ms paused); load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        foreach (var (name, _, cost) in runs)
        {
            Console.WriteLine($"  {name,-26} {cost}");
        }

        Console.WriteLine(FormattableString.Invariant($"  {whileMerging} of {changes} background updates made while an overlay was merging"));
        return 0;
    }

    /// <summary>In turn: a seeded pod moves to a new IP, a new pod joins a Deployment, the oldest such new pod goes.</summary>
    private static PodChange Change(UpdatableMesh mesh, int i)
    {
        var n = i / 3;
        var d = (n * 7919) % Deployments;
        var ip = string.Create(CultureInfo.InvariantCulture, $"10.{2 + ((i >> 16) & 63)}.{(i >> 8) & 255}.{i & 255}");
        switch (i % 3)
        {
            case 0:
                var moved = mesh.Pod(d, n % PodsPerDeployment, ip);
                return new PodChange(mesh.Key(moved), moved);
            case 1:
                var added = mesh.Pod(d, PodsPerDeployment + n, ip);
                return new PodChange(mesh.Key(added), added);
            default:
                var gone = mesh.Pod(d, PodsPerDeployment + n, ip);
                return new PodChange(mesh.Key(gone), null);
        }
    }
}
