using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>
/// Istio Gateway (<c>networking.istio.io/v1</c>): read so that a VirtualService's <c>gateways</c> can be told apart
/// from the reserved <c>mesh</c> (sidecars); LazyMesh never narrows gateways.
/// </summary>
public sealed class GatewayResource : IKubernetesObject<V1ObjectMeta>
{
    public const string ResourceKind = "Gateway";
    public const string Plural = "gateways";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = SidecarResource.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GatewaySpec Spec { get; set; } = new();
}

public sealed class GatewaySpec
{
    [JsonPropertyName("selector")]
    public IDictionary<string, string>? Selector { get; set; }
}
