using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>The LIST shape of a custom resource.</summary>
public sealed class CustomResourceList<T>
{
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public IList<T>? Items { get; set; }
}
