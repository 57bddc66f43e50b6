using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>An item of a LIST response, metadata only.</summary>
public sealed class ManagedObjectItem
{
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
