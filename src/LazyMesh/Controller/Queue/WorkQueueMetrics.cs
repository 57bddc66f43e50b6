using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LazyMesh.Controller.Queue;

/// <summary>
/// The queue's instruments on <see cref="System.Diagnostics.Metrics"/> (the controller's meter, or one of its own named
/// <see cref="MeterName"/>), named as they
/// are exported: depth, adds, retries, reconcile durations and errors, labelled by queue (after controller-runtime's
/// <c>workqueue_*</c> and <c>controller_runtime_reconcile_*</c> metrics).
/// </summary>
public sealed class WorkQueueMetrics : IDisposable
{
    public const string MeterName = "LazyMesh.Controller";

    private readonly Meter? _ownMeter;
    private readonly Counter<long> _adds;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _wait;
    private readonly KeyValuePair<string, object?> _queue;

    public WorkQueueMetrics(string queue, Func<int> depth, Func<int> busy, Meter? meter = null)
    {
        _queue = new("queue", queue);
        if (meter is null)
        {
            meter = _ownMeter = new Meter(MeterName);
        }

        _adds = meter.CreateCounter<long>("lazymesh_queue_adds_total", description: "Keys added to the work queue (a key already queued counts once)");
        _retries = meter.CreateCounter<long>("lazymesh_queue_retries_total", description: "Keys queued again after a failed reconcile, with backoff");
        _reconciles = meter.CreateCounter<long>("lazymesh_reconcile_total", description: "Reconciles by result (success, error, requeue_after)");
        _errors = meter.CreateCounter<long>("lazymesh_reconcile_errors_total", description: "Reconciles that failed");
        _duration = meter.CreateHistogram<double>("lazymesh_reconcile_duration_seconds", unit: "s", description: "Time spent reconciling one key");
        _wait = meter.CreateHistogram<double>("lazymesh_queue_wait_duration_seconds", unit: "s", description: "Time a key waited in the queue, from ready to picked up");
        meter.CreateObservableGauge("lazymesh_queue_depth", () => new Measurement<int>(depth(), _queue), description: "Keys ready to be reconciled");
        meter.CreateObservableGauge("lazymesh_queue_busy_workers", () => new Measurement<int>(busy(), _queue), description: "Keys being reconciled now");
    }

    public void OnAdd() => _adds.Add(1, _queue);

    public void OnRetry() => _retries.Add(1, _queue);

    public void OnPicked(TimeSpan waited) => _wait.Record(waited.TotalSeconds, _queue);

    public void OnReconciled(TimeSpan took, string result)
    {
        var tags = new TagList { _queue, { "result", result } };
        _reconciles.Add(1, tags);
        _duration.Record(took.TotalSeconds, _queue);
        if (result == "error")
        {
            _errors.Add(1, _queue);
        }
    }

    public void Dispose() => _ownMeter?.Dispose();
}
