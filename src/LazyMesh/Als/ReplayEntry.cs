using LazyMesh.AccessLogs;

namespace LazyMesh.Als;

/// <summary>One access-log entry to replay to an ALS endpoint. Null or 0 means absent.</summary>
public sealed class ReplayEntry
{
    public AccessProtocol Protocol { get; init; }

    public string? UpstreamCluster { get; init; }

    /// <summary>HTTP :authority (ignored for TCP).</summary>
    public string? Authority { get; init; }

    /// <summary>Downstream remote address IP (the caller).</summary>
    public string? SourceAddress { get; init; }

    public int SourcePort { get; init; }

    /// <summary>Downstream local address IP (the original destination).</summary>
    public string? DestinationAddress { get; init; }

    public int DestinationPort { get; init; }

    /// <summary>Start time as Unix milliseconds.</summary>
    public long StartTimeUnixMs { get; init; }

    /// <summary>HTTP response code (ignored for TCP).</summary>
    public int ResponseCode { get; init; }

    /// <summary>AccessLogCommon.route_name.</summary>
    public string? RouteName { get; init; }

    /// <summary>AccessLogCommon.tls_properties.tls_sni_hostname.</summary>
    public string? RequestedServerName { get; init; }

    /// <summary>AccessLogCommon.response_flags (NR, NC).</summary>
    public AccessResponseFlags ResponseFlags { get; init; }

    /// <summary>Copies what an <see cref="AccessEvent"/> carries (it has no source port or response code).</summary>
    public static ReplayEntry From(scoped in AccessEvent accessEvent) => new()
    {
        Protocol = accessEvent.Protocol,
        UpstreamCluster = NullIfEmpty(accessEvent.UpstreamCluster),
        Authority = NullIfEmpty(accessEvent.Authority),
        SourceAddress = NullIfEmpty(accessEvent.SourceAddress),
        DestinationAddress = NullIfEmpty(accessEvent.OriginalDestinationAddress),
        DestinationPort = accessEvent.OriginalDestinationPort,
        StartTimeUnixMs = accessEvent.StartTimeUnixMs,
        RouteName = NullIfEmpty(accessEvent.RouteName),
        RequestedServerName = NullIfEmpty(accessEvent.RequestedServerName),
        ResponseFlags = accessEvent.ResponseFlags,
    };

    private static string? NullIfEmpty(ReadOnlySpan<char> value) => value.IsEmpty ? null : value.ToString();
}
