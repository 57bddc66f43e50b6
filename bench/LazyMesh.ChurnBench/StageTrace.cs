using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using LazyMesh.Controller;
using LazyMesh.InformerBench;

namespace LazyMesh.ChurnBench;

/// <summary>
/// Where a slow new dependency spent its time, for the run's report: each dependency's ALS message sent, learned by the
/// controller, applied to the API (the controller's <see cref="LazyMeshController.DependencyPersisted"/>) and seen in the
/// watch; around it, this process's GC pauses (runtime events) and the work queue's waits and reconciles (its meter). All
/// on one clock (<see cref="Stopwatch"/> ticks; runtime event times are converted from UTC).
/// </summary>
internal sealed class StageTrace : IDisposable
{
    private readonly ConcurrentDictionary<(string Workload, string Host), long> _applied = new();
    private readonly ConcurrentDictionary<(string Workload, string Host), long> _learned = new();
    private readonly ConcurrentQueue<(long At, string What, double Seconds)> _queue = new();
    private readonly GcPauseRecorder _gc = new();
    private readonly MeterListener _meters = new();
    private readonly long _originTicks = Stopwatch.GetTimestamp();
    private readonly DateTime _originUtc = DateTime.UtcNow;

    public StageTrace(LazyMeshController controller, IEnumerable<LazyMesh.Kubernetes.Informers.IInformer> informers)
    {
        foreach (var informer in informers)
        {
            var resource = informer.Resource;
            informer.Listed += () => _queue.Enqueue((Stopwatch.GetTimestamp(), $"informer listed {resource}", 1));
            informer.Bookmarked += _ => _queue.Enqueue((Stopwatch.GetTimestamp(), $"informer bookmark {resource}", 1));
        }

        controller.DependencyPersisted += persisted =>
        {
            var now = Stopwatch.GetTimestamp();
            var host = persisted.Host[(persisted.Host.IndexOf('/', StringComparison.Ordinal) + 1)..]; // namespace/fqdn
            _applied[(persisted.WorkloadKey, host)] = now;
            _learned[(persisted.WorkloadKey, host)] = now - (long)(persisted.Latency.TotalSeconds * Stopwatch.Frequency);
        };
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is "lazymesh_queue_wait_duration_seconds" or "lazymesh_reconcile_duration_seconds"
                or "http.client.request.duration" or "http.client.request.time_in_queue")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var label = "";
            foreach (var tag in tags)
            {
                if (tag.Key is "queue" or "http.request.method" or "http.response.status_code")
                {
                    label += $" {tag.Value}";
                }
            }

            var what = instrument.Name switch
            {
                "lazymesh_queue_wait_duration_seconds" => "queued",
                "lazymesh_reconcile_duration_seconds" => "reconcile",
                "http.client.request.time_in_queue" => "http waited for a connection",
                _ => "http",
            };
            _queue.Enqueue((Stopwatch.GetTimestamp(), what + label, value));
        });
        _meters.Start();
    }

    /// <summary>One line per dependency slower than <paramref name="threshold"/> (at most <paramref name="limit"/>, slowest first).</summary>
    public string Explain(IEnumerable<SentDependency> dependencies, TimeSpan threshold, int limit, IReadOnlyList<GcPause> serverPauses)
    {
        var slow = dependencies.Where(d => Ms(d.Seen - d.Sent) >= threshold.TotalMilliseconds).OrderByDescending(d => d.Seen - d.Sent).Take(limit).ToList();
        var text = new StringBuilder();
        foreach (var d in slow)
        {
            var learned = _learned.TryGetValue((d.Workload, d.Host), out var l) ? l : 0;
            var applied = _applied.TryGetValue((d.Workload, d.Host), out var a) ? a : 0;
            text.Append(CultureInfo.InvariantCulture, $"    {Ms(d.Seen - d.Sent),7:F1} ms at +{Ms(d.Sent - _originTicks) / 1000,6:F1} s {d.Workload} -> {d.Host}: ");
            text.Append(learned == 0 ? "learned ?" : string.Create(CultureInfo.InvariantCulture, $"sent->learned {Ms(learned - d.Sent):F1}"));
            text.Append(applied == 0 ? ", applied ?" : string.Create(CultureInfo.InvariantCulture, $", learned->applied {Ms(applied - learned):F1}, applied->seen {Ms(d.Seen - applied):F1}"));
            var pauses = _gc.Overlapping(ToUtc(d.Sent), ToUtc(d.Seen));
            if (pauses.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"; controller GC pauses {string.Join(", ", pauses.Select(static p => p.ToString()))}");
            }

            var server = serverPauses.Where(p => p.Start <= ToUtc(d.Seen) && p.Start + p.Duration >= ToUtc(d.Sent)).ToList();
            if (server.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"; API server GC pauses {string.Join(", ", server.Select(static p => p.ToString()))}");
            }

            // The window's reconciles and waits, its slowest HTTP calls (this process: controller and drivers), relists.
            var window = _queue.Where(q => q.At >= d.Sent && q.At <= d.Seen).ToList();
            var http = window.Where(static q => q.What.StartsWith("http", StringComparison.Ordinal)).ToList();
            var shown = window.Where(static q => !q.What.StartsWith("http", StringComparison.Ordinal) && !q.What.StartsWith("informer bookmark", StringComparison.Ordinal) && q.Seconds >= 0.02)
                .Concat(http.OrderByDescending(static q => q.Seconds).Take(3))
                .OrderBy(static q => q.At)
                .ToList();
            if (http.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"; {http.Count} HTTP calls ended");
            }

            if (shown.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"; {string.Join(", ", shown.Select(q => Describe(q, d.Sent)))}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    public void Dispose()
    {
        _meters.Dispose();
        _gc.Dispose();
    }

    private static string Describe((long At, string What, double Seconds) q, long from) =>
        q.What.StartsWith("informer", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"{q.What} @+{Ms(q.At - from):F0}")
            : string.Create(CultureInfo.InvariantCulture, $"{q.What} {q.Seconds * 1000:F1} ms @+{Ms(q.At - from):F0}");

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private DateTime ToUtc(long ticks) => _originUtc.AddSeconds((ticks - _originTicks) / (double)Stopwatch.Frequency);
}

/// <summary>A new dependency as the bench saw it: sent and seen on the <see cref="Stopwatch"/> clock.</summary>
internal readonly record struct SentDependency(string Workload, string Host, long Sent, long Seen);
