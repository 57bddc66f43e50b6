using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>A pod template's labels: the rest of the template (the whole pod spec) is skipped by the reader.</summary>
public sealed class WirePodTemplate
{
    [JsonPropertyName("metadata")]
    public WireTemplateMeta? Metadata { get; set; }

    /// <summary>What <see cref="WorkloadSlimmer"/> keeps of a template: its labels (shared, see <see cref="SharedShapes"/>), or nothing when it has none.</summary>
    public V1PodTemplateSpec? ToTemplateLabels() =>
        Metadata?.Labels is { Count: > 0 } labels ? new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = SharedShapes.Maps.Get(labels) } } : null;
}
