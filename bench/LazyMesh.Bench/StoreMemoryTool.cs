using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Bench;

/// <summary>
/// Target 4 (issue: ALS): retained managed heap of a <see cref="DependencyStore"/> (GC.GetTotalMemory(true) after
/// minus before) at <c>--workloads</c> x <c>--edges</c>, filled (1) by Learn with shared host and key strings, as the
/// ALS path does (the strings belong to the MeshIndex, so they are created before "before"), and (2) by a restart's
/// restore from a snapshot written by <see cref="DependencyJournal.Compact"/> (every string then belongs to the
/// store). Per-workload and per-edge costs are separated by also filling with 1 edge per workload. Then (3) the
/// MeshIndex of a mesh of that many workloads, and the edges learned against it through its own objects.
/// </summary>
internal static class StoreMemoryTool
{
    public static int Run(string[] args)
    {
        var options = new ToolArgs(args);
        var workloads = options.Int("workloads", 100_000);
        var edges = options.Int("edges", 10);
        var services = options.Int("services", 10_000);
        var mesh = new AlsSyntheticMesh(workloads, services, namespaces: 100, podsPerWorkload: 1, edgesPerWorkload: edges);
        var keys = Enumerable.Range(0, workloads).Select(mesh.WorkloadKey).ToArray();
        var hosts = Enumerable.Range(0, services).Select(mesh.ServiceHost).ToArray();
        Console.WriteLine($"store-memory: {workloads:N0} workloads x {edges} edges over {services:N0} distinct hosts; budget 1,024 B/workload + 150 B/edge");

        var learnOne = Measure(() => Fill(keys, hosts, mesh, 1));
        var learnAll = Measure(() => Fill(keys, hosts, mesh, edges));
        Print("Learn (shared strings)", learnOne.Bytes, learnAll.Bytes, workloads, edges);

        var dir = Path.Combine(Path.GetTempPath(), $"lazymesh-memory-{Environment.ProcessId}");
        try
        {
            long Restore(int perWorkload)
            {
                Directory.CreateDirectory(dir);
                using (var journal = DependencyJournal.Open(dir, new DependencyStore(), out _))
                {
                    journal.Compact(Fill(keys, hosts, mesh, perWorkload));
                }

                var (bytes, _) = Measure(() =>
                {
                    var store = new DependencyStore();
                    DependencyJournal.Open(dir, store, out _).Dispose();
                    return store;
                });
                Directory.Delete(dir, recursive: true);
                return bytes;
            }

            var restoreOne = Restore(1);
            var restoreAll = Restore(edges);
            Print("Restore (snapshot)", restoreOne, restoreAll, workloads, edges);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        keys = null;
        hosts = null;
        var (indexBytes, index) = Measure(() => MeshIndexBuilder.Build(mesh.BuildSnapshot()));
        Console.WriteLine($"MeshIndex of {index.Workloads.Count:N0} workloads / {index.Pods.Count:N0} pods / {index.Services.Count:N0} services: {indexBytes / 1048576.0:N1} MiB = {indexBytes / (double)index.Workloads.Count:N0} B per workload");
        var (learnedBytes, store) = Measure(() =>
        {
            var s = new DependencyStore();
            foreach (var workload in index.Workloads)
            {
                var w = int.Parse(workload.Name.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
                for (var k = 0; k < edges; k++)
                {
                    s.Learn(workload, index.FindByHost(mesh.ServiceFqdn(mesh.KnownService(w, k)))!, 1);
                }
            }

            return s;
        });
        Console.WriteLine($"DependencyStore learned against that index ({store.EdgeCount:N0} edges): {learnedBytes / 1048576.0:N1} MiB = {learnedBytes / (double)store.WorkloadCount:N0} B per workload incl. its {edges} edges");
        GC.KeepAlive(index);
        return 0;
    }

    private static DependencyStore Fill(string[] keys, string[] hosts, AlsSyntheticMesh mesh, int perWorkload)
    {
        var store = new DependencyStore();
        for (var w = 0; w < keys.Length; w++)
        {
            for (var k = 0; k < perWorkload; k++)
            {
                store.Learn(keys[w], hosts[mesh.KnownService(w, k)], 1_700_000_000_000 + k);
            }
        }

        return store;
    }

    private static (long Bytes, T Value) Measure<T>(Func<T> build)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var value = build();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(value);
        return (after - before, value);
    }

    private static void Print(string what, long one, long all, int workloads, int edges)
    {
        var perEdge = (all - one) / (double)((long)workloads * (edges - 1));
        var perWorkload = (one / (double)workloads) - perEdge;
        var budget = (workloads * 1024L) + ((long)workloads * edges * 150L);
        Console.WriteLine($"{what,-24}: {all / 1048576.0,7:N1} MiB total ({(all <= budget ? "within" : "OVER")} the {budget / 1048576.0:N1} MiB budget); " +
            $"{perWorkload,6:N0} B per workload + {perEdge,5:N0} B per edge");
    }
}
