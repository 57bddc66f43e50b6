using System.Text;
using System.Text.Json;
using LazyMesh.AccessLogs;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.AccessLogs;

/// <summary>Lines as log collectors deliver them: the prefix is stripped, named in the summary, and the pod kept when named.</summary>
public sealed class LinePrefixTests
{
    public static TheoryData<string, string, LinePrefixKind, string> Prefixed()
    {
        string line = SampleLines.HttpOutbound;
        string json = """{"authority":"reviews:9080","upstream_cluster":"outbound|9080||reviews.bookinfo.svc.cluster.local","downstream_local_address":"10.96.10.12:9080","downstream_remote_address":"10.244.1.10:40654","protocol":"HTTP/1.1"}""";
        return new()
        {
            // kubelet's CRI log files, /var/log/pods/<ns>_<pod>_<uid>/<container>/0.log (containerd, CRI-O).
            { "CRI text", $"2022-07-22T12:24:13.900000000Z stdout F {line}", LinePrefixKind.Cri, string.Empty },
            { "CRI json", $"2022-07-22T12:24:13.9Z stdout F {json}", LinePrefixKind.Cri, string.Empty },
            // docker json-file driver.
            { "docker text", JsonSerializer.Serialize(new { log = line + "\n", stream = "stdout", time = "2022-07-22T12:24:13.9Z" }), LinePrefixKind.DockerJson, string.Empty },
            { "docker json", JsonSerializer.Serialize(new { log = json + "\n", stream = "stdout", time = "2022-07-22T12:24:13.9Z" }), LinePrefixKind.DockerJson, string.Empty },
            // kubectl logs --prefix, alone and with --timestamps.
            { "kubectl --prefix", $"[pod/productpage-v1-6b746f74dc-9stvs/istio-proxy] {line}", LinePrefixKind.KubectlPrefix, "productpage-v1-6b746f74dc-9stvs" },
            { "kubectl --prefix --timestamps", $"[pod/productpage-v1-6b746f74dc-9stvs/istio-proxy] 2024-05-01T12:00:01.534000000Z {line}", LinePrefixKind.KubectlPrefix, "productpage-v1-6b746f74dc-9stvs" },
            { "kubectl --timestamps", $"2024-05-01T12:00:01.534000000Z {line}", LinePrefixKind.Timestamp, string.Empty },
            // stern: pod container, and namespace pod container with --all-namespaces.
            { "stern", $"productpage-v1-6b746f74dc-9stvs istio-proxy {line}", LinePrefixKind.Stern, "productpage-v1-6b746f74dc-9stvs" },
            { "stern -A", $"bookinfo productpage-v1-6b746f74dc-9stvs istio-proxy {json}", LinePrefixKind.Stern, "productpage-v1-6b746f74dc-9stvs" },
            { "none", line, LinePrefixKind.None, string.Empty },
        };
    }

    [Theory]
    [MemberData(nameof(Prefixed))]
    public void Prefix_is_stripped_and_the_line_parses(string name, string line, LinePrefixKind expected, string pod)
    {
        var stripper = new LinePrefixStripper();
        var kind = stripper.Strip(line, out var rest, out var originPod, out _, out bool partial);
        Assert.Equal(expected, kind);
        Assert.False(partial);
        Assert.Equal(pod, originPod.ToString());
        Assert.True(new AccessLogLineParser().Parse(rest, out var e, out var error) == AccessLogLineKind.Parsed, $"{name}: {error}");
        Assert.Equal("10.244.1.10", e.SourceAddress.ToString());
    }

    [Fact]
    public void Envoy_own_log_lines_are_not_taken_for_prefixes()
    {
        var stripper = new LinePrefixStripper();
        Assert.Equal(LinePrefixKind.None, stripper.Strip(SampleLines.EnvoyOwnLog, out _, out _, out _, out _));
        Assert.Equal(LinePrefixKind.None, stripper.Strip("Istio sidecar starting [proxy]", out _, out _, out _, out _));
    }

