namespace LazyMesh.MetricsSource;

/// <summary>The controller's <c>--prometheus</c> source: where, how often, and over which window.</summary>
public sealed record MetricsPollingOptions(Uri Prometheus, PrometheusWindow Window, TimeSpan Interval);
