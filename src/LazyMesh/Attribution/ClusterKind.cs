namespace LazyMesh.Attribution;

/// <summary>What an Envoy upstream cluster name says about an entry.</summary>
internal enum ClusterKind
{
    /// <summary>No cluster (<c>-</c> or empty).</summary>
    None,

    /// <summary><c>outbound|port|subset|fqdn</c>.</summary>
    Outbound,

    /// <summary><c>PassthroughCluster</c>: the original destination was not in the sidecar's configuration.</summary>
    Passthrough,

    /// <summary><c>inbound|...</c> or <c>InboundPassthroughCluster*</c>.</summary>
    Inbound,

    /// <summary>BlackHoleCluster, Istio's own clusters, and anything else.</summary>
    Special,
}
