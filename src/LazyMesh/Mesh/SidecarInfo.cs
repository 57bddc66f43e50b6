using LazyMesh.Istio;

namespace LazyMesh.Mesh;

/// <summary>An existing Istio Sidecar resource, as the index sees it.</summary>
public sealed record SidecarInfo(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string>? SelectorLabels,
    bool ManagedByLazyMesh,
    DateTimeOffset? Created,
    SidecarResource Resource)
{
    /// <summary>True for the namespace-wide default (no workload selector, or an empty one).</summary>
    public bool IsNamespaceDefault => SelectorLabels is null;

    public override string ToString() => $"{Namespace}/{Name}";
}
