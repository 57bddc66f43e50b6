using System.Diagnostics.Metrics;
using Grpc.Core;
using LazyMesh.Hosting;
using Prometheus;

namespace LazyMesh.Fallback;

/// <summary>
/// The fallback's metrics, on its own meter (<see cref="InstanceMetrics"/>; several proxies can run in one process).
/// Per-call counts are <see cref="AtomicCount"/>s (one interlocked add on the request path, read by code too) exported
/// as observable counters; the forward duration is a histogram.
/// </summary>
public sealed class FallbackMetrics : IDisposable
{
    public const string Forwarded = "forwarded";
    public const string Unresolved = "unresolved";
    public const string LoopRefused = "loop";
    public const string UpstreamError = "upstream_error";
    public const string Denied = "denied";
    public const string NotMeshDestination = "not_mesh_destination";

    /// <summary>The <c>reason</c> label values of <c>lazymesh_fallback_unverified_calls_total</c>.</summary>
    public static readonly IReadOnlyList<string> UnverifiedReasons = ["no_identity", "unknown_source", "source_mismatch", "other"];

    /// <summary>The <c>status</c> label of a report stream that failed without a gRPC status (no connection, a reset).</summary>
    public const string TransportFailure = "transport";

    /// <summary>The <c>status</c> label values by gRPC status code.</summary>
    private static readonly string[] StatusLabels = MetricLabel.Of<StatusCode>();

    /// <summary>Exported from zero: what the controller's ALS server ends a stream with (AlsService), and no status at all.</summary>
    private static readonly StatusCode?[] ExpectedStreamEnds =
        [StatusCode.Unavailable, StatusCode.PermissionDenied, StatusCode.ResourceExhausted, StatusCode.DeadlineExceeded, StatusCode.InvalidArgument, StatusCode.Internal, null];

    private readonly InstanceMetrics _instance;

    /// <summary>Report stream failures by gRPC status code; the last one: <see cref="TransportFailure"/>.</summary>
    private readonly AtomicCount[] _streamFailures = [.. Enumerable.Range(0, StatusLabels.Length + 1).Select(static _ => new AtomicCount())];
    private readonly Dictionary<string, AtomicCount> _unverified = UnverifiedReasons.ToDictionary(static r => r, static _ => new AtomicCount(), StringComparer.Ordinal);

