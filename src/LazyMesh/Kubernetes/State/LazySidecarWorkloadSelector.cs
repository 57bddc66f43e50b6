using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.State;

public sealed class LazySidecarWorkloadSelector
{
    [JsonPropertyName("labels")]
    public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();
}
