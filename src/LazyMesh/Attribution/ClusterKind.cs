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

    /// <summary><c>BlackHoleCluster</c>: REGISTRY_ONLY refused a destination the sidecar does not know.</summary>
    BlackHole,

    /// <summary>Istio's own clusters (agent, prometheus_stats, sds-grpc, xds-grpc, zipkin, envoy_accesslog_service, ...).</summary>
    Special,

    /// <summary>
    /// Any other name: a cluster's alternate stat name (MeshConfig <c>outboundClusterStatName</c>, which Envoy's
    /// %UPSTREAM_CLUSTER% prints instead of the cluster name): resolved by original destination and authority.
    /// </summary>
    Unrecognized,
}
