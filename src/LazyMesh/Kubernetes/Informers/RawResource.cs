using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>Any Kubernetes object: typed metadata, everything else (<c>spec</c>, <c>status</c>, …) kept as JSON.</summary>
public sealed class RawResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The object's other top-level fields.</summary>
    [JsonExtensionData]
    public JsonObject? Fields { get; set; }

    public JsonNode? this[string field] => Fields?[field];
}
