using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.State;

/// <summary>A <c>metav1.Condition</c> of a LazySidecar: <c>Ready</c> or <c>Conflict</c>.</summary>
public sealed class LazySidecarCondition
{
    public const string Ready = "Ready";
    public const string Conflict = "Conflict";

    /// <summary>The Ready=False reason while the workload is in its observe phase; the message says until when.</summary>
    public const string ObservingReason = "Observing";

    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("status")]
    public string Status { get; set; } = "Unknown";

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    public string LastTransitionTime { get; set; } = string.Empty;

    [JsonPropertyName("reason")]
    public string Reason { get; set; } = string.Empty;

    [JsonPropertyName("message")]
    public string Message { get; set; } = string.Empty;
}
