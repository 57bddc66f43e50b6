using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using LazyMesh.Als;
using LazyMesh.Controller;
using Microsoft.Extensions.Logging.Abstractions;

namespace LazyMesh.Bench;

/// <summary>
/// Target 3 (issue: ALS): latency from a new edge's arrival to its workload's Sidecar on disk. Starts
/// <see cref="LazyMeshController"/> in-process on a generated inventory file (<c>--workloads</c>, default 1,000),
/// opens one ALS stream per workload (its sidecar), then (1) sends each workload's first dependency spread at
/// <c>--rate</c> new dependencies/s, and (2) after a pause, each workload's second dependency all at once (a burst).
/// Reports the controller's own latency (from the edge's arrival in the decoder, <see cref="DependencyPersisted"/>)
/// and the client's (from just before the message was written to the stream) as p50/p90/p99/max.
/// </summary>
internal static class ControllerLatencyTool
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new ToolArgs(args);
        var workloads = options.Int("workloads", 1000);
        var rate = options.Int("rate", 200);
        var mesh = new AlsSyntheticMesh(workloads, workloads / 2);
        var dir = Path.Combine(Path.GetTempPath(), $"lazymesh-latency-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var inventory = Path.Combine(dir, "inventory.yaml");
            mesh.WriteInventoryYaml(inventory);
            var keys = Enumerable.Range(0, workloads).ToDictionary(mesh.WorkloadKey);
            var sentAt = new long[workloads];
            var persisted = new ConcurrentQueue<(int Workload, TimeSpan Controller, TimeSpan Client)>();
            // One stream per workload over 4 connections from one client: the per-connection and per-peer stream limits are lifted.
            var controllerOptions = new ControllerOptions
            {
                InventoryPaths = [inventory],
                OutputDirectory = Path.Combine(dir, "out"),
                Als = new LazyMesh.Als.AlsServerOptions { MaxStreamsPerConnection = workloads, MaxStreamsPerPeer = workloads, MaxConcurrentStreams = workloads * 2 },
            };
            var controller = new LazyMeshController(controllerOptions, NullLoggerFactory.Instance);
            controller.DependencyPersisted += e =>
            {
                var w = keys[e.WorkloadKey];
                persisted.Enqueue((w, e.Latency, Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[w]))));
            };

            var startClock = Stopwatch.StartNew();
            await controller.StartAsync();
            Console.WriteLine($"controller-latency: {workloads} workloads, {mesh.Services} services, {Environment.ProcessorCount} cores; " +
                $"controller started (inventory load + {((LazyMesh.Controller.Files.DirectoryTarget)controller.Mode.Target).Writes.Written} initial Sidecars) in {startClock.Elapsed.TotalMilliseconds:N0} ms");
            await using (controller)
            {
                using var channels = new ChannelSet(controller.AlsEndPoint.Port, 4);
                var calls = new AsyncClientStreamingCall<AlsRawMessage, LazyMesh.Als.Envoy.StreamAccessLogsResponse>[workloads];
                for (var w = 0; w < workloads; w++)
                {
                    calls[w] = channels[w].CreateCallInvoker().AsyncClientStreamingCall(AlsGrpcMethods.RawStreamAccessLogs, null, default(CallOptions));
                    await calls[w].RequestStream.WriteAsync(AlsRawMessage.FromBytes(AlsCorpus.Identifier(mesh, w, 0)));
                }

                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                AlsRawMessage Dependency(int w, int k) => AlsRawMessage.FromBytes(AlsCorpus.HttpEntries(mesh, w, 0, [mesh.KnownService(w, k)], now));
                var first = Enumerable.Range(0, workloads).Select(w => Dependency(w, 0)).ToArray();
                var second = Enumerable.Range(0, workloads).Select(w => Dependency(w, 1)).ToArray();
                await Task.Delay(500);

                // 1. Spread: one new dependency every 1/rate s, each workload's first.
                var clock = Stopwatch.StartNew();
                for (var w = 0; w < workloads; w++)
                {
                    var due = TimeSpan.FromSeconds((double)w / rate);
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed);
                    }

                    Volatile.Write(ref sentAt[w], Stopwatch.GetTimestamp());
                    await calls[w].RequestStream.WriteAsync(first[w]);
                }

                var spread = await CollectAsync(persisted, workloads);
                Report($"spread at {rate}/s", spread, clock.Elapsed);

                // 2. Burst: every workload's second dependency at once, after the coalescing interval has passed.
                await Task.Delay(controllerOptions.MinWriteInterval * 4);
                clock.Restart();
                for (var w = 0; w < workloads; w++)
                {
                    Volatile.Write(ref sentAt[w], Stopwatch.GetTimestamp());
                }

                await Task.WhenAll(Enumerable.Range(0, workloads).Select(w => calls[w].RequestStream.WriteAsync(second[w])));
                var burst = await CollectAsync(persisted, workloads);
                Report($"burst of {workloads}", burst, clock.Elapsed);

                foreach (var call in calls)
                {
                    await call.RequestStream.CompleteAsync();
                    await call.ResponseAsync;
                    call.Dispose();
                }

                Console.WriteLine($"Sidecar writes: {((LazyMesh.Controller.Files.DirectoryTarget)controller.Mode.Target).Writes.Written} written, {((LazyMesh.Controller.Files.DirectoryTarget)controller.Mode.Target).Writes.Unchanged} unchanged; edges {controller.Store.EdgeCount}");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<List<(int Workload, TimeSpan Controller, TimeSpan Client)>> CollectAsync(
        ConcurrentQueue<(int Workload, TimeSpan Controller, TimeSpan Client)> queue, int count)
    {
        var list = new List<(int, TimeSpan, TimeSpan)>();
        var deadline = Stopwatch.StartNew();
        while (list.Count < count)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"only {list.Count} of {count} dependencies persisted");
            }

            while (queue.TryDequeue(out var item))
            {
                list.Add(item);
            }

            await Task.Delay(5);
        }

        return list;
    }

    private static void Report(string phase, List<(int Workload, TimeSpan Controller, TimeSpan Client)> results, TimeSpan elapsed)
    {
        static string Percentiles(IEnumerable<TimeSpan> values)
        {
            var sorted = values.Select(v => v.TotalMilliseconds).Order().ToArray();
            double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return $"p50 {P(0.50),7:0.0} ms  p90 {P(0.90),7:0.0} ms  p99 {P(0.99),7:0.0} ms  max {sorted[^1],7:0.0} ms";
        }

        Console.WriteLine($"{phase} ({results.Count} new dependencies, all on disk after {elapsed.TotalMilliseconds:N0} ms):");
        Console.WriteLine($"  arrival in decoder -> Sidecar on disk: {Percentiles(results.Select(r => r.Controller))}");
        Console.WriteLine($"  client write       -> Sidecar on disk: {Percentiles(results.Select(r => r.Client))}");
    }
}
