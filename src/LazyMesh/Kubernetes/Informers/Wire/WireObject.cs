using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>What every slim wire object reads: <c>apiVersion</c>, <c>kind</c> and the slim <c>metadata</c>.</summary>
public abstract class WireObject
{
    [JsonPropertyName("apiVersion")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public WireObjectMeta? Metadata { get; set; }
}
