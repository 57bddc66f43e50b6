namespace LazyMesh.Mesh;

/// <summary>How the mesh index interprets names, and the mesh-wide defaults of Istio's MeshConfig it applies.</summary>
public sealed record MeshOptions
{
    public static MeshOptions Default { get; } = new();

    /// <summary>The cluster's DNS domain, the suffix of every Service FQDN.</summary>
    public const string DefaultClusterDomain = "cluster.local";

    public string ClusterDomain { get; init; } = DefaultClusterDomain;

    /// <summary>A MeshConfig given explicitly (<c>--mesh-config FILE</c>); null = the inventory's <c>istio</c> ConfigMap, else Istio's defaults.</summary>
    public MeshConfig? MeshConfig { get; init; }

    /// <summary>
    /// Where istiod's MeshConfig ConfigMap (<c>istio</c>) lives: istiod's own namespace (istio/istio
    /// <c>pilot/pkg/bootstrap/mesh.go getMeshConfigMapName</c>: <c>istio</c>, or <c>istio-&lt;revision&gt;</c>, read there). Read unless
    /// <see cref="MeshConfig"/> is given.
    /// </summary>
    public string MeshConfigNamespace { get; init; } = Mesh.MeshConfig.DefaultRootNamespace;
}
