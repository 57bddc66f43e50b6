using System.Text;
using System.Text.Json;
using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.AccessLogs;

/// <summary>
/// Renders an access-log line from an Envoy format string the way Envoy's substitution formatter would, with the values
/// of a <see cref="Call"/>: the round-trip half of the format tests (render with the format, parse it back).
/// </summary>
internal static class EnvoyLineRenderer
{
    /// <summary>What one call printed: every operator Istio's default formats use.</summary>
    public sealed record Call
    {
        public string StartTime { get; init; } = "2024-05-01T12:00:01.534Z";
        public string Method { get; init; } = "GET";
        public string Path { get; init; } = "/reviews/0";
        public string Protocol { get; init; } = "HTTP/1.1";
        public string ResponseCode { get; init; } = "200";
        public string ResponseFlags { get; init; } = "-";
        public string Authority { get; init; } = "reviews:9080";
        public string UpstreamCluster { get; init; } = "outbound|9080||reviews.bookinfo.svc.cluster.local";
        public string DownstreamLocal { get; init; } = "10.96.10.12:9080";
        public string DownstreamRemote { get; init; } = "10.244.1.10:40654";
        public string ServerName { get; init; } = "-";
        public string RouteName { get; init; } = "default";
        public string UserAgent { get; init; } = "Mozilla/5.0 (X11; Linux x86_64) \"quoted\" thing";
        public string FailureReason { get; init; } = "-";
    }

    public static string Text(string format, Call call)
    {
        var line = new StringBuilder();
        foreach (var segment in EnvoyFormatString.Parse(format.TrimEnd('\n')))
        {
            line.Append(segment.Literal ?? Value(segment.Operator!, call));
        }

        return line.ToString();
    }

    public static string Json(IReadOnlyDictionary<string, string> labels, Call call)
    {
        var values = labels.ToDictionary(l => l.Key, l => Text(l.Value, call));
        return JsonSerializer.Serialize(values);
    }

    private static string Value(EnvoyCommandOperator op, Call call)
    {
        string value = op.Name switch
        {
            "START_TIME" when op.Argument == "%s" => DateTimeOffset.Parse(call.StartTime, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "START_TIME" => call.StartTime,
            "PROTOCOL" => call.Protocol,
            "RESPONSE_CODE" => call.ResponseCode,
            "RESPONSE_FLAGS" => call.ResponseFlags,
            "RESPONSE_CODE_DETAILS" => call.ResponseCode == "200" ? "via_upstream" : "route_not_found",
            "CONNECTION_TERMINATION_DETAILS" => "-",
            "UPSTREAM_TRANSPORT_FAILURE_REASON" => call.FailureReason,
            "BYTES_RECEIVED" => "0",
            "BYTES_SENT" => "358",
            "DURATION" => "3",
            "UPSTREAM_HOST" => "10.244.1.12:9080",
            "UPSTREAM_CLUSTER" or "UPSTREAM_CLUSTER_RAW" => call.UpstreamCluster,
            "UPSTREAM_LOCAL_ADDRESS" => "10.244.1.10:46678",
            "DOWNSTREAM_LOCAL_ADDRESS" => call.DownstreamLocal,
            "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT" => call.DownstreamLocal[..call.DownstreamLocal.LastIndexOf(':')],
            "DOWNSTREAM_LOCAL_PORT" => call.DownstreamLocal[(call.DownstreamLocal.LastIndexOf(':') + 1)..],
            "DOWNSTREAM_REMOTE_ADDRESS" => call.DownstreamRemote,
            "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT" => call.DownstreamRemote[..call.DownstreamRemote.LastIndexOf(':')],
            "REQUESTED_SERVER_NAME" => call.ServerName,
            "ROUTE_NAME" => call.RouteName,
            "DYNAMIC_METADATA" => "-",
            "REQ" => op.Argument!.Split('?')[0].ToUpperInvariant() switch
            {
                ":METHOD" => call.Method,
                ":AUTHORITY" or "HOST" => call.Authority,
                "X-ENVOY-ORIGINAL-PATH" => call.Path,
                "USER-AGENT" => call.UserAgent,
                "X-REQUEST-ID" => "11e20b8f-6b0d-449b-af03-675a1600a35a",
                _ => "-",
            },
            "RESP" => "2",
            _ => "-",
        };
        return op.MaxLength is { } max && value.Length > max ? value[..max] : value;
    }
}