    /// <param name="meterFactory">The host's; null for one of this fallback's own.</param>
    public FallbackMetrics(IMeterFactory? meterFactory = null)
    {
        _instance = new InstanceMetrics("fallback", meterFactory);
        var meter = _instance.Meter;
        meter.CreateObservableCounter<long>(
            "lazymesh_fallback_requests_total",
            MetricLabel.Counts(
                "result",
                (Forwarded, () => RequestsForwarded.Value),
                (Unresolved, () => RequestsUnresolved.Value),
                (LoopRefused, () => RequestsLoop.Value),
                (UpstreamError, () => RequestsUpstreamError.Value),
                (Denied, () => RequestsDenied.Value),
                (NotMeshDestination, () => RequestsNotMeshDestination.Value)),
            description: "Calls the fallback handled, by result: forwarded, unresolved (502), not_mesh_destination (502), loop (508), denied (403 by the destination's AuthorizationPolicies), upstream_error (502/504).");
        meter.CreateObservableCounter(
            "lazymesh_fallback_unverified_calls_total",
            () => _unverified.Where(static u => u.Value.Value > 0).Select(static u => MetricLabel.Count(u.Value.Value, "reason", u.Key)),
            description: "Calls served but not learned because the caller's claimed source IP could not be verified against its certificate identity, by reason.");
        meter.CreateObservableCounter("lazymesh_fallback_authorization_audit_matched_total", () => AuthorizationAudited.Value, description: "Calls an AUDIT AuthorizationPolicy of the destination matched.");
        meter.CreateObservableCounter(
            "lazymesh_fallback_authorization_custom_unsupported_total",
            () => AuthorizationCustomUnsupported.Value,
            description: "Calls to a destination with a CUSTOM (ext_authz) AuthorizationPolicy, which the fallback cannot evaluate (the destination's own sidecar still does).");
        meter.CreateObservableCounter(
            "lazymesh_fallback_first_read_timeouts_total",
            () => FirstReadTimeouts.Value,
            description: "Connections closed because their first bytes (HTTP/1.1 request or h2c preface) did not arrive in time.");
        ForwardDuration = meter.CreateHistogram<double>(
            "lazymesh_fallback_forward_duration_seconds",
            unit: "s",
            description: "Time from receiving a call to the end of its forwarded response.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Prometheus.Histogram.ExponentialBuckets(0.00025, 2, 18) });
        meter.CreateObservableCounter("lazymesh_fallback_reports_sent_total", () => ReportsSent.Value, description: "ALS entries sent to the controller.");
        meter.CreateObservableCounter("lazymesh_fallback_reports_dropped_total", () => ReportsDropped.Value, description: "Reports dropped because the pending set was full.");
        meter.CreateObservableCounter(
            "lazymesh_fallback_report_stream_failures_total",
            StreamFailureCounts,
            description: "ALS streams to the controller that failed, by the gRPC status the controller ended them with (transport: none, e.g. no connection).");
    }

    /// <summary>What <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry => _instance.Registry;

    /// <summary>The exposition as text (what a scrape of <c>/metrics</c> returns).</summary>
    public Task<string> ScrapeAsync(CancellationToken cancellationToken = default) => _instance.ScrapeAsync(cancellationToken);

    public AtomicCount RequestsForwarded { get; } = new();

    public AtomicCount RequestsUnresolved { get; } = new();

    public AtomicCount RequestsLoop { get; } = new();

    public AtomicCount RequestsUpstreamError { get; } = new();

    public AtomicCount RequestsDenied { get; } = new();

    public AtomicCount RequestsNotMeshDestination { get; } = new();

    public AtomicCount AuthorizationAudited { get; } = new();

    public AtomicCount AuthorizationCustomUnsupported { get; } = new();

    public AtomicCount FirstReadTimeouts { get; } = new();

    public Histogram<double> ForwardDuration { get; }

    public AtomicCount ReportsSent { get; } = new();

    public AtomicCount ReportsDropped { get; } = new();

    /// <summary>A report stream failed with <paramref name="status"/> (the server's), or with no status (null: <see cref="TransportFailure"/>).</summary>
    public void ReportStreamFailed(StatusCode? status) => _streamFailures[Index(status)].Inc();

    /// <summary>Report streams that failed with <paramref name="status"/> (null: without a status).</summary>
    public long ReportStreamFailures(StatusCode? status) => _streamFailures[Index(status)].Value;

    /// <summary>The <c>status</c> label of <paramref name="status"/>: <c>permission_denied</c>, ..., or <see cref="TransportFailure"/>.</summary>
    public static string StatusLabel(StatusCode? status) => Index(status) is var i && i < StatusLabels.Length ? StatusLabels[i] : TransportFailure;

    /// <summary>Calls served unverified for <paramref name="reason"/>, one of <see cref="UnverifiedReasons"/>.</summary>
    public AtomicCount UnverifiedCalls(string reason) =>
        _unverified.TryGetValue(reason, out var count) ? count : throw new ArgumentException($"unknown reason '{reason}', expected one of {string.Join(", ", UnverifiedReasons)}", nameof(reason));

    public void Dispose() => _instance.Dispose();

    private static int Index(StatusCode? status) => status is { } code && (uint)code < (uint)StatusLabels.Length ? (int)code : StatusLabels.Length;

    private IEnumerable<Measurement<long>> StreamFailureCounts()
    {
        for (var i = 0; i < _streamFailures.Length; i++)
        {
            var value = _streamFailures[i].Value;
            var status = i < StatusLabels.Length ? (StatusCode?)i : null;
            if (value > 0 || ExpectedStreamEnds.Contains(status))
            {
                yield return MetricLabel.Count(value, "status", StatusLabel(status));
            }
        }
    }
}
