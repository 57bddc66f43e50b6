using Prometheus;

namespace LazyMesh.Fallback;

/// <summary>The fallback's Prometheus metrics, in their own registry (several proxies can run in one process).</summary>
public sealed class FallbackMetrics
{
    public const string Forwarded = "forwarded";
    public const string Unresolved = "unresolved";
    public const string LoopRefused = "loop";
    public const string UpstreamError = "upstream_error";
    public const string Denied = "denied";
    public const string NotMeshDestination = "not_mesh_destination";

    public FallbackMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        Hosting.StandardMetrics.Register(Registry, "fallback");
        var factory = Metrics.WithCustomRegistry(Registry);
        var requests = factory.CreateCounter(
            "lazymesh_fallback_requests_total",
            "Calls the fallback handled, by result: forwarded, unresolved (502), not_mesh_destination (502), loop (508), denied (403 by the destination's AuthorizationPolicies), upstream_error (502/504).",
            new CounterConfiguration { LabelNames = ["result"] });
        RequestsForwarded = requests.WithLabels(Forwarded);
        RequestsUnresolved = requests.WithLabels(Unresolved);
        RequestsLoop = requests.WithLabels(LoopRefused);
        RequestsUpstreamError = requests.WithLabels(UpstreamError);
        RequestsDenied = requests.WithLabels(Denied);
        RequestsNotMeshDestination = requests.WithLabels(NotMeshDestination);
        UnverifiedCalls = factory.CreateCounter(
            "lazymesh_fallback_unverified_calls_total",
            "Calls served but not learned because the caller's claimed source IP could not be verified against its certificate identity, by reason.",
            new CounterConfiguration { LabelNames = ["reason"] });
        AuthorizationAudited = factory.CreateCounter("lazymesh_fallback_authorization_audit_matched_total", "Calls an AUDIT AuthorizationPolicy of the destination matched.");
        AuthorizationCustomUnsupported = factory.CreateCounter(
            "lazymesh_fallback_authorization_custom_unsupported_total",
            "Calls to a destination with a CUSTOM (ext_authz) AuthorizationPolicy, which the fallback cannot evaluate (the destination's own sidecar still does).");
        FirstReadTimeouts = factory.CreateCounter("lazymesh_fallback_first_read_timeouts_total", "Connections closed because their first bytes (HTTP/1.1 request or h2c preface) did not arrive in time.");
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

    public Counter.Child RequestsDenied { get; }

    public Counter.Child RequestsNotMeshDestination { get; }

    public Counter UnverifiedCalls { get; }

    public Counter AuthorizationAudited { get; }

    public Counter AuthorizationCustomUnsupported { get; }

    public Counter FirstReadTimeouts { get; }

    public Histogram ForwardDuration { get; }

    public Counter ReportsSent { get; }

    public Counter ReportsDropped { get; }

    public Counter ReportStreamFailures { get; }
}
