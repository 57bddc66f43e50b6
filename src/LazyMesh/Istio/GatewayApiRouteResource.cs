using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>
/// A Kubernetes Gateway API <c>HTTPRoute</c> or <c>GRPCRoute</c> (<c>gateway.networking.k8s.io</c>): the parent
/// references (a <c>Service</c> parent makes it a mesh route, GAMMA) and the backends of its rules.
/// </summary>
public sealed class GatewayApiRouteResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "gateway.networking.k8s.io";
    public const string HttpRouteKind = "HTTPRoute";
    public const string GrpcRouteKind = "GRPCRoute";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = HttpRouteKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GatewayApiRouteSpec Spec { get; set; } = new();
}

public sealed class GatewayApiRouteSpec
{
    [JsonPropertyName("parentRefs")]
    public IList<GatewayApiReference>? ParentRefs { get; set; }

    [JsonPropertyName("rules")]
    public IList<GatewayApiRouteRule>? Rules { get; set; }
}

public sealed class GatewayApiRouteRule
{
    [JsonPropertyName("backendRefs")]
    public IList<GatewayApiReference>? BackendRefs { get; set; }
}

/// <summary>A <c>parentRef</c> or <c>backendRef</c>: group, kind, name, namespace, port.</summary>
public sealed class GatewayApiReference
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("port")]
    public int? Port { get; set; }
}
