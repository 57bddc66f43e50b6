using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.State;

public sealed class LazySidecarWorkload
{
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;
}
