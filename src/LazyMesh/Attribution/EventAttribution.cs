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
    private const string InboundPassthrough = "InboundPassthroughCluster";

    /// <summary>
    /// Classifies the upstream cluster (<c>outbound|port|subset|fqdn</c>, <c>PassthroughCluster</c>, inbound,
    /// special), finds the calling pod's workload (the ALS sender's pod IP for outbound entries when known,
    /// else the downstream remote address) and the destination (the cluster's FQDN; for passthrough the
    /// original destination IP:port, else the authority in the caller's namespace; for fallback entries the
    /// authority, else the cluster's FQDN).
    /// </summary>
    /// <returns><see cref="SkipReason.None"/> when both <paramref name="source"/> and <paramref name="destination"/> are set.</returns>
    public static SkipReason Attribute(MeshIndex index, scoped in AccessEvent e, out Workload? source, out MeshService? destination)
    {
        source = null;
        destination = null;

        var cluster = Classify(e.UpstreamCluster, out var fqdn);
        if (!e.ViaFallback)
        {
            switch (cluster)
            {
                case ClusterKind.None:
                    return SkipReason.NoUpstreamCluster;
                case ClusterKind.Inbound:
                    return SkipReason.Inbound;
                case ClusterKind.Special:
                    return SkipReason.SpecialCluster;
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
        else
        {
            if (!e.OriginalDestinationAddress.IsEmpty && IpKey.TryParse(e.OriginalDestinationAddress, out var destinationIp))
            {
                destination = index.FindByAddress(destinationIp, e.OriginalDestinationPort);
            }

            if (destination is null && !e.Authority.IsEmpty)
            {
                destination = index.ResolveName(e.Authority, callerNamespace);
            }
        }

        return destination is null ? SkipReason.UnknownDestination : SkipReason.None;
    }

    private static ClusterKind Classify(ReadOnlySpan<char> cluster, out ReadOnlySpan<char> fqdn)
    {
        fqdn = default;
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

        if (cluster.StartsWith(InboundPrefix, StringComparison.Ordinal) || cluster.StartsWith(InboundPassthrough, StringComparison.Ordinal))
        {
            return ClusterKind.Inbound;
        }

        return ClusterKind.Special;
    }
}
