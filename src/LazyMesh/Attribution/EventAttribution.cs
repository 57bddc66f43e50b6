using LazyMesh.AccessLogs;
using LazyMesh.Mesh;

namespace LazyMesh.Attribution;

/// <summary>
/// Turns one access event into (source workload, destination service), or says why it cannot. Pure and
/// allocation-free for IPv4 sources and destinations.
/// </summary>
public static class EventAttribution
{
    private const string OutboundPrefix = "outbound|";
    private const string InboundPrefix = "inbound|";
    private const string Passthrough = "PassthroughCluster";
    private const string BlackHole = "BlackHoleCluster";
    private const string InboundPassthrough = "InboundPassthroughCluster";

    /// <summary>Istio's catch-all route under REGISTRY_ONLY (httproute.go <c>buildCatchAllVirtualHost</c>): a 502 direct response.</summary>
    private const string BlockAllRoute = "block_all";

    /// <summary>
    /// Classifies the upstream cluster (<c>outbound|port|subset|fqdn</c>, <c>PassthroughCluster</c>, <c>BlackHoleCluster</c>,
    /// inbound, Istio's own; a trailing <c>;</c>, which Istio 1.23+ adds to every cluster's alternate stat name, is
    /// ignored), skips gateway entries (<see cref="SkipReason.Gateway"/>), finds the calling pod's workload (the ALS
    /// sender's pod IP for outbound entries when known, else the downstream remote address) and the destination: the
    /// cluster's FQDN; for calls the sidecar could not route (PassthroughCluster, BlackHoleCluster, response flag NR or
    /// NC, the <c>block_all</c> route, an alternate stat name) the original destination IP:port, the authority in the
    /// caller's namespace, or the TLS SNI; for fallback entries the authority, else the cluster's FQDN.
    /// </summary>
    /// <returns><see cref="SkipReason.None"/> when both <paramref name="source"/> and <paramref name="destination"/> are set.</returns>
    public static SkipReason Attribute(MeshIndex index, scoped in AccessEvent e, out Workload? source, out MeshService? destination)
    {
        source = null;
        destination = null;

        var cluster = Classify(e.UpstreamCluster, out var fqdn);
        if (!e.ViaFallback)
        {
            if (e.SenderIsGateway)
            {
                return SkipReason.Gateway;
            }

            switch (cluster)
            {
                case ClusterKind.None when !IsCutOff(in e):
                    return SkipReason.NoUpstreamCluster;
                case ClusterKind.Inbound:
                    return SkipReason.Inbound;
                case ClusterKind.Special:
                    return SkipReason.SpecialCluster;
            }

            if (IsFromGateway(index, in e, cluster))
            {
                return SkipReason.Gateway;
            }
        }

        // On an outbound entry from a sidecar's ALS stream, the sender is the caller (even behind SNAT or a
        // node-local redirect); otherwise the downstream remote address is.
        var sourceText = !e.ViaFallback && !e.SenderPodAddress.IsEmpty ? e.SenderPodAddress : e.SourceAddress;
        if (sourceText.IsEmpty || !IpKey.TryParseEndpoint(sourceText, out var sourceIp, out _))
        {
            return SkipReason.NoSourceAddress;
        }

        switch (index.FindPod(sourceIp, out var pod))
        {
            case PodIpMatch.None:
                return SkipReason.UnknownSource;
            case PodIpMatch.HostNetwork:
                return SkipReason.HostNetworkSource;
        }

        source = pod!.Workload;
        var callerNamespace = pod.Namespace.AsSpan();

        if (e.ViaFallback)
        {
            destination = index.ResolveName(e.Authority, callerNamespace);
            if (destination is null && !fqdn.IsEmpty)
            {
                destination = index.FindByHost(fqdn);
            }
        }
        else if (cluster == ClusterKind.Outbound)
        {
            destination = index.FindByHost(fqdn);
        }
        else if (cluster == ClusterKind.Passthrough)
        {
            destination = ByOriginalDestination(index, in e) ?? ByName(index, in e, callerNamespace);
        }
        else
        {
            // NR, NC, block_all, BlackHole, alternate stat names: the host the caller asked for names the dependency.
            destination = ByName(index, in e, callerNamespace) ?? ByOriginalDestination(index, in e);
        }

        return destination is null ? SkipReason.UnknownDestination : SkipReason.None;
    }

    /// <summary>An entry without a cluster that a Sidecar's scope cut off: no route (NR), no cluster (NC), or <c>block_all</c>.</summary>
    private static bool IsCutOff(scoped in AccessEvent e) =>
        (e.ResponseFlags & (AccessResponseFlags.NoRouteFound | AccessResponseFlags.NoClusterFound)) != 0
        || e.RouteName.SequenceEqual(BlockAllRoute);

