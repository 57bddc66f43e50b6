using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.AccessLogs;

/// <summary>
/// Every default access-log format Istio shipped, 1.1 onwards, copied here from istio/istio at the tag named (not from
/// LazyMesh's own table, so a mistake in that transcription fails here): a line rendered with each parses, is counted
/// under its version family, and gives back what was rendered.
/// </summary>
public sealed class IstioFormatHistoryTests
{
    /// <summary>(tag and path, Istio's Go constant, the family LazyMesh must report).</summary>
    public static TheoryData<string, string, string> TextFormats() => new()
    {
        {
            "1.1.0 pilot/pkg/networking/core/v1alpha3/listener.go EnvoyTextLogFormat",
            "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% " +
            "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% \"%DYNAMIC_METADATA(istio.mixer:status)%\" %BYTES_RECEIVED% %BYTES_SENT% " +
            "%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" " +
            "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" " +
            "%UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% " +
            "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME%\n",
            "Istio 1.1 TEXT"
        },
        {
            "1.2.0 pilot/pkg/networking/core/v1alpha3/listener.go EnvoyTextLogFormat (1.3.0-1.5.x EnvoyTextLogFormat12)",
            "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% " +
            "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% \"%DYNAMIC_METADATA(istio.mixer:status)%\" " +
            "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% " +
            "%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" " +
            "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" " +
            "%UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% " +
            "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME%\n",
            "Istio 1.2 TEXT"
        },
        {
            "1.3.0 pilot/pkg/networking/core/v1alpha3/listener.go EnvoyTextLogFormat13 (same through 1.7.x)",
            "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% " +
            "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% \"%DYNAMIC_METADATA(istio.mixer:status)%\" " +
            "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% " +
            "%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" " +
            "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" " +
            "%UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% " +
            "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n",
            "Istio 1.3-1.7 TEXT"
        },
        {
            "1.8.0 pilot/pkg/networking/core/v1alpha3/accesslog.go EnvoyTextLogFormat",
            "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% " +
            "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% " +
            "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% " +
            "%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" " +
            "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" " +
            "%UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% " +
            "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n",
            "Istio 1.8 TEXT"
        },
        {
            "1.9.0 pilot/pkg/networking/core/v1alpha3/accesslog.go EnvoyTextLogFormatIstio19 (1.11-1.22 EnvoyTextLogFormat)",
            "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% " +
            "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% " +
            "%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% " +
            "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% " +
            "%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" " +
            "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" " +
            "%UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% " +
            "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n",
            "Istio 1.9+ TEXT"
        },
        {
            "1.23.0 pilot/pkg/model/telemetry_logging.go EnvoyTextLogFormat (same in 1.28.0)",
            "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% " +
            "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% " +
            "%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% " +
            "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% " +
            "%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" " +
            "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" " +
            "%UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% " +
            "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n",
            "Istio 1.9+ TEXT"
        },
    };

    /// <summary>(tag and path, the keys of Istio's default JSON format, the family).</summary>
    public static TheoryData<string, string, string> JsonFormats() => new()
    {
        { "1.1.0 pilot/pkg/networking/core/v1alpha3/listener.go EnvoyJSONLogFormat", "start_time method path protocol response_code response_flags bytes_received bytes_sent duration upstream_service_time x_forwarded_for user_agent request_id authority upstream_host upstream_cluster upstream_local_address downstream_local_address downstream_remote_address requested_server_name istio_policy_status", "Istio 1.1 JSON" },
        { "1.2.0 pilot/pkg/networking/core/v1alpha3/listener.go EnvoyJSONLogFormat", "start_time method path protocol response_code response_flags bytes_received bytes_sent duration upstream_service_time x_forwarded_for user_agent request_id authority upstream_host upstream_cluster upstream_local_address downstream_local_address downstream_remote_address requested_server_name istio_policy_status upstream_transport_failure_reason", "Istio 1.2 JSON" },
        { "1.3.0 pilot/pkg/networking/core/v1alpha3/listener.go EnvoyJSONLogFormat13", "start_time route_name method path protocol response_code response_flags bytes_received bytes_sent duration upstream_service_time x_forwarded_for user_agent request_id authority upstream_host upstream_cluster upstream_local_address downstream_local_address downstream_remote_address requested_server_name istio_policy_status upstream_transport_failure_reason", "Istio 1.3-1.7 JSON" },
        { "1.8.0 pilot/pkg/networking/core/v1alpha3/accesslog.go EnvoyJSONLogFormat", "start_time route_name method path protocol response_code response_flags bytes_received bytes_sent duration upstream_service_time x_forwarded_for user_agent request_id authority upstream_host upstream_cluster upstream_local_address downstream_local_address downstream_remote_address requested_server_name upstream_transport_failure_reason", "Istio 1.8 JSON" },
        { "1.9.0 pilot/pkg/networking/core/v1alpha3/accesslog.go EnvoyJSONLogFormatIstio19; 1.28.0 pilot/pkg/model/telemetry_logging.go EnvoyJSONLogFormatIstio", "start_time route_name method path protocol response_code response_flags response_code_details connection_termination_details bytes_received bytes_sent duration upstream_service_time x_forwarded_for user_agent request_id authority upstream_host upstream_cluster upstream_local_address downstream_local_address downstream_remote_address requested_server_name upstream_transport_failure_reason", "Istio 1.9+ JSON" },
    };

