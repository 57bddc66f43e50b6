namespace LazyMesh.Mesh;

/// <summary>
/// A destination a Sidecar can import: a Kubernetes Service, or one host of a ServiceEntry.
/// </summary>
public sealed class MeshService
{
    public MeshService(string @namespace, string name, string host, MeshServiceKind kind)
    {
        Namespace = @namespace;
        Name = name;
        Host = host;
        Kind = kind;
        SidecarHost = $"{@namespace}/{host}";
    }

    /// <summary>Where the configuration lives: the Service's or the ServiceEntry's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The Service's or ServiceEntry's object name.</summary>
    public string Name { get; }

    /// <summary>The FQDN (<c>name.ns.svc.cluster.local</c>) or the ServiceEntry host (may be a <c>*.</c> wildcard).</summary>
    public string Host { get; }

    public MeshServiceKind Kind { get; }

    /// <summary><c>namespace/host</c>, exactly as it goes into <c>spec.egress[].hosts</c>.</summary>
    public string SidecarHost { get; }

    public IReadOnlyList<MeshServicePort> Ports { get; init; } = [];

    /// <summary>ClusterIPs, or a ServiceEntry's addresses.</summary>
    public IReadOnlyList<IpKey> Addresses { get; init; } = [];

    /// <summary>For ExternalName services, the external name.</summary>
    public string? ExternalName { get; init; }

    /// <summary>A ServiceEntry's <c>exportTo</c>, or a Service's <c>networking.istio.io/exportTo</c> annotation (empty = the mesh default).</summary>
    public IReadOnlyList<string> ExportTo { get; init; } = [];

    /// <summary>A Kubernetes Service's <c>spec.selector</c> (null when it selects no pods: ServiceEntry, ExternalName, manual endpoints).</summary>
    public IReadOnlyDictionary<string, string>? Selector { get; init; }

    /// <summary>A ServiceEntry's <c>location</c> (<c>MESH_EXTERNAL</c>, <c>MESH_INTERNAL</c>), null when unset.</summary>
    public string? Location { get; init; }

    /// <summary>A ServiceEntry's <c>resolution</c>, upper case (<c>NONE</c> when unset).</summary>
    public string? Resolution { get; init; }

    /// <summary>True when a ServiceEntry declares <c>addresses</c>: IPs that only Istio knows for its hosts.</summary>
    public bool HasDeclaredAddresses { get; init; }

    public override string ToString() => SidecarHost;
}
