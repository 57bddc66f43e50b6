using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>A workload's selector, replica count and pod template (its labels only).</summary>
public sealed class WireWorkloadSpec
{
    [JsonPropertyName("selector")]
    public V1LabelSelector? Selector { get; set; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("template")]
    public WirePodTemplate? Template { get; set; }

    /// <summary>The selector with its <c>matchLabels</c> shared (a ReplicaSet's equal its template's labels, see <see cref="SharedShapes"/>).</summary>
    public V1LabelSelector? SharedSelector()
    {
        if (Selector?.MatchLabels is Dictionary<string, string> labels)
        {
            Selector.MatchLabels = SharedShapes.Maps.Get(labels);
        }

        return Selector;
    }
}
