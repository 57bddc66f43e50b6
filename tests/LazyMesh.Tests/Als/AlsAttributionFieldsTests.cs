using Google.Protobuf;
using LazyMesh.AccessLogs;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Als;

/// <summary>
/// The ALS fields attribution needs beyond addresses and cluster, at Envoy's field numbers
/// (envoyproxy/data-plane-api envoy/data/accesslog/v3/accesslog.proto: AccessLogCommon.tls_properties = 4,
/// response_flags = 16, route_name = 19; TLSProperties.tls_sni_hostname = 3; ResponseFlags.no_route_found = 9,
/// no_cluster_found = 25), and gateway senders (node id <c>router~</c>, istio/istio pkg/model/proxy.go NodeType).
/// </summary>
public sealed class AlsAttributionFieldsTests
{
    [Fact]
    public void Sni_route_name_and_response_flags_are_decoded()
    {
        var entry = Tcp("PassthroughCluster", "10.1.2.3", "93.184.216.34", 443);
        entry.CommonProperties.TlsProperties = new TLSProperties { TlsSniHostname = "api.example.com" };
        var http = Http("-", "reviews:9080", "10.1.2.3", "10.96.0.10", 9080);
        http.CommonProperties.UpstreamCluster = string.Empty;
        http.CommonProperties.RouteName = "block_all";
        http.CommonProperties.ResponseFlags = new ResponseFlags { NoRouteFound = true, NoClusterFound = true, UpstreamConnectionFailure = true };

        var sink = new FieldsSink();
        using var decoder = new AlsStreamDecoder(sink);
        decoder.Decode(TcpMessage(Identifier(SidecarNodeId), entry).ToByteArray());
        decoder.Decode(HttpMessage(null, http).ToByteArray());

        Assert.Equal(
            [
                ("api.example.com", string.Empty, AccessResponseFlags.None, false),
                (string.Empty, "block_all", AccessResponseFlags.NoRouteFound | AccessResponseFlags.NoClusterFound, false),
            ],
            sink.Seen);
    }

    [Fact]
    public void A_gateway_sender_is_marked_and_has_no_sidecar_pod()
    {
        var sink = new FieldsSink();
        using var decoder = new AlsStreamDecoder(sink);
        decoder.Decode(HttpMessage(
            Identifier("router~10.1.9.9~istio-ingressgateway-5d8f.istio-system~istio-system.svc.cluster.local"),
            Http("outbound|9080||productpage.default.svc.cluster.local", "bookinfo.example.com", "10.1.2.3", "10.1.9.9", 8080)).ToByteArray());

        Assert.True(decoder.SenderIsGateway);
        Assert.Null(decoder.SenderPodAddress);
        Assert.True(Assert.Single(sink.Seen).Gateway);
    }

    [Fact]
    public async Task Replay_sends_what_the_file_said()
    {
        // A file line's SNI, route and flags survive `lazymesh replay` to the decoder.
        var recorder = new RecordingAccessLogService();
        await using var app = await AlsReplayClientTests.StartRecorderAsync(recorder);
        using var client = new AlsReplayClient(new Uri(app.Urls.First()), new AlsReplayOptions());
        await client.ReplayAsync(
        [
            new ReplayEntry { Protocol = AccessProtocol.Http, Authority = "reviews:9080", SourceAddress = "10.1.2.3", RouteName = "block_all", ResponseFlags = AccessResponseFlags.NoRouteFound },
            new ReplayEntry { Protocol = AccessProtocol.Http, Authority = "api.example.com", SourceAddress = "10.1.2.3", UpstreamCluster = "PassthroughCluster", RequestedServerName = "api.example.com" },
        ]);

        var sink = new FieldsSink();
        using var decoder = new AlsStreamDecoder(sink);
        foreach (var message in recorder.Messages)
        {
            decoder.Decode(message.ToByteArray());
        }

        Assert.Equal(
            [
                (string.Empty, "block_all", AccessResponseFlags.NoRouteFound, false),
                ("api.example.com", string.Empty, AccessResponseFlags.None, false),
            ],
            sink.Seen);
    }

    private sealed class FieldsSink : IAccessEventSink
    {
        public List<(string Sni, string Route, AccessResponseFlags Flags, bool Gateway)> Seen { get; } = [];

        public void OnEvent(scoped in AccessEvent accessEvent) =>
            Seen.Add((accessEvent.RequestedServerName.ToString(), accessEvent.RouteName.ToString(), accessEvent.ResponseFlags, accessEvent.SenderIsGateway));
    }
}
