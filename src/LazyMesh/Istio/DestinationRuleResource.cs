using System.Text.Json.Serialization;

namespace LazyMesh.Istio;

/// <summary>Istio DestinationRule (<c>networking.istio.io/v1</c>, also v1beta1/v1alpha3): host, subsets and exportTo.</summary>
public sealed class DestinationRuleResource() : IstioObject<DestinationRuleSpec>(SidecarResource.Group + "/v1", ResourceKind)
{
    public const string ResourceKind = "DestinationRule";
    public const string Plural = "destinationrules";
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
