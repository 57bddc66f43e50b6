using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using LazyMesh.Mesh;
using LazyMesh.Tests.Mesh;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Als;

/// <summary>Issue 11 items 2 and 7 at the ALS server: entries credited only to the peer's own workload (or the fallback's callers), streams capped per connection and per peer.</summary>
public sealed class AlsPeerTests
{
    private const string WebIp = "127.0.0.2";
    private const string FallbackIp = "127.0.0.3";
    private const string DbIp = "10.1.0.9";

    private static readonly MeshIndex Mesh = MeshYaml.Index(
        MeshYaml.Pod("web-1", WebIp, ns: "shop", labels: "{app: web}", serviceAccount: "web"),
        MeshYaml.Pod("db-1", DbIp, ns: "shop", labels: "{app: db}", serviceAccount: "db"),
        MeshYaml.Pod("fallback-1", FallbackIp, ns: "lazymesh-system", labels: "{app: lazymesh-fallback}", serviceAccount: "lazymesh-fallback"),
        MeshYaml.Service("lazymesh-fallback", "10.96.0.99", ns: "lazymesh-system", selector: "{app: lazymesh-fallback}"));

    [Fact]
    public async Task One_connection_cannot_hold_every_stream_slot()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions { MaxConcurrentStreams = 4, MaxStreamsPerConnection = 2 }, sink);
        using var first = Channel(server, "127.0.0.1");
        var client = new AccessLogService.AccessLogServiceClient(first);
        using var a = await OpenAsync(client, sink, 1);
        using var b = await OpenAsync(client, sink, 2);

        using var c = client.StreamAccessLogs();
        await TryWriteAsync(c);
        var refused = await Assert.ThrowsAsync<RpcException>(() => c.ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);

        // Another connection still gets a stream.
        using var second = Channel(server, "127.0.0.1");
        using var d = await OpenAsync(new AccessLogService.AccessLogServiceClient(second), sink, 3);
        Assert.Equal(3, server.Stats.StreamsOpen);
        Assert.Equal(1, server.Stats.RejectedTooManyStreams);
    }

    [Fact]
    public async Task One_peer_cannot_hold_every_stream_slot()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions { MaxConcurrentStreams = 8, MaxStreamsPerConnection = 8, MaxStreamsPerPeer = 2 }, sink);
        using var one = Channel(server, "127.0.0.1");
        var client = new AccessLogService.AccessLogServiceClient(one);
        using var a = await OpenAsync(client, sink, 1);
        using var b = await OpenAsync(client, sink, 2);

        using var again = Channel(server, "127.0.0.1");
        using var c = new AccessLogService.AccessLogServiceClient(again).StreamAccessLogs();
        await TryWriteAsync(c);
        Assert.Equal(StatusCode.ResourceExhausted, (await Assert.ThrowsAsync<RpcException>(() => c.ResponseAsync)).StatusCode);

        using var other = Channel(server, "127.0.0.4");
        using var d = await OpenAsync(new AccessLogService.AccessLogServiceClient(other), sink, 3);
        Assert.Equal(3, server.Stats.StreamsOpen);
    }

    [Fact]
    public async Task By_address_a_pod_reports_only_for_itself_and_only_a_fallback_pod_for_others()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions { PeerVerification = AlsPeerVerification.PodAddress, Mesh = () => Mesh }, sink);

        // Its own node id and address: credited.
        await SendAsync(server, WebIp, NodeId(WebIp, "web-1"), "envoy-als", WebIp);

        // The same pod claims db-1's node id (the attribution source): dropped.
        await SendAsync(server, WebIp, NodeId(DbIp, "db-1"), "envoy-als", DbIp);

        // The same pod claims to be the fallback reporting for db-1: dropped.
        await SendAsync(server, WebIp, "lazymesh-fallback~x", AlsStreamDecoder.FallbackMarker, DbIp);

        // A peer that is no pod: dropped.
        await SendAsync(server, "127.0.0.9", NodeId("127.0.0.9", "ghost"), "envoy-als", "127.0.0.9");

        // The fallback's pod reports for its caller: credited.
        await SendAsync(server, FallbackIp, "lazymesh-fallback~x", AlsStreamDecoder.FallbackMarker, DbIp);

        Assert.Equal([(WebIp, false), (DbIp, true)], sink.Events.Select(e => (e.SourceAddress, e.ViaFallback)));
        Assert.Equal(3, server.Stats.UntrustedEntries);
    }

    [Fact]
    public async Task Behind_a_sidecar_the_forwarded_client_certificate_names_the_peer()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions { PeerVerification = AlsPeerVerification.ClientCertificate, Mesh = () => Mesh }, sink);

        // The connection comes from the controller's own sidecar (127.0.0.1); the identity is what that sidecar verified.
        await SendAsync(server, "127.0.0.1", NodeId(WebIp, "web-1"), "envoy-als", WebIp, Xfcc("shop", "web"));
        await SendAsync(server, "127.0.0.1", NodeId(DbIp, "db-1"), "envoy-als", DbIp, Xfcc("shop", "web"));
        await SendAsync(server, "127.0.0.1", NodeId(DbIp, "db-1"), "envoy-als", DbIp, $"URI=spiffe://cluster.local/ns/shop/sa/db,{Xfcc("shop", "web")}");
        await SendAsync(server, "127.0.0.1", NodeId(DbIp, "db-1"), "envoy-als", DbIp, null);
        await SendAsync(server, "127.0.0.1", "lazymesh-fallback~x", AlsStreamDecoder.FallbackMarker, DbIp, Xfcc("lazymesh-system", "lazymesh-fallback"));

        Assert.Equal([(WebIp, false), (DbIp, true)], sink.Events.Select(e => (e.SourceAddress, e.ViaFallback)));
        Assert.Equal(3, server.Stats.UntrustedEntries);
    }

    private static string NodeId(string ip, string pod) => $"sidecar~{ip}~{pod}.shop~shop.svc.cluster.local";

    private static string Xfcc(string ns, string sa) =>
        $"By=spiffe://cluster.local/ns/lazymesh-system/sa/lazymesh-controller;Hash=ab;Subject=\"\";URI=spiffe://cluster.local/ns/{ns}/sa/{sa}";

    private static async Task SendAsync(AlsServer server, string from, string nodeId, string logName, string source, string? xfcc = null)
    {
        using var channel = Channel(server, from);
        var headers = new Grpc.Core.Metadata();
        if (xfcc is not null)
        {
            headers.Add("x-forwarded-client-cert", xfcc);
        }

        using var call = new AccessLogService.AccessLogServiceClient(channel).StreamAccessLogs(headers);
        await call.RequestStream.WriteAsync(HttpMessage(Identifier(nodeId, logName), Http("outbound|9080||reviews.shop.svc.cluster.local", "reviews:9080", source, "10.96.0.10", 9080)));
        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;
    }

    /// <summary>Opens a stream and waits until the server's handler has it (its first entry reached the sink).</summary>
    private static async Task<AsyncClientStreamingCall<StreamAccessLogsMessage, StreamAccessLogsResponse>> OpenAsync(AccessLogService.AccessLogServiceClient client, RecordingSink sink, int expected)
    {
        var call = client.StreamAccessLogs();
        await call.RequestStream.WriteAsync(HttpMessage(Identifier(SidecarNodeId), Http("outbound|9080||reviews.shop.svc.cluster.local", "reviews:9080", "10.1.2.3", "10.96.0.10", 9080)));
        await sink.WaitForCountAsync(expected);
        return call;
    }

    private static async Task TryWriteAsync(AsyncClientStreamingCall<StreamAccessLogsMessage, StreamAccessLogsResponse> call)
    {
        try
        {
            await call.RequestStream.WriteAsync(HttpMessage(Identifier(SidecarNodeId), Http("outbound|9080||reviews.shop.svc.cluster.local", "reviews:9080", "10.1.2.3", "10.96.0.10", 9080)));
        }
        catch (RpcException)
        {
            // Already refused; the response says why.
        }
    }

    private static async Task<AlsServer> StartAsync(AlsServerOptions options, RecordingSink sink)
    {
        var server = new AlsServer(new IPEndPoint(IPAddress.Loopback, 0), options, sink);
        await server.StartAsync();
        return server;
    }

    /// <summary>A channel whose connections come from <paramref name="localAddress"/> (any 127.0.0.0/8 address works on Linux).</summary>
    private static GrpcChannel Channel(AlsServer server, string localAddress) =>
        GrpcChannel.ForAddress($"http://{server.BoundEndPoint}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            },
        });
}
