using LazyMesh.AccessLogs;

namespace LazyMesh.MetricsSource;

/// <summary>
/// The PromQL LazyMesh sends: per Istio standard metric, the increase over the window summed by the labels an
/// edge needs (docs/prometheus.md). Only series that grew in the window are returned (<c>&gt; 0</c>).
/// </summary>
public static class IstioMetricQueries
{
    public const string SourceWorkload = "source_workload";
    public const string SourceNamespace = "source_workload_namespace";
    public const string DestinationService = "destination_service";
    public const string DestinationNamespace = "destination_service_namespace";
    public const string Reporter = "reporter";

    /// <summary>The labels summed by, in this order.</summary>
    public static IReadOnlyList<string> Labels { get; } = [SourceWorkload, SourceNamespace, DestinationService, DestinationNamespace, Reporter];

    /// <summary>
    /// HTTP and gRPC requests, TCP connections opened, and TCP bytes either way: Istio's standard metrics (istio/istio
    /// <c>pilot/pkg/model/telemetry.go</c> <c>metricToPrometheusMetric</c>). The byte counters grow while a connection is
    /// open (the stats filter reports TCP every <c>tcp_reporting_duration</c>, set from Telemetry
    /// <c>reportingInterval</c> in <c>generateStatsConfig</c>), so a long-lived TCP dependency stays seen, and is never
    /// expired, while it carries traffic, even though its access-log entry is written only when it closes.
    /// </summary>
    public static IReadOnlyList<(string Metric, AccessProtocol Protocol)> Metrics { get; } =
    [
        ("istio_requests_total", AccessProtocol.Http),
        ("istio_tcp_connections_opened_total", AccessProtocol.Tcp),
        ("istio_tcp_sent_bytes_total", AccessProtocol.Tcp),
        ("istio_tcp_received_bytes_total", AccessProtocol.Tcp),
    ];

    public static string Query(string metric, PrometheusWindow window) =>
        $"sum by ({string.Join(", ", Labels)}) (increase({metric}[{window.Text}])) > 0";
}
