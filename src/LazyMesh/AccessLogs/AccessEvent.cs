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
}
