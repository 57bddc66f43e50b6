namespace LazyMesh.AccessLogs;

/// <summary>
/// What one access-log entry says, normalised, independent of its wire or file format. A ref struct:
/// its text fields are spans into the line or message it came from, so parsing allocates nothing.
/// Empty spans mean "absent" (Envoy prints <c>-</c>).
/// </summary>
public ref struct AccessEvent
{
    public AccessProtocol Protocol;

    /// <summary>Envoy's upstream cluster, e.g. <c>outbound|9080||reviews.default.svc.cluster.local</c> or <c>PassthroughCluster</c>.</summary>
    public ReadOnlySpan<char> UpstreamCluster;

    /// <summary>HTTP :authority / Host (empty for TCP).</summary>
    public ReadOnlySpan<char> Authority;

    /// <summary>DOWNSTREAM_REMOTE_ADDRESS's IP (the caller on a sidecar's outbound log), without port.</summary>
    public ReadOnlySpan<char> SourceAddress;

    /// <summary>DOWNSTREAM_LOCAL_ADDRESS's IP (the original destination on an outbound log), without port.</summary>
    public ReadOnlySpan<char> OriginalDestinationAddress;

    /// <summary>DOWNSTREAM_LOCAL_ADDRESS's port, 0 if absent.</summary>
    public int OriginalDestinationPort;

    /// <summary>The entry's start time as Unix milliseconds; 0 if absent.</summary>
    public long StartTimeUnixMs;

    /// <summary>When the stream's sender is a known sidecar, that pod's IP (from the ALS node id); else empty.</summary>
    public ReadOnlySpan<char> SenderPodAddress;

    /// <summary>
    /// When the entry was reported by the LazyMesh fallback proxy: the destination is the authority as the
    /// caller used it, resolved in the caller's namespace.
    /// </summary>
    public bool ViaFallback;

    /// <summary>Envoy's RESPONSE_FLAGS that matter to attribution (NR, NC); others are not kept.</summary>
    public AccessResponseFlags ResponseFlags;

    /// <summary>ROUTE_NAME, e.g. <c>allow_any</c>, <c>block_all</c>, <c>default</c>; empty if absent.</summary>
    public ReadOnlySpan<char> RouteName;

    /// <summary>REQUESTED_SERVER_NAME: the TLS SNI the caller sent (TLS passthrough names its host here); empty if absent.</summary>
    public ReadOnlySpan<char> RequestedServerName;

    /// <summary>
    /// The entry was written by a gateway's Envoy (ALS node id <c>router~...</c>): it is attributed to the gateway, and
    /// gateways get no Sidecar.
    /// </summary>
    public bool SenderIsGateway;

    /// <summary>The pod that wrote the line, when the log says so (a <c>kubectl logs --prefix</c>, stern or CRI path prefix); else empty.</summary>
    public ReadOnlySpan<char> OriginPod;

    /// <summary>That pod's namespace, when known; else empty.</summary>
    public ReadOnlySpan<char> OriginNamespace;
}