    [Fact]
    public void Cri_partial_lines_are_joined()
    {
        string line = SampleLines.HttpOutbound;
        string text = $"2022-07-22T12:24:13.9Z stdout P {line[..100]}\n2022-07-22T12:24:13.9Z stdout P {line[100..200]}\n2022-07-22T12:24:13.9Z stdout F {line[200..]}\n";
        var sink = new RecordingSink();
        var stats = new AccessLogReader().Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "0.log", sink);
        Assert.Equal(1, stats.Parsed);
        Assert.Equal(0, stats.Malformed);
        Assert.Equal("outbound|9080||reviews.bookinfo.svc.cluster.local", Assert.Single(sink.Events).UpstreamCluster);
    }

    [Fact]
    public void The_summary_names_the_prefix_and_the_formats()
    {
        string text = string.Join('\n', SampleLines.All.Select(l => $"2022-07-22T12:24:13.9Z stdout F {l}"));
        var stats = new AccessLogReader().Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "0.log", new RecordingSink());
        Assert.Equal(SampleLines.All.Count(), stats.Parsed);
        Assert.Equal("CRI (/var/log/pods) 8", stats.DescribePrefixes());
        Assert.Equal("Istio 1.9+ TEXT 8", stats.DescribeFormats());
    }

    [Theory]
    [InlineData("/var/log/pods/istio-system_istio-ingressgateway-5d8f_0b1c/istio-proxy/0.log", "istio-system", "istio-ingressgateway-5d8f")]
    [InlineData("/var/log/containers/istio-ingressgateway-5d8f_istio-system_istio-proxy-0123abcd.log", "istio-system", "istio-ingressgateway-5d8f")]
    public void Kubelet_log_paths_name_the_pod(string path, string ns, string pod) =>
        Assert.Equal((ns, pod), AccessLogReader.OriginOfPath(path));

    [Fact]
    public void Problems_list_the_first_lines_and_and_n_more()
    {
        var lines = Enumerable.Range(0, 13).Select(i => SampleLines.HttpOutbound[..(40 + i)]);
        var stats = new AccessLogReader().Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines))), "x.log", new RecordingSink(), new AccessLogReadStats { MaxExamples = 10 });
        var described = stats.DescribeProblems().ToList();
        Assert.Equal(11, described.Count);
        Assert.StartsWith("x.log:1: ", described[0], StringComparison.Ordinal);
        Assert.Equal("and 3 more", described[^1]);
    }

    [Fact]
    public void A_custom_format_that_starts_with_a_time_is_not_taken_for_a_timestamp_prefix()
    {
        const string format = "%START_TIME% %DOWNSTREAM_REMOTE_ADDRESS% -> %DOWNSTREAM_LOCAL_ADDRESS% %UPSTREAM_CLUSTER% %REQ(:AUTHORITY)%";
        var reader = new AccessLogReader(formats: AccessLogFormatLoader.Load([format]));
        var line = EnvoyLineRenderer.Text(format, new());
        var stats = reader.Read(new MemoryStream(Encoding.UTF8.GetBytes(line)), "x.log", new RecordingSink());
        Assert.Equal(1, stats.Parsed);
        Assert.Empty(stats.Prefixes);
    }

    [Fact]
    public void Lines_of_a_format_that_starts_with_a_time_still_lose_real_prefixes()
    {
        // Such lines are tried whole first; those with a collector's prefix do not parse whole and are stripped.
        const string format = "%START_TIME% %DOWNSTREAM_REMOTE_ADDRESS% -> %DOWNSTREAM_LOCAL_ADDRESS% %UPSTREAM_CLUSTER% %REQ(:AUTHORITY)%";
        var reader = new AccessLogReader(formats: AccessLogFormatLoader.Load([format]));
        var line = EnvoyLineRenderer.Text(format, new());
        string text = string.Join('\n', line, $"2024-05-01T12:00:01.534000000Z {line}", $"2022-07-22T12:24:13.9Z stdout F {line}",
            $"[pod/productpage-v1-6b746f74dc-9stvs/istio-proxy] {line}", $"[pod/productpage-v1-6b746f74dc-9stvs/istio-proxy] 2024-05-01T12:00:01.534000000Z {line}",
            SampleLines.HttpOutbound, "2024-05-01T12:00:01.534Z 10.244.1.10:40654 -> truncated");
        var sink = new RecordingSink();
        var stats = reader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "x.log", sink);
        Assert.True(stats.Parsed == 6, string.Join("; ", stats.Examples));
        Assert.Equal(1, stats.Malformed);
        Assert.Equal("CRI (/var/log/pods) 1, kubectl logs --prefix 2, kubectl logs --timestamps 2", stats.DescribePrefixes());
        Assert.Equal("custom TEXT 5, Istio 1.9+ TEXT 1", stats.DescribeFormats());
        Assert.All(sink.Events.Take(5), e => Assert.Equal(1714564801534, e.StartTimeUnixMs));
        Assert.All(sink.Events, e => Assert.Equal("10.244.1.10", e.SourceAddress));
    }

    [Fact]
    public void A_custom_json_format_whose_first_key_is_log_is_not_taken_for_docker_json_file()
    {
        const string labels = """{"log":"%RESPONSE_CODE_DETAILS%","cluster":"%UPSTREAM_CLUSTER%","source":"%DOWNSTREAM_REMOTE_ADDRESS%","destination":"%DOWNSTREAM_LOCAL_ADDRESS%","authority":"%REQ(:AUTHORITY)%"}""";
        var reader = new AccessLogReader(formats: AccessLogFormatLoader.Load([labels]));
        const string line = """{"log":"via_upstream","cluster":"outbound|9080||reviews.bookinfo.svc.cluster.local","source":"10.244.1.10:40654","destination":"10.96.10.12:9080","authority":"reviews:9080"}""";
        var stats = reader.Read(new MemoryStream(Encoding.UTF8.GetBytes(line)), "x.log", new RecordingSink());
        Assert.Equal(1, stats.Parsed);
        Assert.Empty(stats.Prefixes);
        Assert.Equal("custom JSON 1", stats.DescribeFormats());
    }
}
