using System.Diagnostics;
using System.Globalization;
using System.Net;
using k8s;
using k8s.Models;
using LazyMesh.Controller;
using LazyMesh.Controller.Cluster;
using LazyMesh.InformerBench;
using LazyMesh.Kubernetes.Connection;
using LazyMesh.Kubernetes.Hosting;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Rendering;
using Microsoft.Extensions.Logging.Abstractions;

namespace LazyMesh.ChurnBench;

/// <summary>
/// <c>dotnet run -c Release --project bench/LazyMesh.ChurnBench -- [index-only ...] [--pods N] [--services N] [--deployments N]
/// [--namespaces N] [--seconds S] [--rate R] [--dependencies D]</c>: starts InformerBench's <c>serve</c> mode in a child
/// process (a KubeTestServer, filled by its ClusterSeeder), labels one namespace <c>lazymesh.io/enabled</c>, starts the
/// controller in Kubernetes mode in this process, then runs, one after the other, an idle phase (no pod changes) and a
/// churn phase (R pod changes a second: creates, IP changes, deletes), S seconds each, with D new dependencies a second
/// sent over ALS in both. Per phase it prints p50/p99/max of the index update cost on the inventory's loop, of the
/// informer event to the index, and of a new dependency from its ALS message to its Sidecar's watch event; and the pod
/// change rate reached. At the end: the API writes of the run and how many of them changed nothing. With
/// <c>index-only</c>, see <see cref="IndexOnlyRun"/>.
/// </summary>
public static class ChurnBenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "index-only")
            {
                return await IndexOnlyRun.RunAsync(Option(args, "--changes", 3000), Option(args, "--rate", 50));
            }

            return await MeasureAsync(args, Option(args, "--namespaces", 100), Option(args, "--deployments", 5_000), Option(args, "--pods", 50_000), Option(args, "--services", 10_000));
        }
        catch (Exception e) when (e is FormatException or IOException or InvalidOperationException or TimeoutException or Grpc.Core.RpcException or HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            Console.Error.WriteLine($"churn bench failed: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> MeasureAsync(string[] args, int namespaces, int deployments, int pods, int services)
    {
        var seconds = Option(args, "--seconds", 60);
        var rate = Option(args, "--rate", 50);
        var dependencies = Option(args, "--dependencies", 2);
        var slowMs = Option(args, "--explain-over-ms", 100);
        var cluster = new ClusterShape(namespaces, deployments, pods, services);
        await using var server = await SeededServerProcess.StartAsync("churn-bench", namespaces, deployments, pods, services);
        if (server is null)
        {
            return 1;
        }

        var (seedWrites, seedNoOps) = await server.WriteStatsAsync();
        var kubeconfig = server.Kubeconfig;
        using var client = KubeConnection.Create(kubeconfig, null);
        using var writer = KubeConnection.Create(kubeconfig, null);
        using var watcher = KubeConnection.Create(kubeconfig, null);

        // One namespace is lazy: its workloads get Sidecars, and the new dependencies are theirs.
        var enabled = cluster.Namespace(0);
        await writer.CoreV1.PatchNamespaceAsync(new V1Patch("""{"metadata":{"labels":{"lazymesh.io/enabled":"true"}}}""", V1Patch.PatchType.MergePatch), enabled);
        var options = new KubernetesHostOptions { AlsEndPoint = new IPEndPoint(IPAddress.Loopback, 0), HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) };
        var mode = KubernetesMode.Create(client, options, NullLoggerFactory.Instance);
        var inventory = (KubernetesInventory)mode.Inventory;
        await using var controller = new LazyMeshController(mode, NullLoggerFactory.Instance);
        var clock = Stopwatch.StartNew();
        await controller.StartAsync();
        var index = inventory.Holder.Current;
        Console.WriteLine(FormattableString.Invariant(
            $"controller ready in {clock.Elapsed.TotalSeconds:F1} s: {index.Workloads.Count} workloads, {index.Pods.Count} pods, {index.Services.Count} services (first build {inventory.LastBuildDuration.TotalMilliseconds:F0} ms)"));
        await controller.Queue.WhenIdleAsync().WaitAsync(TimeSpan.FromMinutes(5));
        var sources = Enumerable.Range(0, deployments).Where(d => cluster.Namespace(d) == enabled)
            .Select(d => (d, SidecarNames.For(index.FindWorkload($"{enabled}/Deployment/app-{d}") ?? throw new InvalidOperationException($"no workload app-{d} in {enabled}"))))
            .ToList();
        await using var newDependencies = new NewDependencies(watcher, controller.AlsEndPoint, cluster, sources);
        await newDependencies.StartAsync();
        using var trace = new StageTrace(controller, inventory.Informers);

        // Warm-up, not recorded: one dependency per source opens its connection and stream (Envoy's are open long before
        // a new dependency shows up), and the controller's paths run once.
        var warmUp = new Percentiles();
        await newDependencies.RunAsync(dependencies, TimeSpan.FromSeconds(sources.Count / (double)dependencies), warmUp, CancellationToken.None);
        var warmUpUnseen = await newDependencies.SettleAsync(TimeSpan.FromSeconds(10));
        Console.WriteLine(FormattableString.Invariant($"warm-up: {sources.Count} streams opened, first dependency on each {warmUp} ({warmUpUnseen} not seen)"));
        Console.WriteLine(FormattableString.Invariant(
            $"{enabled} enabled: {sources.Count} workloads, {newDependencies.SidecarsSeen} Sidecars in the API after {clock.Elapsed.TotalSeconds:F1} s"));

        newDependencies.Seen.Clear(); // the warm-up is not explained
        PhaseResult? phase = null;
        inventory.Updated += update =>
        {
            if (Volatile.Read(ref phase) is not { } current)
            {
                return;
            }

            lock (current)
            {
                if (update.ByParts)
                {
                    current.ByParts++;
                }
                else
                {
                    current.Whole++;
                }

                current.PodChanges += update.PodChanges;
                if (inventory.Holder.Current.Merging > 0)
                {
                    current.WhileMerging++;
                }
            }

            current.Cost.Add(update.Cost);
            current.Latency.Add(update.Latency);
        };

        var churn = new PodChurn(writer, namespaces, deployments, pods);
        var results = new List<PhaseResult>();
        foreach (var (name, perSecond) in new[] { ("idle", 0), ("churn", rate) })
        {
            var result = new PhaseResult(name, perSecond);
            Volatile.Write(ref phase, result);
            var countersBefore = inventory.Informers.ToDictionary(static i => i.Resource, static i => (i.Counters.Relists, i.Counters.Gone, i.Counters.WatchRestarts, i.Counters.Errors, i.Counters.Bookmarks));
            var failuresBefore = churn.Failures;
            var completedBefore = churn.Completed;
            using var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime;
            var elapsed = Stopwatch.StartNew();
            var duration = TimeSpan.FromSeconds(seconds);
            var driving = churn.RunAsync(perSecond, duration, CancellationToken.None);
            var sending = newDependencies.RunAsync(dependencies, duration, result.DependencyLatency, CancellationToken.None);
            (result.Operations, result.DrivingTime) = await driving;
            result.DependenciesSent = await sending;
            result.ChurnCalls = churn.CallLatency;
            result.DependenciesUnseen = await newDependencies.SettleAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(TimeSpan.FromSeconds(2)); // the last pod events reach the index
            self.Refresh();
            result.ProcessCpu = self.TotalProcessorTime - cpu;
            result.Elapsed = elapsed.Elapsed;
            result.FailedOperations = churn.Failures - failuresBefore;
            result.CompletedOperations = churn.Completed - completedBefore;
            Volatile.Write(ref phase, null);
            var seen = new List<SentDependency>();
            while (newDependencies.Seen.TryDequeue(out var dependency))
            {
                seen.Add(dependency);
            }

            var deltas = inventory.Informers
                .Select(i => (i.Resource, Relists: i.Counters.Relists - countersBefore[i.Resource].Relists, Gone: i.Counters.Gone - countersBefore[i.Resource].Gone, Rewatches: i.Counters.WatchRestarts - countersBefore[i.Resource].WatchRestarts, Errors: i.Counters.Errors - countersBefore[i.Resource].Errors, Bookmarks: i.Counters.Bookmarks - countersBefore[i.Resource].Bookmarks))
                .ToList();
            result.Informers = FormattableString.Invariant(
                $"{deltas.Sum(static d => d.Relists)} relists, {deltas.Sum(static d => d.Gone)} 410 Gone, {deltas.Sum(static d => d.Errors)} errors, {deltas.Sum(static d => d.Rewatches)} re-watches, {deltas.Sum(static d => d.Bookmarks)} bookmarks over {deltas.Count} informers")
                + string.Concat(deltas.Where(static d => d.Relists + d.Gone + d.Errors > 0).Select(static d => FormattableString.Invariant($"; {d.Resource}: {d.Relists} relists, {d.Gone} gone, {d.Errors} errors")));
            var serverPauses = await server.GcPausesAsync();
            var phaseEnd = DateTime.UtcNow;
            var phaseStart = phaseEnd - elapsed.Elapsed;
            result.ServerPauses = [.. serverPauses.Where(p => p.Start >= phaseStart && p.Start <= phaseEnd)];
            result.SlowDependencies = trace.Explain(seen, TimeSpan.FromMilliseconds(slowMs), 12, serverPauses);
            results.Add(result);
        }

        var (writes, noOps) = await server.WriteStatsAsync();
        Console.WriteLine(FormattableString.Invariant(
            $"{seconds} s per phase, {dependencies} new dependencies/s in each; load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}"));
        foreach (var result in results)
        {
            var achieved = result.CompletedOperations / Math.Max(result.DrivingTime.TotalSeconds, 1e-9);
            Console.WriteLine(FormattableString.Invariant(
                $"{result.Name} ({result.ChangesPerSecond} changes/s asked): {result.CompletedOperations} of {result.Operations} changes answered in {result.DrivingTime.TotalSeconds:F1} s = {achieved:F1}/s, {result.FailedOperations} failed"));
            Console.WriteLine(FormattableString.Invariant(
                $"  index: {result.ByParts} updates by parts ({result.WhileMerging} while an overlay merged in the background), {result.Whole} whole, {result.PodChanges} pod changes taken in"));
            Console.WriteLine($"  update cost     {result.Cost}");
            Console.WriteLine($"  event to index  {result.Latency}");
            Console.WriteLine($"  churn call      {result.ChurnCalls}");
            Console.WriteLine(FormattableString.Invariant($"  new dependency to API ({result.DependenciesSent} sent, {result.DependenciesUnseen} not seen within 10 s)"));
            Console.WriteLine($"                  {result.DependencyLatency}");
            Console.WriteLine($"  informers       {result.Informers}");
            var longPauses = result.ServerPauses.Where(static p => p.Duration >= TimeSpan.FromMilliseconds(100)).ToList();
            Console.WriteLine(FormattableString.Invariant(
                $"  API server process GC pauses of 100 ms or more: {longPauses.Count}{(longPauses.Count > 0 ? $": {string.Join(", ", longPauses)}" : "")} (of {result.ServerPauses.Count} over 20 ms)"));
            if (result.SlowDependencies.Length > 0)
            {
                Console.WriteLine(FormattableString.Invariant($"  slowest dependencies over {slowMs} ms, where the time went:"));
                Console.Write(result.SlowDependencies);
            }
            Console.WriteLine(FormattableString.Invariant(
                $"  process CPU     {result.ProcessCpu.TotalSeconds:F1} s in {result.Elapsed.TotalSeconds:F0} s (informers, index, controller, drivers)"));
        }

        Console.WriteLine(FormattableString.Invariant(
            $"API writes over the run: {writes - seedWrites} after seeding ({writes} with it); writes that changed nothing: {noOps - seedNoOps} after seeding ({noOps} with it)"));
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
