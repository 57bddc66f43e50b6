using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>
/// An Istio object LazyMesh only writes and whose spec it builds as JSON (e.g. the fallback's DestinationRule):
/// any kind, any <c>networking.istio.io</c> version.
/// </summary>
public sealed class IstioJsonResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public required string ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public required string Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject Spec { get; set; } = [];
}
