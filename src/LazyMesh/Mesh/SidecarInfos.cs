using LazyMesh.Istio;
using LazyMesh.Rendering;

namespace LazyMesh.Mesh;

/// <summary>What the index keeps of a Sidecar resource.</summary>
internal static class SidecarInfos
{
    public static SidecarInfo From(SidecarResource sidecar)
    {
        var labels = sidecar.Spec?.WorkloadSelector?.Labels;
        return new SidecarInfo(
            sidecar.Metadata.NamespaceProperty,
            sidecar.Metadata.Name,
            labels is { Count: > 0 } ? new SortedDictionary<string, string>(labels, StringComparer.Ordinal) : null,
            sidecar.Metadata.Labels?.TryGetValue(LazyMeshMetadata.ManagedByLabel, out var manager) == true && manager == LazyMeshMetadata.ManagedByValue,
            KubernetesTimestamps.ToOffset(sidecar.Metadata.CreationTimestamp),
            sidecar);
    }
}
