using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.AccessLogs;

/// <summary><c>--log-format</c>: parsers derived from the Envoy format string a mesh uses, TEXT and JSON.</summary>
public sealed class CustomFormatTests
{
    /// <summary>A MeshConfig accessLogFormat of the kind users write: other order, no quotes around most fields, START_TIME as seconds.</summary>
    public const string Custom =
        "%START_TIME(%s)% %DOWNSTREAM_REMOTE_ADDRESS% -> %DOWNSTREAM_LOCAL_ADDRESS% [%UPSTREAM_CLUSTER%] authority=\"%REQ(:AUTHORITY)%\" "
        + "\"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% route=%ROUTE_NAME% sni=%REQUESTED_SERVER_NAME%\n";

    /// <summary>JSON labels as in Telemetry provider envoyFileAccessLog.logFormat.labels / MeshConfig accessLogFormat with accessLogEncoding JSON.</summary>
    public static IReadOnlyDictionary<string, string> CamelCaseLabels { get; } = new Dictionary<string, string>
    {
        ["startTime"] = "%START_TIME%",
        ["upstreamCluster"] = "%UPSTREAM_CLUSTER_RAW%",
        ["authority"] = "%REQ(:AUTHORITY)%",
        ["source"] = "%DOWNSTREAM_REMOTE_ADDRESS%",
        ["destination"] = "%DOWNSTREAM_LOCAL_ADDRESS%",
        ["flags"] = "%RESPONSE_FLAGS%",
        ["protocol"] = "%PROTOCOL%",
        ["request"] = "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
    };

    [Fact]
    public void A_meshconfig_format_round_trips_render_then_parse()
    {
        var format = TextLogFormat.Compile("custom TEXT", Custom);
        var call = new EnvoyLineRenderer.Call { ResponseFlags = "NC", RouteName = "block_all", ServerName = "api.example.com" };
        var line = EnvoyLineRenderer.Text(Custom, call);

        Assert.True(format.Parse(line, out var e, out var error, out _) == AccessLogLineKind.Parsed, $"{error}\n{line}");
        Assert.Equal(call.UpstreamCluster, e.UpstreamCluster.ToString());
        Assert.Equal(call.Authority, e.Authority.ToString());
        Assert.Equal("10.244.1.10", e.SourceAddress.ToString());
        Assert.Equal("10.96.10.12", e.OriginalDestinationAddress.ToString());
        Assert.Equal(9080, e.OriginalDestinationPort);
        Assert.Equal(AccessResponseFlags.NoClusterFound, e.ResponseFlags);
        Assert.Equal("block_all", e.RouteName.ToString());
        Assert.Equal("api.example.com", e.RequestedServerName.ToString());
        Assert.Equal(1714564801000, e.StartTimeUnixMs);
    }

    [Fact]
    public void The_line_parser_tries_the_custom_format_first_and_istio_defaults_after()
    {
        var parser = new AccessLogLineParser(AccessLogFormatLoader.Load([Custom]));
        Assert.Equal(AccessLogLineKind.Parsed, parser.Parse(EnvoyLineRenderer.Text(Custom, new()), out _, out _));
        Assert.Equal("custom TEXT", parser.LastFormat);
        Assert.Equal(AccessLogLineKind.Parsed, parser.Parse(SampleLines.HttpOutbound, out _, out _));
        Assert.Equal("Istio 1.9+ TEXT", parser.LastFormat);
    }

    [Fact]
    public void Separate_host_and_port_operators_are_enough()
    {
        const string format = "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT%:%DOWNSTREAM_LOCAL_PORT% %UPSTREAM_CLUSTER_RAW% %REQ(HOST)%";
        var compiled = TextLogFormat.Compile("custom TEXT", format);
        Assert.Equal(AccessLogLineKind.Parsed, compiled.Parse(EnvoyLineRenderer.Text(format, new()), out var e, out var error, out _));
        Assert.Null(error);
        Assert.Equal("10.96.10.12", e.OriginalDestinationAddress.ToString());
        Assert.Equal(9080, e.OriginalDestinationPort);
        Assert.Equal("reviews:9080", e.Authority.ToString());
    }

