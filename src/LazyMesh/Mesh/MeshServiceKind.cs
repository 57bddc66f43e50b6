namespace LazyMesh.Mesh;

public enum MeshServiceKind
{
    /// <summary>A Kubernetes Service with a ClusterIP.</summary>
    Service,

    /// <summary>A Kubernetes Service with <c>clusterIP: None</c>.</summary>
    HeadlessService,

    /// <summary>A Kubernetes Service of type ExternalName.</summary>
    ExternalNameService,

    /// <summary>One host of an Istio ServiceEntry.</summary>
    ServiceEntry,
}
