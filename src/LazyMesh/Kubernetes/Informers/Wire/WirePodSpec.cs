using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>The fields of a pod's <c>spec</c> that <see cref="PodSlimmer"/> keeps.</summary>
public sealed class WirePodSpec
{
    [JsonPropertyName("hostNetwork")]
    public bool? HostNetwork { get; set; }

    [JsonPropertyName("serviceAccountName")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? ServiceAccountName { get; set; }

    [JsonPropertyName("serviceAccount")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? ServiceAccount { get; set; }

    [JsonPropertyName("containers")]
    public List<WireContainer>? Containers { get; set; }

    [JsonPropertyName("initContainers")]
    public List<WireContainer>? InitContainers { get; set; }
}
