using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.AccessLogs;

public sealed class AccessLogLineParserTests
{
    private readonly AccessLogLineParser _parser = new();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r")]
    [InlineData("\t \t")]
    public void Blank_lines_are_empty(string line)
    {
        Assert.Equal(AccessLogLineKind.Empty, _parser.Parse(line, out _, out string? error));
        Assert.Null(error);
    }

    [Fact]
    public void Text_and_json_are_detected_by_their_first_character()
    {
        Assert.Equal(AccessLogLineKind.Parsed, _parser.Parse("  " + SampleLines.HttpOutbound, out var text, out _));
        Assert.Equal("outbound|9080||reviews.bookinfo.svc.cluster.local", text.UpstreamCluster.ToString());

        Assert.Equal(AccessLogLineKind.Parsed, _parser.Parse("""{"upstream_cluster":"BlackHoleCluster","downstream_local_address":"10.96.99.1:5432","downstream_remote_address":"10.244.1.10:40000"}""", out var json, out _));
        Assert.Equal("BlackHoleCluster", json.UpstreamCluster.ToString());
        Assert.Equal(AccessProtocol.Tcp, json.Protocol);
    }

    [Theory]
    [InlineData(SampleLines.EnvoyOwnLog)]
    [InlineData("2024-05-01T12:00:00.000000Z\tinfo\tFLAG: --concurrency=\"2\"")]
    [InlineData("Istio sidecar starting")]
    public void Other_lines_are_not_access_logs_with_a_reason(string line)
    {
        Assert.Equal(AccessLogLineKind.NotAccessLog, _parser.Parse(line, out _, out string? error));
        Assert.Contains("not an access log line", error);
    }

    [Fact]
    public void Truncated_text_line_is_malformed()
    {
        string cut = SampleLines.Tcp[..SampleLines.Tcp.IndexOf("outbound|", StringComparison.Ordinal)];
        Assert.Equal(AccessLogLineKind.Malformed, _parser.Parse(cut, out _, out string? error));
        Assert.Contains("UPSTREAM_CLUSTER", error);
    }
}