    [Fact]
    public void A_format_without_what_lazymesh_needs_is_refused_up_front_with_the_list()
    {
        var e = Assert.Throws<AccessLogFormatException>(() => TextLogFormat.Compile("custom TEXT", "[%START_TIME%] %REQ(:METHOD)% %RESPONSE_CODE% %UPSTREAM_HOST%"));
        Assert.Equal(["%UPSTREAM_CLUSTER_RAW% (or %UPSTREAM_CLUSTER%)", "%DOWNSTREAM_REMOTE_ADDRESS%", "%DOWNSTREAM_LOCAL_ADDRESS%", "%REQ(:AUTHORITY)%"], e.Missing);
        Assert.Contains("%DOWNSTREAM_REMOTE_ADDRESS%", e.Message);
    }

    [Theory]
    [InlineData("%UPSTREAM_CLUSTER%%DOWNSTREAM_REMOTE_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %REQ(:AUTHORITY)%", "nothing between them")]
    [InlineData("%UPSTREAM_CLUSTER %DOWNSTREAM_REMOTE_ADDRESS%", "missing closing '%'")]
    [InlineData("%REQ(:AUTHORITY %", "missing ')'")]
    [InlineData("plain text", "no command operators")]
    public void Bad_format_strings_are_refused_with_the_reason(string format, string expected)
    {
        var e = Assert.Throws<AccessLogFormatException>(() => TextLogFormat.Compile("custom TEXT", format));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Envoy_operators_with_arguments_and_lengths_tokenise()
    {
        var segments = EnvoyFormatString.Parse("100%% [%START_TIME(%Y-%m-%dT%H:%M:%S%z)%] %REQ(USER-AGENT):10% %DYNAMIC_METADATA(istio.mixer:status)%");
        Assert.Equal("100% [", segments[0].Literal);
        Assert.Equal(new EnvoyCommandOperator("START_TIME", "%Y-%m-%dT%H:%M:%S%z", null), segments[1].Operator);
        Assert.Equal(new EnvoyCommandOperator("REQ", "USER-AGENT", 10), segments[3].Operator);
        Assert.Equal(new EnvoyCommandOperator("DYNAMIC_METADATA", "istio.mixer:status", null), segments[5].Operator);
    }

    [Fact]
    public void Custom_json_labels_with_camel_case_keys_round_trip()
    {
        var labels = CamelCaseLabels;
        var format = JsonLogFormat.Compile("custom JSON", labels);
        var parser = new AccessLogLineParser(AccessLogFormatSet.WithDefaults([], [format]));
        var line = EnvoyLineRenderer.Json(labels, new EnvoyLineRenderer.Call { ResponseFlags = "NR" });

        Assert.Equal(AccessLogLineKind.Parsed, parser.Parse(line, out var e, out var error));
        Assert.Null(error);
        Assert.Equal("custom JSON", parser.LastFormat);
        Assert.Equal("outbound|9080||reviews.bookinfo.svc.cluster.local", e.UpstreamCluster.ToString());
        Assert.Equal("10.244.1.10", e.SourceAddress.ToString());
        Assert.Equal(AccessResponseFlags.NoRouteFound, e.ResponseFlags);
    }

    [Fact]
    public void Custom_json_without_required_labels_is_refused_with_the_list()
    {
        var e = Assert.Throws<AccessLogFormatException>(() => JsonLogFormat.Compile("custom JSON", new Dictionary<string, string> { ["cluster"] = "%UPSTREAM_CLUSTER%", ["time"] = "%START_TIME%" }));
        Assert.Equal(["%DOWNSTREAM_REMOTE_ADDRESS%", "%DOWNSTREAM_LOCAL_ADDRESS%", "%REQ(:AUTHORITY)%"], e.Missing);
    }
}