    [Theory]
    [MemberData(nameof(TextFormats))]
    public void Each_default_text_format_is_detected_and_read(string source, string format, string family)
    {
        var call = new EnvoyLineRenderer.Call { ResponseFlags = "NR", ServerName = "reviews.bookinfo", FailureReason = "delayed connect error: 111" };
        var line = EnvoyLineRenderer.Text(format, call);
        var parser = new AccessLogLineParser();

        Assert.True(parser.Parse(line, out var e, out var error) == AccessLogLineKind.Parsed, $"{source}: {error}\n{line}");
        Assert.Equal(family, parser.LastFormat);
        Assert.Equal(call.UpstreamCluster, e.UpstreamCluster.ToString());
        Assert.Equal(call.Authority, e.Authority.ToString());
        Assert.Equal("10.244.1.10", e.SourceAddress.ToString());
        Assert.Equal("10.96.10.12", e.OriginalDestinationAddress.ToString());
        Assert.Equal(9080, e.OriginalDestinationPort);
        Assert.Equal(AccessResponseFlags.NoRouteFound, e.ResponseFlags);
        Assert.Equal("reviews.bookinfo", e.RequestedServerName.ToString());
        Assert.Equal(format.Contains("%ROUTE_NAME%", StringComparison.Ordinal) ? "default" : string.Empty, e.RouteName.ToString());
        Assert.Equal(AccessProtocol.Http, e.Protocol);
        Assert.Equal(DateTimeOffset.Parse(call.StartTime, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), e.StartTimeUnixMs);
    }

    [Theory]
    [MemberData(nameof(TextFormats))]
    public void Each_default_text_format_reads_tcp_entries(string source, string format, string family)
    {
        var call = new EnvoyLineRenderer.Call { Method = "-", Path = "-", Protocol = "-", ResponseCode = "0", Authority = "-", UserAgent = "-", RouteName = "-", ServerName = "-" };
        var parser = new AccessLogLineParser();

        Assert.True(parser.Parse(EnvoyLineRenderer.Text(format, call), out var e, out var error) == AccessLogLineKind.Parsed, $"{source}: {error}");
        Assert.Equal(family, parser.LastFormat);
        Assert.Equal(AccessProtocol.Tcp, e.Protocol);
        Assert.True(e.Authority.IsEmpty);
    }

    [Fact]
    public void LazyMesh_table_matches_the_formats_copied_from_istio()
    {
        var copied = TextFormats().Select(row => (string)row[1]).ToHashSet(StringComparer.Ordinal);
        foreach (var format in IstioAccessLogFormats.Text)
        {
            Assert.Contains(format.Format, copied);
        }
    }

    [Theory]
    [MemberData(nameof(JsonFormats))]
    public void Each_default_json_format_is_detected_by_its_keys(string source, string keys, string family)
    {
        var call = new EnvoyLineRenderer.Call();
        var labels = keys.Split(' ').ToDictionary(k => k, Operator);
        var line = EnvoyLineRenderer.Json(labels, call);
        var parser = new AccessLogLineParser();

        Assert.True(parser.Parse(line, out var e, out var error) == AccessLogLineKind.Parsed, $"{source}: {error}");
        Assert.Equal(family, parser.LastFormat);
        Assert.Equal(call.UpstreamCluster, e.UpstreamCluster.ToString());
        Assert.Equal("10.96.10.12", e.OriginalDestinationAddress.ToString());
    }

