namespace LazyMesh.AccessLogs;

/// <summary>Maps Envoy command operators to the <see cref="AccessLogField"/> LazyMesh reads from them, and says which are required.</summary>
public static class AccessLogFields
{
    /// <summary>
    /// The fields without which LazyMesh cannot attribute a call: who called (DOWNSTREAM_REMOTE_ADDRESS), where the call
    /// went (UPSTREAM_CLUSTER or UPSTREAM_CLUSTER_RAW), and, for calls Istio could not route (PassthroughCluster, NR, NC,
    /// BlackHole), the original destination (DOWNSTREAM_LOCAL_ADDRESS) and the authority (REQ(:AUTHORITY)).
    /// </summary>
    public static IReadOnlyList<(AccessLogField Field, string Operators)> Required { get; } =
    [
        (AccessLogField.UpstreamCluster, "%UPSTREAM_CLUSTER_RAW% (or %UPSTREAM_CLUSTER%)"),
        (AccessLogField.DownstreamRemoteAddress, "%DOWNSTREAM_REMOTE_ADDRESS%"),
        (AccessLogField.DownstreamLocalAddress, "%DOWNSTREAM_LOCAL_ADDRESS%"),
        (AccessLogField.Authority, "%REQ(:AUTHORITY)%"),
    ];

    /// <summary>The field an operator fills.</summary>
    public static AccessLogField Of(EnvoyCommandOperator op)
    {
        switch (op.Name)
        {
            case "START_TIME":
                return AccessLogField.StartTime;
            case "PROTOCOL":
                return AccessLogField.Protocol;
            case "RESPONSE_FLAGS":
            case "RESPONSE_FLAGS_LONG":
                return AccessLogField.ResponseFlags;
            case "UPSTREAM_CLUSTER":
            case "UPSTREAM_CLUSTER_RAW":
                return AccessLogField.UpstreamCluster;
            case "DOWNSTREAM_LOCAL_ADDRESS":
                return AccessLogField.DownstreamLocalAddress;
            case "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT":
                return AccessLogField.DownstreamLocalHost;
            case "DOWNSTREAM_LOCAL_PORT":
                return AccessLogField.DownstreamLocalPort;
            case "DOWNSTREAM_REMOTE_ADDRESS":
            case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT":
            case "DOWNSTREAM_DIRECT_REMOTE_ADDRESS":
            case "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT":
                return AccessLogField.DownstreamRemoteAddress;
            case "REQUESTED_SERVER_NAME":
                return AccessLogField.RequestedServerName;
            case "ROUTE_NAME":
                return AccessLogField.RouteName;
            case "UPSTREAM_TRANSPORT_FAILURE_REASON":
                return AccessLogField.TransportFailureReason;
            case "RESPONSE_CODE_DETAILS":
                return AccessLogField.ResponseCodeDetails;
            case "RESPONSE_CODE":
            case "BYTES_RECEIVED":
            case "BYTES_SENT":
            case "DURATION":
                return AccessLogField.Number;
            case "DYNAMIC_METADATA" when op.Argument is "istio.mixer:status":
                return AccessLogField.MixerStatus;
            case "REQ":
                return RequestHeader(op.Argument);
            default:
                return AccessLogField.Other;
        }
    }

    /// <summary>
    /// Which required fields the operators lack, as the operators to add (empty when none is missing).
    /// </summary>
    public static IReadOnlyList<string> Missing(IEnumerable<AccessLogField> present)
    {
        var set = present.ToHashSet();
        if (set.Contains(AccessLogField.DownstreamLocalHost))
        {
            set.Add(AccessLogField.DownstreamLocalAddress);
        }

        return [.. Required.Where(r => !set.Contains(r.Field)).Select(r => r.Operators)];
    }

    // REQ(:AUTHORITY), REQ(HOST) (Envoy's Host is :authority), REQ(:AUTHORITY?HOST); REQ(:METHOD).
    private static AccessLogField RequestHeader(string? argument)
    {
        if (argument is null)
        {
            return AccessLogField.Other;
        }

        var first = argument.Split('?')[0].Trim();
        if (first.Equals(":authority", StringComparison.OrdinalIgnoreCase) || first.Equals("host", StringComparison.OrdinalIgnoreCase))
        {
            return AccessLogField.Authority;
        }

        return first.Equals(":method", StringComparison.OrdinalIgnoreCase) ? AccessLogField.Method : AccessLogField.Other;
    }
}
