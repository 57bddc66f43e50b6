using k8s.Models;
using LazyMesh.Kubernetes.State;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>The LazySidecar an Event is about.</summary>
public sealed record EventTarget(string Namespace, string Name, string? Uid, string WorkloadKey)
{
    public string Key => $"{Namespace}/{Name}";

    public static EventTarget Of(LazySidecarResource lazy) =>
        new(lazy.Metadata.NamespaceProperty, lazy.Metadata.Name, lazy.Metadata.Uid, lazy.WorkloadKey);

    public V1ObjectReference Reference() => new()
    {
        ApiVersion = LazySidecarResource.GroupVersion,
        Kind = LazySidecarResource.ResourceKind,
        NamespaceProperty = Namespace,
        Name = Name,
        Uid = Uid,
    };
}
