using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using LazyMesh.Controller.Queue;
using LazyMesh.Hosting;

namespace LazyMesh.Bench;

/// <summary>
/// Issue 9 item 5: what one event costs the fallback's request path now that its metrics are System.Diagnostics.Metrics
/// instruments exported by <see cref="MeterPrometheusBridge"/> (a listener is attached, as in a running process).
/// Baselines: the prometheus-net counter and histogram the fallback bumped before. The two-tag cases (issue 9
/// leftover): <c>lazymesh_reconcile_total{queue,result}</c>, counted once per reconcile, found its child without
/// building a label array.
/// </summary>
[MemoryDiagnoser]
public class MetricsRecordBenchmarks
{
    private InstanceMetrics _instance = null!;
    private Prometheus.Counter.Child _promCounter = null!;
    private Prometheus.Histogram _promHistogram = null!;
    private AtomicCount _count = null!;
    private Histogram<double> _histogram = null!;
    private Counter<long> _labelledCounter = null!;
    private Counter<long> _pairCounter = null!;
    private WorkQueueMetrics _queueMetrics = null!;
    private KeyValuePair<string, object?> _queue;
    private KeyValuePair<string, object?> _result;

    [GlobalSetup]
    public void Setup()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _promCounter = factory.CreateCounter("bench_requests_total", "requests", "result").WithLabels("forwarded");
        _promHistogram = factory.CreateHistogram("bench_duration_seconds", "duration", new Prometheus.HistogramConfiguration { Buckets = Prometheus.Histogram.ExponentialBuckets(0.00025, 2, 18) });
        _instance = new InstanceMetrics("fallback");
        _count = new AtomicCount();
        _instance.Meter.CreateObservableCounter("lazymesh_bench_requests_total", () => _count.Value);
        _histogram = _instance.Meter.CreateHistogram<double>(
            "lazymesh_bench_duration_seconds",
            unit: "s",
            description: null,
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Prometheus.Histogram.ExponentialBuckets(0.00025, 2, 18) });
        _labelledCounter = _instance.Meter.CreateCounter<long>("lazymesh_bench_adds_total");
        _queue = new("queue", "files");
        _pairCounter = _instance.Meter.CreateCounter<long>("lazymesh_bench_reconcile_total");
        _result = new("result", "success");
        _queueMetrics = new WorkQueueMetrics("files", static () => 0, static () => 0, _instance.Meter);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _queueMetrics.Dispose();
        _instance.Dispose();
    }

    [Benchmark(Baseline = true, Description = "prometheus-net Counter.Child.Inc (before)")]
    public void PrometheusCounterInc() => _promCounter.Inc();

    [Benchmark(Description = "AtomicCount.Inc, an ObservableCounter (fallback counts now)")]
    public void AtomicCountInc() => _count.Inc();

    [Benchmark(Description = "prometheus-net Histogram.Observe (before)")]
    public void PrometheusHistogramObserve() => _promHistogram.Observe(0.003);

    [Benchmark(Description = "Histogram<double>.Record through the bridge, no tag (forward duration now)")]
    public void MeterHistogramRecord() => _histogram.Record(0.003);

    [Benchmark(Description = "Counter<long>.Add through the bridge, one tag (queue adds, per key)")]
    public void MeterCounterAddWithTag() => _labelledCounter.Add(1, _queue);

    [Benchmark(Description = "Counter<long>.Add through the bridge, two tags (reconcile_total{queue,result}, per reconcile)")]
    public void MeterCounterAddWithTwoTags() => _pairCounter.Add(1, _queue, _result);

    [Benchmark(Description = "WorkQueueMetrics.OnReconciled through the bridge (two-tag count + one-tag duration, per reconcile)")]
    public void QueueReconciled() => _queueMetrics.OnReconciled(TimeSpan.FromMilliseconds(3), "success");
}
