using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>Istio DestinationRule (<c>networking.istio.io/v1</c>, also v1beta1/v1alpha3): host, subsets and exportTo.</summary>
public sealed class DestinationRuleResource : IKubernetesObject<V1ObjectMeta>
{
    public const string ResourceKind = "DestinationRule";
    public const string Plural = "destinationrules";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = SidecarResource.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public DestinationRuleSpec Spec { get; set; } = new();
}

public sealed class DestinationRuleSpec
{
    [JsonPropertyName("host")]
    public string? Host { get; set; }

    [JsonPropertyName("exportTo")]
    public IList<string>? ExportTo { get; set; }

    [JsonPropertyName("subsets")]
    public IList<DestinationRuleSubset>? Subsets { get; set; }
}

public sealed class DestinationRuleSubset
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
