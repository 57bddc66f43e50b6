using LazyMesh.AccessLogs;
using LazyMesh.Als;
using LazyMesh.Attribution;
using LazyMesh.Learning;
using Prometheus;

namespace LazyMesh.Controller;

/// <summary>
/// The controller's Prometheus metrics. Hot-path counters live in lock-free stats objects; they are
/// copied into the registry only when it is scraped, so ingesting an entry never touches a metric.
/// </summary>
public sealed class ControllerMetrics
{
    private readonly Histogram _learnLatency;
    private readonly Histogram _learnToApi;

    /// <summary>A registry with the standard metrics (build, process, runtime), the store's and the inventory's.</summary>
    public ControllerMetrics(DependencyStore store, IInventorySource inventory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(inventory);
        Registry = Metrics.NewCustomRegistry();
        Hosting.StandardMetrics.Register(Registry, "controller");
        var factory = Metrics.WithCustomRegistry(Registry);
        var edges = factory.CreateGauge("lazymesh_edges", "Dependencies currently held");
        var fallbackByCaller = factory.CreateCounter(
            "lazymesh_fallback_entries_by_caller_total",
            "Fallback entries per calling workload: an unlearned dependency in use (one entry per caller and destination per fallback batch)",
            "namespace",
            "workload");
        var cappedHosts = factory.CreateCounter("lazymesh_hosts_capped_total", "New hosts rejected by the per-workload cap");
        var reloads = factory.CreateCounter("lazymesh_inventory_reloads_total", "Inventory reloads by result", "result");
        _learnLatency = factory.CreateHistogram(
            "lazymesh_learn_to_disk_seconds",
            "On files: from a new dependency's arrival to its Sidecar on disk",
            new HistogramConfiguration { Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _learnToApi = factory.CreateHistogram(
            "lazymesh_learn_to_api_seconds",
            "On Kubernetes: from a new dependency's arrival to its Sidecar in the API (applied, or already there)",
            new HistogramConfiguration { Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        Registry.AddBeforeCollectCallback(() =>
        {
            edges.Set(store.EdgeCount);
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
                    fallbackByCaller.WithLabels(parts[0], parts.Length > 2 ? $"{parts[1]}/{parts[2]}" : workload.WorkloadKey).IncTo(calls);
                }
            }

            cappedHosts.IncTo(store.CappedCount);
            reloads.WithLabels("ok").IncTo(inventory.Reloads);
            reloads.WithLabels("failed").IncTo(inventory.FailedReloads);
        });
    }

    /// <summary>Adds what the learner and the ALS server count.</summary>
    public void Track(AttributionStats attribution, AlsServerStats als)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        ArgumentNullException.ThrowIfNull(als);
        var factory = Metrics.WithCustomRegistry(Registry);
        var entries = factory.CreateCounter("lazymesh_als_entries_total", "Access-log entries received, by protocol and result (new, known, capped, or the reason they were not attributed)", "protocol", "result");
        var unattributed = factory.CreateCounter("lazymesh_unattributed_entries_total", "Entries not attributed to a (workload, service) edge, by reason", "reason");
        var edgesLearned = factory.CreateCounter("lazymesh_edges_learned_total", "New dependencies learned");
        var streamsOpen = factory.CreateGauge("lazymesh_als_streams_open", "Open ALS streams");
        var streamsTotal = factory.CreateCounter("lazymesh_als_streams_total", "ALS streams opened");
        var messages = factory.CreateCounter("lazymesh_als_messages_total", "ALS messages received");
        var decodeErrors = factory.CreateCounter("lazymesh_als_decode_errors_total", "ALS messages rejected as malformed, by kind", "kind");
        var rejected = factory.CreateCounter("lazymesh_als_streams_rejected_total", "ALS streams refused or ended by a limit", "reason");
        Registry.AddBeforeCollectCallback(() =>
        {
            foreach (var protocol in Enum.GetValues<AccessProtocol>())
            {
                var p = protocol.ToString().ToLowerInvariant();
                foreach (var result in Enum.GetValues<LearnResult>())
                {
                    entries.WithLabels(p, result.ToString().ToLowerInvariant()).IncTo(attribution.LearnedCount(result, protocol));
                }

                foreach (var reason in Enum.GetValues<SkipReason>().Where(static r => r != SkipReason.None))
                {
                    entries.WithLabels(p, reason.ToString()).IncTo(attribution.SkippedCount(reason, protocol));
                }
            }

            foreach (var reason in Enum.GetValues<SkipReason>().Where(static r => r != SkipReason.None))
            {
                unattributed.WithLabels(reason.ToString()).IncTo(attribution.SkippedCount(reason));
            }

            edgesLearned.IncTo(attribution.LearnedCount(LearnResult.New, AccessProtocol.Http) + attribution.LearnedCount(LearnResult.New, AccessProtocol.Tcp));
            streamsOpen.Set(als.StreamsOpen);
            streamsTotal.IncTo(als.StreamsOpened);
            messages.IncTo(als.Messages);
            foreach (var kind in Enum.GetValues<AlsDecodeError>())
            {
                decodeErrors.WithLabels(kind.ToString()).IncTo(als.DecodeErrors(kind));
            }

            rejected.WithLabels("too_many_streams").IncTo(als.RejectedTooManyStreams);
            rejected.WithLabels("sender_not_allowed").IncTo(als.RejectedNotAllowed);
            rejected.WithLabels("message_too_large").IncTo(als.RejectedTooLarge);
            rejected.WithLabels("idle").IncTo(als.IdleTimeouts);
        });
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Adds <c>lazymesh_write_queue_depth</c>: workloads with a change waiting for its write.</summary>
    public void TrackWriteQueue(Func<int> queueDepth)
    {
        var depth = Metrics.WithCustomRegistry(Registry).CreateGauge("lazymesh_write_queue_depth", "Workloads with a learned change waiting for its write");
        Registry.AddBeforeCollectCallback(() => depth.Set(queueDepth()));
    }

    /// <summary>A learned dependency is in a Sidecar now: on disk, or in the API (<paramref name="api"/>).</summary>
    public void ObserveLearnedToWritten(TimeSpan latency, bool api) => (api ? _learnToApi : _learnLatency).Observe(latency.TotalSeconds);
}
