using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.State;

public sealed class LazySidecarSpec
{
    [JsonPropertyName("workload")]
    public LazySidecarWorkload Workload { get; set; } = new();

    [JsonPropertyName("workloadSelector")]
    public LazySidecarWorkloadSelector WorkloadSelector { get; set; } = new();

    /// <summary>Hosts always imported; they never expire.</summary>
    [JsonPropertyName("staticHosts")]
    public IList<string>? StaticHosts { get; set; }

    /// <summary>Per-workload TTL override as a Go duration; set by users, never applied by LazyMesh.</summary>
    [JsonPropertyName("ttl")]
    public string? Ttl { get; set; }

    /// <summary>Set by users: LazyMesh neither learns into nor rewrites this workload's Sidecar.</summary>
    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }
}
