using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>A LIST response read for metadata only.</summary>
public sealed class ManagedObjectList
{
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public IList<ManagedObjectItem> Items { get; set; } = [];
}
