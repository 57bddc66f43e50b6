namespace LazyMesh.AccessLogs;

/// <summary>What a field of an access-log format means to LazyMesh (everything else is <see cref="Other"/>).</summary>
public enum AccessLogField : byte
{
    /// <summary>Printed but not needed (user agent, request id, ...).</summary>
    Other,

    /// <summary>A number or <c>-</c> (RESPONSE_CODE, BYTES_*, DURATION): checked, so a misaligned line is caught.</summary>
    Number,

    StartTime,
    Method,
    Protocol,
    ResponseFlags,
    Authority,
    UpstreamCluster,

    /// <summary>DOWNSTREAM_LOCAL_ADDRESS (ip:port): the original destination on a sidecar's outbound entry.</summary>
    DownstreamLocalAddress,

    /// <summary>DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT.</summary>
    DownstreamLocalHost,

    /// <summary>DOWNSTREAM_LOCAL_PORT.</summary>
    DownstreamLocalPort,

    /// <summary>DOWNSTREAM_REMOTE_ADDRESS (with or without port) or DOWNSTREAM_DIRECT_REMOTE_ADDRESS: the caller.</summary>
    DownstreamRemoteAddress,

    RequestedServerName,
    RouteName,

    /// <summary>Marker fields that only tell Istio versions apart (mixer status, failure reason, response code details).</summary>
    MixerStatus,
    TransportFailureReason,
    ResponseCodeDetails,
}
