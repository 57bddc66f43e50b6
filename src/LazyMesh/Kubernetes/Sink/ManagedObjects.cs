using k8s.Models;
using LazyMesh.Rendering;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>Which objects are LazyMesh's: labelled <c>app.kubernetes.io/managed-by=lazymesh</c>.</summary>
public static class ManagedObjects
{
    public const string LabelSelector = LazyMeshMetadata.ManagedByLabel + "=" + LazyMeshMetadata.ManagedByValue;

    public static bool IsManaged(V1ObjectMeta? metadata) =>
        metadata?.Labels is { } labels && labels.TryGetValue(LazyMeshMetadata.ManagedByLabel, out var value) && value == LazyMeshMetadata.ManagedByValue;
}
