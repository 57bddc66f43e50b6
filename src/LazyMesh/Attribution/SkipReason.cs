namespace LazyMesh.Attribution;

/// <summary>Why an access-log entry produced no edge. Counted per reason; never guessed around.</summary>
public enum SkipReason
{
    None = 0,

    /// <summary>The line or message could not be parsed.</summary>
    Malformed,

    /// <summary>An inbound entry (<c>inbound|...</c> or InboundPassthroughCluster*): the callee's side, not a dependency.</summary>
    Inbound,

    /// <summary>One of Istio's own clusters (agent, prometheus_stats, sds-grpc, xds-grpc, ...).</summary>
    SpecialCluster,

    /// <summary>No upstream cluster (<c>-</c>) and nothing saying a Sidecar cut the call off (no NR/NC flag, no <c>block_all</c> route).</summary>
    NoUpstreamCluster,

    /// <summary>The source address is missing or not an IP.</summary>
    NoSourceAddress,

    /// <summary>The source IP is not the IP of any known pod.</summary>
    UnknownSource,

    /// <summary>The source IP belongs to a hostNetwork pod (shared by many workloads): never attributed.</summary>
    HostNetworkSource,

    /// <summary>The destination host, address or authority is not a known service or ServiceEntry.</summary>
    UnknownDestination,

    /// <summary>
    /// Written by a gateway (ingress, egress, east-west; ALS node id <c>router~</c>, a gateway pod's log, or a line whose
    /// downstream local address is a gateway pod): attributed to the gateway, which gets no Sidecar, never to its client.
    /// </summary>
    Gateway,
}
