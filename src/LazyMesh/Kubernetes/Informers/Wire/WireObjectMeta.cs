using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>
/// The part of <c>metadata</c> that <see cref="MetadataSlimmer"/> keeps, read straight off the wire: <c>managedFields</c>,
/// finalizers and the rest are skipped by the reader and never materialized.
/// </summary>
public sealed class WireObjectMeta
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Namespace { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }

    [JsonPropertyName("generation")]
    public long? Generation { get; set; }

    [JsonPropertyName("labels")]
    [JsonConverter(typeof(PooledStringDictionaryConverter))]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    [JsonConverter(typeof(PooledStringDictionaryConverter))]
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonPropertyName("ownerReferences")]
    public List<WireOwnerReference>? OwnerReferences { get; set; }

    [JsonPropertyName("creationTimestamp")]
    public DateTime? CreationTimestamp { get; set; }

    [JsonPropertyName("deletionTimestamp")]
    public DateTime? DeletionTimestamp { get; set; }

    /// <summary>The metadata <see cref="MetadataSlimmer.Slim(V1ObjectMeta)"/> would keep of the same object.</summary>
    public V1ObjectMeta ToSlim()
    {
        var annotations = Annotations;
        annotations?.Remove(MetadataSlimmer.LastAppliedAnnotation);
        return new V1ObjectMeta
        {
            Name = Name,
            NamespaceProperty = Namespace,
            Uid = Uid,
            ResourceVersion = ResourceVersion,
            Generation = Generation,
            // Objects of one workload carry equal labels, annotations and owners: they share one copy of each.
            Labels = SharedShapes.Maps.Get(Labels),
            Annotations = SharedShapes.Maps.Get(annotations is { Count: > 0 } ? annotations : null),
            OwnerReferences = SharedShapes.OwnerReferences.Get(OwnerReferences?.Select(static r => r.ToOwnerReference()).ToList()),
            CreationTimestamp = CreationTimestamp,
            DeletionTimestamp = DeletionTimestamp,
        };
    }
}
