using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.State;

/// <summary>The LIST response of LazySidecars.</summary>
public sealed class LazySidecarList
{
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public IList<LazySidecarResource> Items { get; set; } = [];
}
