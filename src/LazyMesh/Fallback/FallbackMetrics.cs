using Prometheus;

namespace LazyMesh.Fallback;

/// <summary>The fallback's Prometheus metrics, in their own registry (several proxies can run in one process).</summary>
public sealed class FallbackMetrics
{
    public const string Forwarded = "forwarded";
    public const string Unresolved = "unresolved";
    public const string LoopRefused = "loop";
    public const string UpstreamError = "upstream_error";

    public FallbackMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        var requests = factory.CreateCounter(
            "lazymesh_fallback_requests_total",
            "Calls the fallback handled, by result: forwarded, unresolved (502), loop (508), upstream_error (502/504).",
            new CounterConfiguration { LabelNames = ["result"] });
        RequestsForwarded = requests.WithLabels(Forwarded);
        RequestsUnresolved = requests.WithLabels(Unresolved);
        RequestsLoop = requests.WithLabels(LoopRefused);
        RequestsUpstreamError = requests.WithLabels(UpstreamError);
        ForwardDuration = factory.CreateHistogram(
            "lazymesh_fallback_forward_duration_seconds",
            "Time from receiving a call to the end of its forwarded response.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00025, 2, 18) });
        ReportsSent = factory.CreateCounter("lazymesh_fallback_reports_sent_total", "ALS entries sent to the controller.");
        ReportsDropped = factory.CreateCounter("lazymesh_fallback_reports_dropped_total", "Reports dropped because the pending set was full.");
        ReportStreamFailures = factory.CreateCounter("lazymesh_fallback_report_stream_failures_total", "ALS streams to the controller that failed.");
    }

    public CollectorRegistry Registry { get; }

    public Counter.Child RequestsForwarded { get; }

    public Counter.Child RequestsUnresolved { get; }

    public Counter.Child RequestsLoop { get; }

    public Counter.Child RequestsUpstreamError { get; }

    public Histogram ForwardDuration { get; }

    public Counter ReportsSent { get; }

    public Counter ReportsDropped { get; }

    public Counter ReportStreamFailures { get; }
}
