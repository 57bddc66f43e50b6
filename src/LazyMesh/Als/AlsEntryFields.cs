namespace LazyMesh.Als;

/// <summary>The fields of one HTTP or TCP access-log entry LazyMesh needs, as raw UTF-8 spans into the message.</summary>
internal ref struct AlsEntryFields
{
    public ReadOnlySpan<byte> UpstreamCluster;
    public ReadOnlySpan<byte> Authority;
    public AlsAddressFields DownstreamRemote;
    public AlsAddressFields DownstreamLocal;
    public AlsAddressFields DownstreamDirectRemote;
    public long StartSeconds;
    public int StartNanos;

    /// <summary><c>AccessLogCommon.response_flags</c>: no_route_found (9) and no_cluster_found (25).</summary>
    public AccessLogs.AccessResponseFlags ResponseFlags;

    /// <summary><c>AccessLogCommon.route_name</c> (19).</summary>
    public ReadOnlySpan<byte> RouteName;

    /// <summary><c>AccessLogCommon.tls_properties</c> (4) <c>.tls_sni_hostname</c> (3).</summary>
    public ReadOnlySpan<byte> TlsSniHostname;
}
