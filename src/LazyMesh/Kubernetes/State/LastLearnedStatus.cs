using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.State;

public sealed class LastLearnedStatus
{
    [JsonPropertyName("host")]
    public string? Host { get; set; }

    [JsonPropertyName("time")]
    public string? Time { get; set; }
}
