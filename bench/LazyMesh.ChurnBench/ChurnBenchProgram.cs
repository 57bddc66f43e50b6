using System.Diagnostics;
using System.Globalization;
using LazyMesh.InformerBench;
using LazyMesh.Kubernetes.Connection;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Mesh;
using Microsoft.Extensions.Logging.Abstractions;

namespace LazyMesh.ChurnBench;

/// <summary>
/// <c>dotnet run -c Release --project bench/LazyMesh.ChurnBench -- [--pods N] [--services N] [--deployments N]
/// [--namespaces N] [--seconds S] [--rate R]</c>: starts InformerBench's <c>serve</c> mode in a child process (a
/// KubeTestServer, filled by its ClusterSeeder), starts a <see cref="KubernetesInventory"/> in this process, then runs, one after the other,
/// an idle phase (no changes) and a churn phase (R pod changes a second: creates, IP changes, deletes), S seconds each.
/// For every new index it records what it cost on the inventory's loop, the time from the informer event to the index
/// in the holder, and <see cref="MeshIndexChange.Between"/> on it, and prints p50/p99/max per phase.
/// </summary>
public static class ChurnBenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await MeasureAsync(args, Option(args, "--namespaces", 100), Option(args, "--deployments", 5_000), Option(args, "--pods", 50_000), Option(args, "--services", 10_000));
        }
        catch (Exception e) when (e is FormatException or IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"churn bench failed: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> MeasureAsync(string[] args, int namespaces, int deployments, int pods, int services)
    {
        var seconds = Option(args, "--seconds", 60);
        var rate = Option(args, "--rate", 50);
        await using var server = await SeededServerProcess.StartAsync("churn-bench", namespaces, deployments, pods, services);
        if (server is null)
        {
            return 1;
        }

        var kubeconfig = server.Kubeconfig;
        using var client = KubeConnection.Create(kubeconfig, null);
        using var writer = KubeConnection.Create(kubeconfig, null);
        await using var inventory = new KubernetesInventory(client, new KubernetesInventoryOptions(), NullLogger.Instance);
        var clock = Stopwatch.StartNew();
        inventory.Start();
        await inventory.WaitForSyncAsync(CancellationToken.None);
        Console.WriteLine(FormattableString.Invariant(
            $"ready in {clock.Elapsed.TotalSeconds:F1} s: {inventory.Holder.Current.Workloads.Count} workloads, {inventory.Holder.Current.Pods.Count} pods, {inventory.Holder.Current.Services.Count} services (first build {inventory.LastBuildDuration.TotalMilliseconds:F0} ms)"));

        PhaseResult? phase = null;
        var previous = inventory.Holder.Current;
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
            }

            current.Cost.Add(update.Cost);
            current.Latency.Add(update.Latency);
        };
        inventory.Reloaded += index =>
        {
            var watch = Stopwatch.StartNew();
            var change = MeshIndexChange.Between(previous, index);
            watch.Stop();
            previous = index;
            if (Volatile.Read(ref phase) is { } current)
            {
                current.Mapping.Add(watch.Elapsed);
                if (change.IsEmpty)
                {
                    lock (current)
                    {
                        current.EmptyChanges++;
                    }
                }
            }
        };

        var churn = new PodChurn(writer, namespaces, deployments, pods);
        var results = new List<PhaseResult>();
        foreach (var (name, perSecond) in new[] { ("idle", 0), ("churn", rate) })
        {
            var result = new PhaseResult(name, perSecond);
            Volatile.Write(ref phase, result);
            var failuresBefore = churn.Failures;
            using var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime;
            var elapsed = Stopwatch.StartNew();
            result.Operations = await churn.RunAsync(perSecond, TimeSpan.FromSeconds(seconds), CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2)); // the last events reach the index
            self.Refresh();
            result.ProcessCpu = self.TotalProcessorTime - cpu;
            result.Elapsed = elapsed.Elapsed;
            result.FailedOperations = churn.Failures - failuresBefore;
            Volatile.Write(ref phase, null);
            results.Add(result);
        }

        Console.WriteLine(FormattableString.Invariant($"{seconds} s per phase; index updates by parts / whole, pod changes taken in, MeshIndexChange.Between empty"));
        foreach (var result in results)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{result.Name} ({result.ChangesPerSecond} changes/s, {result.Operations} driven in {result.Elapsed.TotalSeconds:F0} s, {result.FailedOperations} failed): {result.ByParts} by parts, {result.Whole} whole, {result.PodChanges} pod changes, {result.EmptyChanges} empty"));
            Console.WriteLine($"  update cost     {result.Cost}");
            Console.WriteLine($"  event to index  {result.Latency}");
            Console.WriteLine($"  Between         {result.Mapping}");
            Console.WriteLine(FormattableString.Invariant(
                $"  process CPU     {result.ProcessCpu.TotalSeconds:F1} s in {result.Elapsed.TotalSeconds:F0} s{(result.PodChanges == 0 ? "" : $" ({result.ProcessCpu.TotalMilliseconds / result.PodChanges:F2} ms per pod change taken in: informers, index, Between)")}"));
        }

        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
