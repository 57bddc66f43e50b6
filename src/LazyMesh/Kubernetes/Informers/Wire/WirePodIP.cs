using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>One of a pod's <c>status.podIPs</c>.</summary>
public sealed class WirePodIP
{
    [JsonPropertyName("ip")]
    public string? Ip { get; set; }
}
