using k8s.Models;
using LazyMesh.Kubernetes.State;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>Pure: the fields of a workload's LazySidecar that LazyMesh owns (server-side apply body). Never ttl or paused: those are the user's.</summary>
public static class LazySidecarManifest
{
    public static LazySidecarResource For(Workload workload, string name, IReadOnlyList<string> staticHosts) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = workload.Namespace,
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [LazyMeshMetadata.ManagedByLabel] = LazyMeshMetadata.ManagedByValue,
                [LazyMeshMetadata.WorkloadKindLabel] = workload.Kind.ToString(),
                [LazyMeshMetadata.WorkloadNameLabel] = KubernetesNames.ToLabelValue(workload.Name),
            },
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [LazyMeshMetadata.WorkloadAnnotation] = workload.Key,
            },
        },
        Spec = new LazySidecarSpec
        {
            Workload = new LazySidecarWorkload { Kind = workload.Kind.ToString(), Name = workload.Name },
            WorkloadSelector = new LazySidecarWorkloadSelector
            {
                Labels = new SortedDictionary<string, string>(workload.SelectorLabels.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
            },
            StaticHosts = staticHosts.Count > 0 ? [.. staticHosts.Order(StringComparer.Ordinal)] : null,
        },
    };
}
