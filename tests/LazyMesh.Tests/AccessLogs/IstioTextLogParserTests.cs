using LazyMesh.AccessLogs;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.AccessLogs;

public sealed class IstioTextLogParserTests
{
    private static RecordedEvent ParseOk(string line)
    {
        bool ok = IstioTextLogParser.TryParse(line, out var e, out string? error);
        Assert.True(ok, error);
        Assert.Null(error);
        return RecordedEvent.From(in e);
    }

    private static long Ms(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Fact]
    public void Http_outbound_to_a_service()
    {
        var e = ParseOk(SampleLines.HttpOutbound);
        Assert.Equal(
            new RecordedEvent(AccessProtocol.Http, "outbound|9080||reviews.bookinfo.svc.cluster.local", "reviews:9080", "10.244.1.10", "10.96.10.12", 9080, Ms("2024-05-01T12:00:01.534Z")),
            e);
    }

    [Fact]
    public void Tcp_connection_has_no_authority()
    {
        var e = ParseOk(SampleLines.Tcp);
        Assert.Equal(
            new RecordedEvent(AccessProtocol.Tcp, "outbound|443||api.example.com", "", "10.244.1.10", "93.184.216.34", 443, Ms("2024-05-01T12:00:03.970Z")),
            e);
    }

    [Fact]
    public void Passthrough_keeps_authority_and_original_destination()
    {
        var e = ParseOk(SampleLines.Passthrough);
        Assert.Equal("PassthroughCluster", e.UpstreamCluster);
        Assert.Equal("ratings:9080", e.Authority);
        Assert.Equal("10.96.10.13", e.OriginalDestinationAddress);
        Assert.Equal(9080, e.OriginalDestinationPort);
        Assert.Equal(AccessProtocol.Http, e.Protocol);
    }

    [Fact]
    public void Inbound_entry()
    {
        var e = ParseOk(SampleLines.Inbound);
        Assert.Equal("inbound|9080||", e.UpstreamCluster);
        Assert.Equal("10.244.1.12", e.OriginalDestinationAddress);
        Assert.Equal("10.244.1.10", e.SourceAddress);
    }

    [Fact]
    public void BlackHole_with_absent_upstream_fields()
    {
        var e = ParseOk(SampleLines.BlackHole);
        Assert.Equal(new RecordedEvent(AccessProtocol.Tcp, "BlackHoleCluster", "", "10.244.1.10", "10.96.99.1", 5432, Ms("2024-05-01T12:00:04Z")), e);
    }

    [Fact]
    public void Ipv6_addresses_lose_brackets_and_port()
    {
        var e = ParseOk(SampleLines.Ipv6);
        Assert.Equal("fd00:10:96::d", e.OriginalDestinationAddress);
        Assert.Equal(9080, e.OriginalDestinationPort);
        Assert.Equal("fd00:10:244:1::a", e.SourceAddress);
        Assert.Equal("ratings.bookinfo:9080", e.Authority);
    }

    [Fact]
    public void User_agent_with_spaces_and_stray_quotes_does_not_shift_fields()
    {
        var e = ParseOk(SampleLines.UserAgentWithQuote);
        Assert.Equal("bookinfo.example.com", e.Authority);
        Assert.Equal("inbound|9080||", e.UpstreamCluster);
        Assert.Equal("10.244.0.5", e.SourceAddress);
    }

    [Fact]
    public void Transport_failure_reason_with_spaces()
    {
        var e = ParseOk(SampleLines.UpstreamFailure);
        Assert.Equal("outbound|9080||reviews.bookinfo.svc.cluster.local", e.UpstreamCluster);
        Assert.Equal("10.96.10.12", e.OriginalDestinationAddress);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("  ")]
    public void Trailing_line_terminators_and_blanks_are_ignored(string suffix) =>
        Assert.Equal(ParseOk(SampleLines.HttpOutbound), ParseOk(SampleLines.HttpOutbound + suffix));

