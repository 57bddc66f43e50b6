using System.Diagnostics;
using System.Globalization;
using LazyMesh.Kubernetes.Connection;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.KubeTesting;
using Microsoft.Extensions.Logging.Abstractions;

namespace LazyMesh.InformerBench;

/// <summary>
/// <c>dotnet run -c Release --project bench/LazyMesh.InformerBench -- [--pods N] [--services N] [--deployments N] [--no-slim]</c>:
/// starts a KubeTestServer in a child process (<c>serve</c> mode), fills it, then measures in this process the time
/// from <see cref="KubernetesInventory.Start"/> to ready (all informers synced and the first index built), the managed
/// heap and the process working set.
/// </summary>
public static class InformerBenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var pods = Option(args, "--pods", 50_000);
        var services = Option(args, "--services", 10_000);
        var deployments = Option(args, "--deployments", 5_000);
        var namespaces = Option(args, "--namespaces", 100);
        return args.Length > 0 && args[0] == "serve"
            ? await ServeAsync(args[1], new ClusterSeeder(new Uri("http://placeholder/"), namespaces, deployments, pods, services), namespaces, deployments, pods, services)
            : await MeasureAsync(args, namespaces, deployments, pods, services);
    }

    private static async Task<int> ServeAsync(string kubeconfig, ClusterSeeder description, int namespaces, int deployments, int pods, int services)
    {
        using var pauses = new GcPauseRecorder();
        await using var server = new KubeTestServer(new KubeTestServerOptions { HistoryCapacity = 1000 });
        await server.StartAsync();
        var seed = Stopwatch.StartNew();
        await new ClusterSeeder(server.BaseAddress, namespaces, deployments, pods, services).SeedAsync();
        server.WriteKubeconfig(kubeconfig);
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(FormattableString.Invariant($"seeded {description} in {seed.Elapsed.TotalSeconds:F1} s; server working set {self.WorkingSet64 / 1048576} MB"));
        Console.WriteLine("READY");

        // Until stdin closes: "stats" answers with the server's write counters, "pauses" with its GC pauses of 20 ms or
        // more (a line each for SeededServerProcess).
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "stats")
            {
                Console.WriteLine(FormattableString.Invariant($"stats {server.Stats.Writes} {server.NoOpWrites}"));
            }
            else if (command == "pauses")
            {
                Console.WriteLine(string.Join(' ', ["pauses", .. pauses.AtLeast(TimeSpan.FromMilliseconds(20)).Select(static p => p.ToToken())]));
            }
        }

        return 0;
    }

    private static async Task<int> MeasureAsync(string[] args, int namespaces, int deployments, int pods, int services)
    {
        var slim = !args.Contains("--no-slim");
        await using var server = await SeededServerProcess.StartAsync("informer-bench", namespaces, deployments, pods, services);
        if (server is null)
        {
            return 1;
        }

        var (child, kubeconfig) = (server.Process, server.Kubeconfig);
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        var baseline = self.WorkingSet64;
        using var client = KubeConnection.Create(kubeconfig, null);
        var clientCpu = self.TotalProcessorTime;
        child.Refresh();
        var serverCpu = child.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var pauses = GC.GetTotalPauseDuration();
        var gcs = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var pageSize = Option(args, "--page-size", InformerOptions.Default.PageSize);
        await using var inventory = new KubernetesInventory(
            client, new KubernetesInventoryOptions { SlimObjects = slim, Informers = InformerOptions.Default with { PageSize = pageSize } }, NullLogger.Instance);
        var synced = inventory.Informers.ToDictionary(i => i.Resource, i => i.WaitForSyncAsync(CancellationToken.None).ContinueWith(_ => clock.Elapsed, TaskScheduler.Default));
        inventory.Start();
        await inventory.WaitForSyncAsync(CancellationToken.None);
        var ready = clock.Elapsed;
        self.Refresh();
        child.Refresh();
        clientCpu = self.TotalProcessorTime - clientCpu;
        serverCpu = child.TotalProcessorTime - serverCpu;
        allocated = GC.GetTotalAllocatedBytes(precise: false) - allocated;
        pauses = GC.GetTotalPauseDuration() - pauses;
        gcs = GC.CollectionCount(0) - gcs;
        var peakWorkingSet = self.PeakWorkingSet64;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        self.Refresh();
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var index = inventory.Holder.Current;
        Console.WriteLine(FormattableString.Invariant($"slim objects: {slim}, page size {pageSize}"));
        Console.WriteLine(FormattableString.Invariant($"time to ready: {ready.TotalSeconds:F2} s (first index build {inventory.LastBuildDuration.TotalMilliseconds:F0} ms)"));
        Console.WriteLine(FormattableString.Invariant(
            $"cpu until ready: controller {clientCpu.TotalSeconds:F2} s, API server {serverCpu.TotalSeconds:F2} s; controller allocated {allocated / 1048576} MB, {gcs} GCs, {pauses.TotalMilliseconds:F0} ms paused"));
        var gc = GC.GetConfigurationVariables();
        Console.WriteLine(FormattableString.Invariant(
            $"gc: {string.Join(", ", gc.Where(static v => v.Key is "ServerGC" or "ConcurrentGC" or "ConserveMemory" or "GCConserveMem" or "GCDynamicAdaptationMode" or "GCgen0size" or "Gen0Size").Select(static v => $"{v.Key} {v.Value}"))}; committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576} MB after the full GC"));
        if (args.Contains("--gc-config"))
        {
            Console.WriteLine(string.Join(", ", gc.Select(static v => $"{v.Key}={v.Value}")));
        }
        Console.WriteLine(FormattableString.Invariant($"index: {index.Workloads.Count} workloads, {index.Pods.Count} pods, {index.Services.Count} services"));
        Console.WriteLine(FormattableString.Invariant($"managed heap after full GC: {heap / 1048576} MB"));
        Console.WriteLine(FormattableString.Invariant($"working set: {self.WorkingSet64 / 1048576} MB after GC (baseline before start {baseline / 1048576} MB, peak {peakWorkingSet / 1048576} MB)"));
        // What one aggressive collection (which also decommits the GC's free memory) would leave: the controller does not do this.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        self.Refresh();
        Console.WriteLine(FormattableString.Invariant(
            $"after an aggressive GC: working set {self.WorkingSet64 / 1048576} MB, committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576} MB"));
        foreach (var informer in inventory.Informers)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"  {informer.Resource,-15} {informer.Count,7} objects, synced at {(await synced[informer.Resource]).TotalSeconds,6:F2} s, {informer.Counters.Lists} lists, {informer.Counters.Errors} errors"));
        }

        var hold = Option(args, "--hold-seconds", 0);
        if (hold > 0)
        {
            // Time to take a heap dump of this process (dotnet-gcdump collect -p PID) with the caches and index alive.
            Console.WriteLine(FormattableString.Invariant($"holding {hold} s, pid {Environment.ProcessId}"));
            await Task.Delay(TimeSpan.FromSeconds(hold));
        }

        GC.KeepAlive(index);
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
