using k8s;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// Drops what no LazyMesh reader needs from an object's metadata before it is cached: <c>managedFields</c> (often
/// the largest part of an object) and kubectl's <c>last-applied-configuration</c> annotation (a full copy of it).
/// </summary>
public static class MetadataSlimmer
{
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Slims <paramref name="obj"/>'s metadata in place and returns it.</summary>
    public static T Slim<T>(T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        if (obj.Metadata is { } metadata)
        {
            obj.Metadata = Slim(metadata);
        }

        return obj;
    }

    /// <summary>A new metadata with name, namespace, uid, resourceVersion, labels, annotations, owner references and timestamps.</summary>
    public static V1ObjectMeta Slim(V1ObjectMeta metadata)
    {
        var annotations = metadata.Annotations;
        if (annotations is not null && annotations.ContainsKey(LastAppliedAnnotation))
        {
            annotations = annotations.Where(a => a.Key != LastAppliedAnnotation).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        }

        return new V1ObjectMeta
        {
            Name = metadata.Name,
            NamespaceProperty = metadata.NamespaceProperty,
            Uid = metadata.Uid,
            ResourceVersion = metadata.ResourceVersion,
            Generation = metadata.Generation,
            Labels = metadata.Labels,
            Annotations = annotations is { Count: > 0 } ? annotations : null,
            OwnerReferences = metadata.OwnerReferences?
                .Select(static r => new V1OwnerReference { ApiVersion = r.ApiVersion, Kind = r.Kind, Name = r.Name, Uid = r.Uid, Controller = r.Controller })
                .ToList(),
            CreationTimestamp = metadata.CreationTimestamp,
            DeletionTimestamp = metadata.DeletionTimestamp,
        };
    }
}
