using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>A pod condition's type and status.</summary>
public sealed class WirePodCondition
{
    [JsonPropertyName("type")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Type { get; set; }

    [JsonPropertyName("status")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Status { get; set; }
}
