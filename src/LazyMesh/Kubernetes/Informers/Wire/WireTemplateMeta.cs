using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>A pod template's metadata: its labels.</summary>
public sealed class WireTemplateMeta
{
    [JsonPropertyName("labels")]
    [JsonConverter(typeof(PooledStringDictionaryConverter))]
    public Dictionary<string, string>? Labels { get; set; }
}
