using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>A container port's name, number and protocol (a Service's named <c>targetPort</c> resolves through them).</summary>
public sealed class WireContainerPort
{
    [JsonPropertyName("name")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Name { get; set; }

    [JsonPropertyName("containerPort")]
    public int ContainerPort { get; set; }

    [JsonPropertyName("protocol")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Protocol { get; set; }

    public V1ContainerPort ToContainerPort() => new() { Name = Name, ContainerPort = ContainerPort, Protocol = Protocol };
}
