using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>Istio ServiceEntry (<c>networking.istio.io/v1</c>, also v1beta1/v1alpha3): the fields LazyMesh reads.</summary>
public sealed class ServiceEntryResource : IKubernetesObject<V1ObjectMeta>
{
    public const string ResourceKind = "ServiceEntry";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = SidecarResource.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ServiceEntrySpec Spec { get; set; } = new();
}

public sealed class ServiceEntrySpec
{
    [JsonPropertyName("hosts")]
    public IList<string>? Hosts { get; set; }

    [JsonPropertyName("addresses")]
    public IList<string>? Addresses { get; set; }

    [JsonPropertyName("ports")]
    public IList<ServiceEntryPort>? Ports { get; set; }

    [JsonPropertyName("exportTo")]
    public IList<string>? ExportTo { get; set; }

    [JsonPropertyName("location")]
    public string? Location { get; set; }

    [JsonPropertyName("resolution")]
    public string? Resolution { get; set; }

    [JsonPropertyName("endpoints")]
    public IList<ServiceEntryEndpoint>? Endpoints { get; set; }
}

public sealed class ServiceEntryPort
{
    [JsonPropertyName("number")]
    public int Number { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("targetPort")]
    public int? TargetPort { get; set; }
}

public sealed class ServiceEntryEndpoint
{
    [JsonPropertyName("address")]
    public string? Address { get; set; }
}
