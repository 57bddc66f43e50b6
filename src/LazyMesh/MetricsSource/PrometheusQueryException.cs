namespace LazyMesh.MetricsSource;

/// <summary>Prometheus could not be reached or refused a query; the message names the server and what went wrong.</summary>
public sealed class PrometheusQueryException(string message, Exception? inner = null) : Exception(message, inner);