    /// <summary>
    /// A gateway's entry: its origin (a <c>kubectl logs --prefix</c>/stern/CRI-path pod name) is a gateway pod, or its
    /// downstream local address (the listener a gateway accepted the call on) is a gateway pod's IP. A sidecar's
    /// PassthroughCluster call to a gateway pod's IP is its own dependency and is not taken for a gateway entry.
    /// </summary>
    private static bool IsFromGateway(MeshIndex index, scoped in AccessEvent e, ClusterKind cluster)
    {
        var gateways = GatewayPods.Of(index);
        if (gateways.IsEmpty)
        {
            return false;
        }

        if (!e.OriginPod.IsEmpty)
        {
            return gateways.ContainsPod(e.OriginPod);
        }

        return cluster != ClusterKind.Passthrough
            && !e.OriginalDestinationAddress.IsEmpty
            && IpKey.TryParse(e.OriginalDestinationAddress, out var local)
            && gateways.ContainsAddress(local);
    }

    private static MeshService? ByOriginalDestination(MeshIndex index, scoped in AccessEvent e) =>
        !e.OriginalDestinationAddress.IsEmpty && IpKey.TryParse(e.OriginalDestinationAddress, out var destinationIp)
            ? index.FindByAddress(destinationIp, e.OriginalDestinationPort)
            : null;

    /// <summary>The authority in the caller's namespace, else the TLS SNI (TLS passthrough to a ServiceEntry host).</summary>
    private static MeshService? ByName(MeshIndex index, scoped in AccessEvent e, ReadOnlySpan<char> callerNamespace)
    {
        MeshService? destination = null;
        if (!e.Authority.IsEmpty)
        {
            destination = index.ResolveName(e.Authority, callerNamespace);
        }

        if (destination is null && !e.RequestedServerName.IsEmpty)
        {
            destination = index.FindByHost(e.RequestedServerName);
        }

        return destination;
    }

    private static ClusterKind Classify(ReadOnlySpan<char> cluster, out ReadOnlySpan<char> fqdn)
    {
        fqdn = default;

        // Istio 1.23+ sets every cluster's alt_stat_name to its name + ";" (util.DelimitedStatsPrefix,
        // constants.StatPrefixDelimiter) and %UPSTREAM_CLUSTER% prints it (istio/istio#52384, #54219).
        if (cluster.EndsWith(';'))
        {
            cluster = cluster[..^1];
        }

        if (cluster.IsEmpty || cluster.SequenceEqual("-"))
        {
            return ClusterKind.None;
        }

        if (cluster.StartsWith(OutboundPrefix, StringComparison.Ordinal))
        {
            // outbound|<port>|<subset>|<fqdn>
            var rest = cluster[OutboundPrefix.Length..];
            var bar = rest.IndexOf('|');
            if (bar >= 0)
            {
                rest = rest[(bar + 1)..];
                bar = rest.IndexOf('|');
                if (bar >= 0)
                {
                    fqdn = rest[(bar + 1)..];
                }
            }

            return fqdn.IsEmpty ? ClusterKind.Special : ClusterKind.Outbound;
        }

        if (cluster.SequenceEqual(Passthrough))
        {
            return ClusterKind.Passthrough;
        }

        if (cluster.SequenceEqual(BlackHole))
        {
            return ClusterKind.BlackHole;
        }

        if (cluster.StartsWith(InboundPrefix, StringComparison.Ordinal) || cluster.StartsWith(InboundPassthrough, StringComparison.Ordinal))
        {
            return ClusterKind.Inbound;
        }

        return IsIstioOwnCluster(cluster) ? ClusterKind.Special : ClusterKind.Unrecognized;
    }

    /// <summary>Clusters Istio's bootstrap defines (istio/istio 1.28.0 tools/packaging/common/envoy_bootstrap.json).</summary>
    private static bool IsIstioOwnCluster(ReadOnlySpan<char> cluster) =>
        cluster is "agent" or "prometheus_stats" or "sds-grpc" or "sds-files-grpc" or "xds-grpc" or "zipkin" or "envoy_accesslog_service"
            or "envoy_metrics_service" or "lightstep" or "datadog_agent" or "metadata_discovery" or "admin"
        || cluster.StartsWith("outbound_", StringComparison.Ordinal)
        || cluster.StartsWith("inbound_", StringComparison.Ordinal);
}
