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

    /// <summary>HTTP and gRPC requests, and TCP connections: Istio's standard metrics (istio.io "Istio Standard Metrics").</summary>
    public static IReadOnlyList<(string Metric, AccessProtocol Protocol)> Metrics { get; } =
    [
        ("istio_requests_total", AccessProtocol.Http),
        ("istio_tcp_connections_opened_total", AccessProtocol.Tcp),
    ];

    public static string Query(string metric, PrometheusWindow window) =>
        $"sum by ({string.Join(", ", Labels)}) (increase({metric}[{window.Text}])) > 0";
}
