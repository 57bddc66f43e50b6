using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>Istio <c>networking.istio.io/v1</c> Sidecar: the subset LazyMesh reads and writes.</summary>
public sealed class SidecarResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "networking.istio.io";
    public const string ResourceKind = "Sidecar";
    public const string Plural = "sidecars";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public SidecarSpec Spec { get; set; } = new();
}

public sealed class SidecarSpec
{
    [JsonPropertyName("workloadSelector")]
    public WorkloadSelector? WorkloadSelector { get; set; }

    [JsonPropertyName("egress")]
    public IList<IstioEgressListener>? Egress { get; set; }

    [JsonPropertyName("outboundTrafficPolicy")]
    public OutboundTrafficPolicy? OutboundTrafficPolicy { get; set; }

    /// <summary>Every other field (ingress, port, bind, captureMode, egressProxy, ...), kept as it was read.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class WorkloadSelector
{
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }
}

public sealed class IstioEgressListener
{
    [JsonPropertyName("hosts")]
    public IList<string> Hosts { get; set; } = [];

    /// <summary>Every other field (ingress, port, bind, captureMode, egressProxy, ...), kept as it was read.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class OutboundTrafficPolicy
{
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    /// <summary>Every other field (ingress, port, bind, captureMode, egressProxy, ...), kept as it was read.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; set; }
}
