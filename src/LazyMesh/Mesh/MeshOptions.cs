namespace LazyMesh.Mesh;

/// <summary>How the mesh index interprets names, and the mesh-wide defaults of Istio's MeshConfig it applies.</summary>
public sealed record MeshOptions
{
    public static MeshOptions Default { get; } = new();

    /// <summary>The cluster's DNS domain, the suffix of every Service FQDN.</summary>
    public const string DefaultClusterDomain = "cluster.local";

    /// <summary>Istio's default root namespace (MeshConfig <c>rootNamespace</c>).</summary>
    public const string DefaultRootNamespace = "istio-system";

    public string ClusterDomain { get; init; } = DefaultClusterDomain;

    /// <summary>MeshConfig <c>rootNamespace</c>: where a selector-less Sidecar is the mesh-wide default.</summary>
    public string RootNamespace { get; init; } = DefaultRootNamespace;

    /// <summary>MeshConfig <c>defaultVirtualServiceExportTo</c> (Istio's default: <c>*</c>).</summary>
    public IReadOnlyList<string> DefaultVirtualServiceExportTo { get; init; } = ["*"];

    /// <summary>MeshConfig <c>defaultServiceExportTo</c> (Istio's default: <c>*</c>).</summary>
    public IReadOnlyList<string> DefaultServiceExportTo { get; init; } = ["*"];
}