    [Fact]
    public void Istio_1_1_json_method_key_printed_the_start_time_and_is_still_http()
    {
        // 1.1.0 listener.go EnvoyJSONLogFormat maps "method" to %START_TIME% (a bug fixed in 1.2): the protocol decides TCP.
        const string line = """{"start_time":"2019-03-20T10:00:00.000Z","method":"2019-03-20T10:00:00.000Z","protocol":"HTTP/1.1","authority":"reviews:9080","upstream_cluster":"outbound|9080||reviews.bookinfo.svc.cluster.local","downstream_local_address":"10.96.10.12:9080","downstream_remote_address":"10.244.1.10:40654","istio_policy_status":"-"}""";
        var parser = new AccessLogLineParser();
        Assert.Equal(AccessLogLineKind.Parsed, parser.Parse(line, out var e, out _));
        Assert.Equal(AccessProtocol.Http, e.Protocol);
        Assert.Equal("Istio 1.1 JSON", parser.LastFormat);
    }

    [Fact]
    public void Json_with_a_start_time_that_is_not_iso_is_kept()
    {
        const string line = """{"start_time":"1714564801","authority":"reviews:9080","upstream_cluster":"outbound|9080||reviews.bookinfo.svc.cluster.local","downstream_local_address":"10.96.10.12:9080","downstream_remote_address":"10.244.1.10:40654","protocol":"HTTP/1.1"}""";
        var parser = new AccessLogLineParser();
        Assert.Equal(AccessLogLineKind.Parsed, parser.Parse(line, out var e, out _));
        Assert.Equal(1714564801000, e.StartTimeUnixMs);

        Assert.Equal(AccessLogLineKind.Parsed, parser.Parse(line.Replace("1714564801", "May 1st", StringComparison.Ordinal), out e, out _));
        Assert.Equal(0, e.StartTimeUnixMs);
    }

    [Fact]
    public void Json_with_custom_keys_is_refused_with_a_hint_not_called_not_an_access_log()
    {
        const string camel = """{"startTime":"2024-05-01T12:00:00Z","upstreamCluster":"outbound|9080||reviews.bookinfo.svc.cluster.local","downstreamRemoteAddress":"10.244.1.10:1"}""";
        var parser = new AccessLogLineParser();
        Assert.Equal(AccessLogLineKind.Malformed, parser.Parse(camel, out _, out var error));
        Assert.Contains("--log-format", error);

        const string agent = """{"level":"info","time":"2024-05-01T12:00:00Z","scope":"envoy","msg":"starting"}""";
        Assert.Equal(AccessLogLineKind.NotAccessLog, parser.Parse(agent, out _, out _));

        const string partial = """{"upstream_cluster":"outbound|9080||reviews.bookinfo.svc.cluster.local","authority":"reviews"}""";
        Assert.Equal(AccessLogLineKind.Malformed, parser.Parse(partial, out _, out error));
        Assert.Contains("downstream_remote_address", error);
    }

    [Theory]
    [InlineData("outbound|8000||httpbin.default.svc.cluster.local;")]
    [InlineData("PassthroughCluster;")]
    public void Alternate_stat_names_of_1_23_are_read_as_printed(string cluster)
    {
        // istio/istio#52384, #54219: 1.23.0-1.24.1 EnvoyJSONLogFormatIstio prints %UPSTREAM_CLUSTER%, which is the
        // cluster's alt_stat_name: its name + ";" (1.23.0 pilot/pkg/networking/util/util.go DelimitedStatsPrefix).
        // The parser keeps it; attribution strips the ";" (EventAttributionCutOffTests).
        var line = EnvoyLineRenderer.Text(IstioAccessLogFormats.Text19, new EnvoyLineRenderer.Call { UpstreamCluster = cluster });
        Assert.True(IstioTextLogParser.TryParse(line, out var e, out _));
        Assert.Equal(cluster, e.UpstreamCluster.ToString());
    }

    private static string Operator(string key) => key switch
    {
        "start_time" => "%START_TIME%",
        "route_name" => "%ROUTE_NAME%",
        "method" => "%REQ(:METHOD)%",
        "path" => "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
        "protocol" => "%PROTOCOL%",
        "response_code" => "%RESPONSE_CODE%",
        "response_flags" => "%RESPONSE_FLAGS%",
        "response_code_details" => "%RESPONSE_CODE_DETAILS%",
        "connection_termination_details" => "%CONNECTION_TERMINATION_DETAILS%",
        "authority" => "%REQ(:AUTHORITY)%",
        "upstream_cluster" => "%UPSTREAM_CLUSTER%",
        "downstream_local_address" => "%DOWNSTREAM_LOCAL_ADDRESS%",
        "downstream_remote_address" => "%DOWNSTREAM_REMOTE_ADDRESS%",
        "requested_server_name" => "%REQUESTED_SERVER_NAME%",
        "istio_policy_status" => "%DYNAMIC_METADATA(istio.mixer:status)%",
        "upstream_transport_failure_reason" => "%UPSTREAM_TRANSPORT_FAILURE_REASON%",
        _ => "%BYTES_SENT%",
    };
}
