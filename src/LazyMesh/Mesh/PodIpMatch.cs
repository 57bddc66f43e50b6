namespace LazyMesh.Mesh;

/// <summary>What an IP address is in the mesh index.</summary>
public enum PodIpMatch
{
    /// <summary>No known pod has this IP.</summary>
    None,

    /// <summary>The IP belongs to the returned pod.</summary>
    Pod,

    /// <summary>The IP is a node's, shared by hostNetwork pods: never attributed to a workload.</summary>
    HostNetwork,
}