    [Fact]
    public void Every_field_is_anchored_a_line_missing_the_route_name_is_malformed()
    {
        // Issue 11 item 5: no Istio format ends a 1.9+ line at REQUESTED_SERVER_NAME, so a cut line is not read as one.
        string withoutRoute = SampleLines.HttpOutbound[..SampleLines.HttpOutbound.LastIndexOf(' ')];
        Assert.Equal(AccessLogLineKind.Malformed, IstioTextLogParser.Parse(withoutRoute, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Extra_trailing_fields_make_the_line_malformed()
    {
        Assert.Equal(AccessLogLineKind.Malformed, IstioTextLogParser.Parse(SampleLines.HttpOutbound + " \"extra field\" 42", out _, out string? error));
        Assert.Contains("extra fields", error);
    }

    [Fact]
    public void Every_cut_before_the_downstream_remote_address_is_malformed()
    {
        string line = SampleLines.HttpOutbound;
        int remoteStart = line.IndexOf("10.244.1.10:40654", StringComparison.Ordinal);
        for (int length = 1; length <= remoteStart; length++)
        {
            var kind = IstioTextLogParser.Parse(line.AsSpan(0, length), out _, out string? error);
            Assert.True(kind == AccessLogLineKind.Malformed, $"prefix of {length} chars gave {kind}");
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void Truncated_line_names_the_missing_field()
    {
        string line = SampleLines.HttpOutbound;
        string cut = line[..line.IndexOf(" 10.244.1.10:40654", StringComparison.Ordinal)];
        Assert.False(IstioTextLogParser.TryParse(cut, out _, out string? error));
        Assert.Contains("DOWNSTREAM_REMOTE_ADDRESS", error);

        string insideQuote = line[..(line.IndexOf("\"10.244.1.12", StringComparison.Ordinal) + 6)];
        Assert.False(IstioTextLogParser.TryParse(insideQuote, out _, out error));
        Assert.Contains("UPSTREAM_HOST", error);
        Assert.Contains("closing quote", error);
    }

    [Fact]
    public void Misaligned_numbers_are_malformed()
    {
        string line = SampleLines.HttpOutbound.Replace("\" 200 -", "\" OK -", StringComparison.Ordinal);
        Assert.False(IstioTextLogParser.TryParse(line, out _, out string? error));
        Assert.Contains("RESPONSE_CODE", error);
    }

    [Fact]
    public void Unquoted_field_where_a_quote_is_expected_is_malformed()
    {
        string line = SampleLines.HttpOutbound.Replace("\"python-requests/2.31.0\"", "python-requests/2.31.0", StringComparison.Ordinal);
        // The quoted field before it (X-FORWARDED-FOR) would have to swallow it; every field being anchored, the
        // line cannot be accounted for and is rejected.
        Assert.False(IstioTextLogParser.TryParse(line, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("2024-05-01T12:00:01.534Z", "2024-05-01T12:00:01.534Z")]
    [InlineData("2024-05-01T12:00:01.534678Z", "2024-05-01T12:00:01.534Z")]
    [InlineData("2024-05-01T12:00:01Z", "2024-05-01T12:00:01Z")]
    [InlineData("2024-05-01T14:00:01.534+02:00", "2024-05-01T12:00:01.534Z")]
    [InlineData("2000-02-29T23:59:59.999Z", "2000-02-29T23:59:59.999Z")]
    [InlineData("1969-12-31T23:59:59.000Z", "1969-12-31T23:59:59Z")]
    public void Start_time_to_unix_milliseconds(string printed, string expected)
    {
        var e = ParseOk(SampleLines.HttpOutbound.Replace("2024-05-01T12:00:01.534Z", printed, StringComparison.Ordinal));
        Assert.Equal(Ms(expected), e.StartTimeUnixMs);
    }

    [Fact]
    public void Absent_start_time_is_zero() =>
        Assert.Equal(0, ParseOk(SampleLines.HttpOutbound.Replace("2024-05-01T12:00:01.534Z", "-", StringComparison.Ordinal)).StartTimeUnixMs);

    [Theory]
    [InlineData("2024-13-01T12:00:00.000Z")]
    [InlineData("2023-02-29T12:00:00.000Z")]
    [InlineData("yesterday")]
    public void Unreadable_start_time_keeps_the_entry_with_time_unknown(string printed)
    {
        string line = SampleLines.HttpOutbound.Replace("2024-05-01T12:00:01.534Z", printed, StringComparison.Ordinal);
        Assert.Equal(0, ParseOk(line).StartTimeUnixMs);
    }

    [Theory]
    [InlineData("[2024-05-01 12:00:00.000][15][warning][config] external/envoy/source/common/config/grpc_stream.h:160 gRPC config stream closed")]
    [InlineData(SampleLines.EnvoyOwnLog)]
    public void Envoy_own_log_lines_are_not_access_log(string line) =>
        Assert.Equal(AccessLogLineKind.NotAccessLog, IstioTextLogParser.Parse(line, out _, out _));

    [Fact]
    public void Parsing_allocates_nothing()
    {
        string[] lines = [.. SampleLines.All];
        long ports = 0;
        foreach (string line in lines)
        {
            Assert.True(IstioTextLogParser.TryParse(line, out var warm, out _));
            ports += warm.OriginalDestinationPort;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            IstioTextLogParser.TryParse(lines[i % lines.Length], out var e, out _);
            ports += e.OriginalDestinationPort;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(ports > 0);
        Assert.Equal(0, allocated);
    }
}
