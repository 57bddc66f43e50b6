using System.Diagnostics.Metrics;
using LazyMesh.AccessLogs;
using LazyMesh.Als;
using LazyMesh.Attribution;
using LazyMesh.Hosting;
using LazyMesh.Learning;
using Prometheus;

namespace LazyMesh.Controller;

/// <summary>
/// The controller's metrics, instruments on its own meter (<see cref="InstanceMetrics"/>). Hot-path counts stay in
/// the lock-free stats objects that code reads too (<see cref="AttributionStats"/>, <see cref="AlsServerStats"/>) and
/// are observable counters, read when scraped, so ingesting an entry never calls into a metric.
/// </summary>
public sealed class ControllerMetrics : IDisposable
{
    private static readonly string[] Protocols = MetricLabel.Of<AccessProtocol>();
    private static readonly string[] Results = MetricLabel.Of<LearnResult>();
    private static readonly string[] Reasons = MetricLabel.Of<SkipReason>();
    private static readonly string[] DecodeErrors = MetricLabel.Of<AlsDecodeError>();

    private readonly InstanceMetrics _instance;
    private readonly Histogram<double> _learnToDisk;
    private readonly Histogram<double> _learnToApi;

    /// <summary>The controller's meter with the standard metrics (build, process, runtime), the store's and the inventory's.</summary>
    /// <param name="meterFactory">The controller host's (<see cref="ControllerHost"/>); null for one of these metrics' own.</param>
    public ControllerMetrics(DependencyStore store, IInventorySource inventory, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(inventory);
        _instance = new InstanceMetrics("controller", meterFactory);
        var meter = Meter;
        meter.CreateObservableGauge("lazymesh_edges", () => store.EdgeCount, description: "Dependencies currently held");
        meter.CreateObservableCounter(
            "lazymesh_fallback_entries_by_caller_total",
            () => FallbackByCaller(store),
            description: "Fallback entries per calling workload: an unlearned dependency in use (one entry per caller and destination per fallback batch)");
        meter.CreateObservableCounter("lazymesh_hosts_capped_total", () => store.CappedCount, description: "New hosts rejected by the per-workload cap");
        meter.CreateObservableCounter<long>(
            "lazymesh_inventory_reloads_total",
            () => [new Measurement<long>(inventory.Reloads, new KeyValuePair<string, object?>("result", "ok")), new Measurement<long>(inventory.FailedReloads, new KeyValuePair<string, object?>("result", "failed"))],
            description: "Inventory reloads by result");
        _learnToDisk = meter.CreateHistogram<double>(
            "lazymesh_learn_to_disk_seconds",
            unit: "s",
            description: "On files: from a new dependency's arrival to its Sidecar on disk",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _learnToApi = meter.CreateHistogram<double>(
            "lazymesh_learn_to_api_seconds",
            unit: "s",
            description: "On Kubernetes: from a new dependency's arrival to its Sidecar in the API (applied, or already there)",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    /// <summary>The controller's meter: its parts (queue, learned state, target) add their instruments here.</summary>
    public Meter Meter => _instance.Meter;

    /// <summary>What <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry => _instance.Registry;

    /// <summary>The exposition as text (what a scrape of <c>/metrics</c> returns).</summary>
    public Task<string> ScrapeAsync(CancellationToken cancellationToken = default) => _instance.ScrapeAsync(cancellationToken);

    /// <summary>Adds what the learner and the ALS server count.</summary>
    public void Track(AttributionStats attribution, AlsServerStats als)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        ArgumentNullException.ThrowIfNull(als);
        var meter = Meter;
        meter.CreateObservableCounter(
            "lazymesh_als_entries_total",
            () => Entries(attribution),
            description: "Access-log entries received, by protocol and result (new, known, capped, or the reason they were not attributed)");
        meter.CreateObservableCounter(
            "lazymesh_unattributed_entries_total",
            () => Unattributed(attribution),
            description: "Entries not attributed to a (workload, service) edge, by reason");
        meter.CreateObservableCounter(
            "lazymesh_edges_learned_total",
            () => attribution.LearnedCount(LearnResult.New, AccessProtocol.Http) + attribution.LearnedCount(LearnResult.New, AccessProtocol.Tcp),
            description: "New dependencies learned");
        meter.CreateObservableGauge("lazymesh_als_streams_open", () => als.StreamsOpen, description: "Open ALS streams");
        meter.CreateObservableCounter("lazymesh_als_streams_total", () => als.StreamsOpened, description: "ALS streams opened");
        meter.CreateObservableCounter("lazymesh_als_messages_total", () => als.Messages, description: "ALS messages received");
        meter.CreateObservableCounter("lazymesh_als_decode_errors_total", () => DecodeErrorCounts(als), description: "ALS messages rejected as malformed, by kind");
        meter.CreateObservableCounter<long>(
            "lazymesh_als_streams_rejected_total",
            MetricLabel.Counts(
                "reason",
                ("too_many_streams", () => als.RejectedTooManyStreams),
                ("sender_not_allowed", () => als.RejectedNotAllowed),
                ("message_too_large", () => als.RejectedTooLarge),
                ("idle", () => als.IdleTimeouts)),
            description: "ALS streams refused or ended by a limit");
    }

    /// <summary>Adds <c>lazymesh_write_queue_depth</c>: workloads with a change waiting for its write.</summary>
    public void TrackWriteQueue(Func<int> queueDepth) =>
        Meter.CreateObservableGauge("lazymesh_write_queue_depth", queueDepth, description: "Workloads with a learned change waiting for its write");

    /// <summary>A learned dependency is in a Sidecar now: on disk, or in the API (<paramref name="api"/>).</summary>
    public void ObserveLearnedToWritten(TimeSpan latency, bool api) => (api ? _learnToApi : _learnToDisk).Record(latency.TotalSeconds);

    public void Dispose() => _instance.Dispose();

    private static List<Measurement<long>> FallbackByCaller(DependencyStore store)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var workload in store.Snapshot())
        {
            long calls = 0;
            foreach (var host in workload.Snapshot())
            {
                calls += host.FallbackCalls;
            }

            if (calls > 0)
            {
                var parts = workload.WorkloadKey.Split('/');
                measurements.Add(new Measurement<long>(
                    calls,
                    new KeyValuePair<string, object?>("namespace", parts[0]),
                    new KeyValuePair<string, object?>("workload", parts.Length > 2 ? $"{parts[1]}/{parts[2]}" : workload.WorkloadKey)));
            }
        }

        return measurements;
    }

