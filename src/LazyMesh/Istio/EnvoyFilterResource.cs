using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>
/// Istio <c>networking.istio.io/v1alpha3</c> EnvoyFilter. The spec is kept as JSON: its patch values are free-form
/// Envoy configuration, and LazyMesh only writes it.
/// </summary>
public sealed class EnvoyFilterResource : IKubernetesObject<V1ObjectMeta>
{
    public const string ResourceKind = "EnvoyFilter";
    public const string Plural = "envoyfilters";
    public const string ResourceApiVersion = SidecarResource.Group + "/v1alpha3";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ResourceApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject Spec { get; set; } = [];
}
