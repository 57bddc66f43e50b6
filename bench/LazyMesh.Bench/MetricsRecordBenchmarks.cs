using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using LazyMesh.Hosting;

namespace LazyMesh.Bench;

/// <summary>
/// Issue 9 item 5: what one event costs the fallback's request path now that its metrics are System.Diagnostics.Metrics
/// instruments exported by <see cref="MeterPrometheusBridge"/> (a listener is attached, as in a running process).
/// Baselines: the prometheus-net counter and histogram the fallback bumped before.
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
    private KeyValuePair<string, object?> _queue;

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
    }

    [GlobalCleanup]
    public void Cleanup() => _instance.Dispose();

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
}
