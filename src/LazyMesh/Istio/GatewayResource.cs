using System.Text.Json.Serialization;

namespace LazyMesh.Istio;

/// <summary>
/// Istio Gateway (<c>networking.istio.io/v1</c>): read so that a VirtualService's <c>gateways</c> can be told apart
/// from the reserved <c>mesh</c> (sidecars); LazyMesh never narrows gateways.
/// </summary>
public sealed class GatewayResource() : IstioObject<GatewaySpec>(SidecarResource.Group + "/v1", ResourceKind)
{
    public const string ResourceKind = "Gateway";
    public const string Plural = "gateways";
}

public sealed class GatewaySpec
{
    [JsonPropertyName("selector")]
    public IDictionary<string, string>? Selector { get; set; }
}
