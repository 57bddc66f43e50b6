using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>A container's name, ports and arguments (for the istio-proxy <c>router</c> argument): what <see cref="PodSlimmer"/> keeps.</summary>
public sealed class WireContainer
{
    [JsonPropertyName("name")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Name { get; set; }

    [JsonPropertyName("ports")]
    public List<WireContainerPort>? Ports { get; set; }

    [JsonPropertyName("args")]
    [JsonConverter(typeof(PooledStringListConverter))]
    public List<string>? Args { get; set; }

    public V1Container ToContainer() => new()
    {
        Name = Name,
        Ports = Ports?.Select(static p => p.ToContainerPort()).ToList(),
        Args = PodSlimmer.RouterArgs(Name, Args),
    };
}