    private static List<Measurement<long>> Entries(AttributionStats attribution)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var protocol in Enum.GetValues<AccessProtocol>())
        {
            var p = new KeyValuePair<string, object?>("protocol", Protocols[(int)protocol]);
            foreach (var result in Enum.GetValues<LearnResult>())
            {
                measurements.Add(new Measurement<long>(attribution.LearnedCount(result, protocol), p, new KeyValuePair<string, object?>("result", Results[(int)result])));
            }

            foreach (var reason in Enum.GetValues<SkipReason>().Where(static r => r != SkipReason.None))
            {
                measurements.Add(new Measurement<long>(attribution.SkippedCount(reason, protocol), p, new KeyValuePair<string, object?>("result", Reasons[(int)reason])));
            }
        }

        return measurements;
    }

    private static IEnumerable<Measurement<long>> Unattributed(AttributionStats attribution) =>
        Enum.GetValues<SkipReason>().Where(static r => r != SkipReason.None).Select(r => MetricLabel.Count(attribution.SkippedCount(r), "reason", Reasons[(int)r]));

    private static IEnumerable<Measurement<long>> DecodeErrorCounts(AlsServerStats als) =>
        Enum.GetValues<AlsDecodeError>().Select(k => MetricLabel.Count(als.DecodeErrors(k), "kind", DecodeErrors[(int)k]));
}
