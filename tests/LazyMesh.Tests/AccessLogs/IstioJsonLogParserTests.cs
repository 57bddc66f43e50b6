using LazyMesh.AccessLogs;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.AccessLogs;

public sealed class IstioJsonLogParserTests
{
    private const string HttpOutbound =
        """{"start_time":"2024-05-01T12:00:00.930Z","method":"GET","path":"/details/0","protocol":"HTTP/1.1","response_code":200,"response_flags":"-","response_code_details":"via_upstream","connection_termination_details":null,"upstream_transport_failure_reason":null,"bytes_received":0,"bytes_sent":178,"duration":2,"upstream_service_time":"1","x_forwarded_for":null,"user_agent":"python-requests/2.31.0","request_id":"5d9dc9f8-1818-4811-892f-902bd23f0824","authority":"details:9080","upstream_host":"10.244.1.11:9080","upstream_cluster":"outbound|9080||details.bookinfo.svc.cluster.local","upstream_local_address":"10.244.1.10:39803","downstream_local_address":"10.96.10.11:9080","downstream_remote_address":"10.244.1.10:51864","requested_server_name":null,"route_name":"default"}""";

    private static readonly RecordedEvent HttpOutboundEvent = new(
        AccessProtocol.Http, "outbound|9080||details.bookinfo.svc.cluster.local", "details:9080", "10.244.1.10", "10.96.10.11", 9080,
        DateTimeOffset.Parse("2024-05-01T12:00:00.930Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());

    private readonly IstioJsonLogParser _parser = new();

    private RecordedEvent ParseOk(string line)
    {
        var kind = _parser.Parse(line, out var e, out string? error);
        Assert.True(kind == AccessLogLineKind.Parsed, $"{kind}: {error}");
        return RecordedEvent.From(in e);
    }

    private (AccessLogLineKind Kind, string? Error) ParseFail(string line)
    {
        var kind = _parser.Parse(line, out _, out string? error);
        return (kind, error);
    }

    [Fact]
    public void Istio_default_json_line() => Assert.Equal(HttpOutboundEvent, ParseOk(HttpOutbound));

    [Fact]
    public void Keys_in_any_order_with_whitespace_and_crlf()
    {
        const string line = """  { "downstream_remote_address" : "10.244.1.10:51864", "authority": "details:9080" , "downstream_local_address":"10.96.10.11:9080","upstream_cluster":"outbound|9080||details.bookinfo.svc.cluster.local","protocol":"HTTP/1.1","method":"GET","start_time":"2024-05-01T12:00:00.930Z" }""";
        Assert.Equal(HttpOutboundEvent, ParseOk(line + "\r"));
    }

    [Fact]
    public void Each_line_is_read_by_its_own_keys_whatever_the_previous_line_had_at_each_position()
    {
        // The parser remembers the key at each position; lines that reorder, rename or drop keys must not be misread.
        const string reordered = """{"downstream_remote_address":"10.244.1.10:51864","upstream_cluster":"outbound|9080||details.bookinfo.svc.cluster.local","authority":"details:9080","downstream_local_address":"10.96.10.11:9080","method":"GET","protocol":"HTTP/1.1","start_time":"2024-05-01T12:00:00.930Z"}""";
        const string renamed = """{"downstream_remote_addr":"10.244.1.99:1","upstream_cluster":"outbound|9080||details.bookinfo.svc.cluster.local","authority":"details:9080","downstream_local_address":"10.96.10.11:9080","downstream_remote_address":"10.244.1.10:51864","method":"GET","protocol":"HTTP/1.1","start_time":"2024-05-01T12:00:00.930Z"}""";
        const string withoutSource = """{"downstream_remote_addr":"10.244.1.99:1","upstream_cluster":"outbound|9080||details.bookinfo.svc.cluster.local","authority":"details:9080"}""";
        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(HttpOutboundEvent, ParseOk(HttpOutbound));
            Assert.Equal(HttpOutboundEvent, ParseOk(reordered));
            Assert.Equal(HttpOutboundEvent, ParseOk(renamed));
            Assert.Equal(AccessLogLineKind.Malformed, ParseFail(withoutSource).Kind);
            Assert.Equal(HttpOutboundEvent, ParseOk(reordered));
        }
    }

    [Fact]
    public void Tcp_when_method_and_protocol_are_null_or_dash()
    {
        const string nulls = """{"start_time":"2024-05-01T12:00:03.970Z","method":null,"path":null,"protocol":null,"response_code":0,"bytes_received":690,"authority":null,"upstream_cluster":"outbound|443||api.example.com","downstream_local_address":"93.184.216.34:443","downstream_remote_address":"10.244.1.10:56100","requested_server_name":"api.example.com","route_name":null}""";
        const string dashes = """{"start_time":"2024-05-01T12:00:03.970Z","method":"-","path":"-","protocol":"-","response_code":"0","authority":"-","upstream_cluster":"outbound|443||api.example.com","downstream_local_address":"93.184.216.34:443","downstream_remote_address":"10.244.1.10:56100"}""";
        var expected = new RecordedEvent(
            AccessProtocol.Tcp, "outbound|443||api.example.com", "", "10.244.1.10", "93.184.216.34", 443,
            DateTimeOffset.Parse("2024-05-01T12:00:03.970Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Equal(expected, ParseOk(nulls));
        Assert.Equal(expected, ParseOk(dashes));
    }

    [Fact]
    public void Unknown_keys_nested_values_numbers_and_literals_are_skipped()
    {
        const string line = """{"x":{"a":[1,2,{"b":"}]\""}],"c":null},"n":-1.5e3,"t":true,"f":false,"arr":[],"upstream_cluster":"PassthroughCluster","authority":"ratings:9080","downstream_local_address":"10.96.10.13:9080","downstream_remote_address":"10.244.1.10:41230","method":"GET","protocol":"HTTP/1.1"}""";
        var e = ParseOk(line);
        Assert.Equal("PassthroughCluster", e.UpstreamCluster);
        Assert.Equal("ratings:9080", e.Authority);
        Assert.Equal(9080, e.OriginalDestinationPort);
        Assert.Equal(0, e.StartTimeUnixMs);
    }

    [Fact]
    public void Escaped_strings_are_decoded()
    {
        const string line = """{"authority":"rat\u0069ngs:9080","upstream_cluster":"outbound|9080||ratings.bookinfo.svc.cluster.local","user_agent":"a \"quoted\" \\ agent\/1","downstream_local_address":"10.96.10.13:9080","downstream_remote_address":"[fd00::\u0061]:1","method":"GET","protocol":"HTTP/1.1"}""";
        var e = ParseOk(line);
        Assert.Equal("ratings:9080", e.Authority);
        Assert.Equal("fd00::a", e.SourceAddress);
        Assert.Equal("outbound|9080||ratings.bookinfo.svc.cluster.local", e.UpstreamCluster);
    }

    [Fact]
    public void Agent_json_log_is_not_an_access_log()
    {
        var (kind, error) = ParseFail("""{"level":"info","time":"2024-05-01T12:00:00.000000Z","scope":"envoy config","msg":"cds: added 1 cluster(s)"}""");
        Assert.Equal(AccessLogLineKind.NotAccessLog, kind);
        Assert.Contains("Istio", error);
    }

    [Theory]
    [InlineData("""{"upstream_cluster":"outbound|9080||details.bookinfo.svc.cluster.local","downstream_remote_address":"10.2""", "truncated")]
    [InlineData("""{"upstream_cluster":"outbound|9080||details.bookinfo.svc.cluster.local",""", "truncated")]
    [InlineData("""{"upstream_cluster" "PassthroughCluster"}""", "':'")]
    [InlineData("""{"upstream_cluster":"PassthroughCluster" "method":"GET"}""", "','")]
    [InlineData("""{"upstream_cluster":PassthroughCluster}""", "invalid JSON value")]
    [InlineData("""{"upstream_cluster":"PassthroughCluster"} trailing""", "after the JSON object")]
    [InlineData("""{upstream_cluster:"PassthroughCluster"}""", "JSON key")]
    [InlineData("""{"start_time":"2024-05-01T12:00:00Z","upstream_cluster":"PassthroughCluster"}""", "downstream_remote_address")]
    public void Invalid_json_is_malformed(string line, string expectedInError)
    {
        var (kind, error) = ParseFail(line);
        Assert.Equal(AccessLogLineKind.Malformed, kind);
        Assert.Contains(expectedInError, error);
    }

    [Fact]
    public void Every_cut_of_a_line_is_malformed_never_an_exception()
    {
        for (int length = 1; length < HttpOutbound.Length; length++)
        {
            var kind = _parser.Parse(HttpOutbound.AsSpan(0, length), out _, out string? error);
            Assert.True(kind == AccessLogLineKind.Malformed, $"prefix of {length} chars gave {kind}");
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void Parsing_allocates_nothing_after_warm_up()
    {
        const string escaped = """{"authority":"rat\u0069ngs:9080","upstream_cluster":"PassthroughCluster","downstream_local_address":"10.96.10.13:9080","downstream_remote_address":"10.244.1.10:1","method":"GET","protocol":"HTTP/1.1"}""";
        string[] lines = [HttpOutbound, escaped];
        long ports = 0;
        foreach (string line in lines)
        {
            Assert.Equal(AccessLogLineKind.Parsed, _parser.Parse(line, out var warm, out _));
            ports += warm.OriginalDestinationPort;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            _parser.Parse(lines[i & 1], out var e, out _);
            ports += e.OriginalDestinationPort;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(ports > 0);
        Assert.Equal(0, allocated);
    }
}
