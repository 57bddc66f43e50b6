using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LazyMesh.AccessLogs;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using LazyMesh.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Als;

public sealed class AlsServerTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Streams_http_and_tcp_entries_to_the_sink_with_the_identifier_of_the_first_message()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions(), sink);
        using var channel = Channel(server);
        var client = new AccessLogService.AccessLogServiceClient(channel);

        using var call = client.StreamAccessLogs();
        await call.RequestStream.WriteAsync(HttpMessage(Identifier(SidecarNodeId), Http("outbound|9080||reviews.default.svc.cluster.local", "reviews:9080", "10.1.2.3", "10.96.0.10", 9080)));
        await call.RequestStream.WriteAsync(TcpMessage(null, Tcp("outbound|3306||mysql.db.svc.cluster.local", "10.1.2.3", "10.96.5.5", 3306), Tcp("PassthroughCluster", "10.1.2.3", "fd00::9", 443)));
        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;

        Assert.Equal(
            [
                new RecordedEvent(AccessProtocol.Http, "outbound|9080||reviews.default.svc.cluster.local", "reviews:9080", "10.1.2.3", "10.96.0.10", 9080, 1_700_000_000_123, "10.1.2.3", false),
                new RecordedEvent(AccessProtocol.Tcp, "outbound|3306||mysql.db.svc.cluster.local", "", "10.1.2.3", "10.96.5.5", 3306, 1_700_000_001_999, "10.1.2.3", false),
                new RecordedEvent(AccessProtocol.Tcp, "PassthroughCluster", "", "10.1.2.3", "fd00::9", 443, 1_700_000_001_999, "10.1.2.3", false),
            ],
            sink.Events);
        Assert.Equal((1, 0, 1, 2, 1, 2), (server.Stats.StreamsOpened, server.Stats.StreamsOpen, server.Stats.StreamsClosed, server.Stats.Messages, server.Stats.HttpEntries, server.Stats.TcpEntries));
    }

    [Fact]
    public async Task Replayed_entries_from_the_fallback_log_name_are_marked()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions(), sink);
        using var replay = new AlsReplayClient(Address(server), new AlsReplayOptions { LogName = AlsStreamDecoder.FallbackMarker, NodeId = SidecarNodeId, BatchSize = 2 });

        var result = await replay.ReplayAsync(
        [
            new ReplayEntry { Protocol = AccessProtocol.Http, UpstreamCluster = "outbound|80||a.ns.svc.cluster.local", Authority = "a.ns", SourceAddress = "10.7.0.1", SourcePort = 5555, DestinationAddress = "10.96.0.1", DestinationPort = 80, StartTimeUnixMs = 1_700_000_000_500, ResponseCode = 200 },
            new ReplayEntry { Protocol = AccessProtocol.Http, UpstreamCluster = "outbound|80||b.ns.svc.cluster.local", Authority = "b.ns", SourceAddress = "10.7.0.1", DestinationAddress = "10.96.0.2", DestinationPort = 80 },
            new ReplayEntry { Protocol = AccessProtocol.Http, UpstreamCluster = "outbound|80||c.ns.svc.cluster.local", Authority = "c.ns", SourceAddress = "10.7.0.1", DestinationAddress = "10.96.0.3", DestinationPort = 80 },
            new ReplayEntry { Protocol = AccessProtocol.Tcp, UpstreamCluster = "outbound|6379||redis.ns.svc.cluster.local", SourceAddress = "10.7.0.1", DestinationAddress = "10.96.0.4", DestinationPort = 6379 },
        ]);

        Assert.Equal(new AlsReplayResult(3, 3, 1), result);
        Assert.Equal(3, server.Stats.Messages);
        Assert.Equal(4, sink.Count);
        Assert.All(sink.Events, e => Assert.True(e.ViaFallback));
        Assert.All(sink.Events, e => Assert.Equal("10.1.2.3", e.SenderPodAddress));
        Assert.Equal(
            new RecordedEvent(AccessProtocol.Http, "outbound|80||a.ns.svc.cluster.local", "a.ns", "10.7.0.1", "10.96.0.1", 80, 1_700_000_000_500, "10.1.2.3", true),
            sink.Events.First());
        Assert.Equal(
            new RecordedEvent(AccessProtocol.Tcp, "outbound|6379||redis.ns.svc.cluster.local", "", "10.7.0.1", "10.96.0.4", 6379, 0, "10.1.2.3", true),
            sink.Events.Last());
    }

    [Theory]
    [InlineData(new byte[] { 0x12, 0x80 }, "Truncated: truncated varint (at byte 1)")]
    [InlineData(new byte[] { 0x10, 0x01 }, "WrongWireType: StreamAccessLogsMessage.http_logs has wire type Varint, expected LengthDelimited (at byte 0)")]
    [InlineData(new byte[] { 0x12, 0x05, 0x0A }, "LengthOutOfRange: length 5 runs past the end of the enclosing message (1 bytes left) (at byte 1)")]
    public async Task Malformed_message_ends_only_its_stream_with_invalid_argument(byte[] bytes, string detail)
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions(), sink);
        using var channel = Channel(server);
        var invoker = channel.CreateCallInvoker();

        using var healthy = invoker.AsyncClientStreamingCall(AlsGrpcMethods.RawStreamAccessLogs, null, default);
        await healthy.RequestStream.WriteAsync(Raw(HttpMessage(Identifier(SidecarNodeId), Http("c1", "a", "10.0.0.1", "10.0.0.2", 80))));
        await sink.WaitForCountAsync(1);

        using var broken = invoker.AsyncClientStreamingCall(AlsGrpcMethods.RawStreamAccessLogs, null, default);
        await broken.RequestStream.WriteAsync(AlsRawMessage.FromBytes(bytes));
        var error = await Assert.ThrowsAsync<RpcException>(() => broken.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"access log message rejected: {detail}", error.Status.Detail);

        await healthy.RequestStream.WriteAsync(Raw(HttpMessage(null, Http("c2", "a", "10.0.0.1", "10.0.0.2", 80))));
        await healthy.RequestStream.CompleteAsync();
        await healthy.ResponseAsync;
        Assert.Equal(["c1", "c2"], sink.Events.Select(e => e.UpstreamCluster));
        Assert.Equal(1, server.Stats.DecodeErrorsTotal);
        Assert.Equal(0, server.Stats.StreamsOpen);
    }

    [Fact]
    public async Task Oversize_message_ends_the_stream_with_resource_exhausted()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions { MaxReceiveMessageSize = 1024 }, sink);
        using var channel = Channel(server);
        var client = new AccessLogService.AccessLogServiceClient(channel);

        using var call = client.StreamAccessLogs();
        await call.RequestStream.WriteAsync(HttpMessage(null, Http("small", "a", "10.0.0.1", "10.0.0.2", 80)));
        await sink.WaitForCountAsync(1);
        var big = HttpMessage(null, Http(new string('c', 2000), "a", "10.0.0.1", "10.0.0.2", 80));
        await WriteIgnoringResetAsync(call.RequestStream, big);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(1, server.Stats.RejectedTooLarge);
        Assert.Equal(1, sink.Count);
    }

    [Fact]
    public async Task Idle_stream_is_ended_with_deadline_exceeded()
    {
        await using var server = await StartAsync(new AlsServerOptions { IdleStreamTimeout = TimeSpan.FromMilliseconds(300) }, new RecordingSink());
        using var channel = Channel(server);
        var client = new AccessLogService.AccessLogServiceClient(channel);

        using var call = client.StreamAccessLogs();
        await call.RequestStream.WriteAsync(HttpMessage(Identifier(SidecarNodeId), Http("c", "a", "10.0.0.1", "10.0.0.2", 80)));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(1, server.Stats.IdleTimeouts);
        Assert.Equal(0, server.Stats.StreamsOpen);
    }

    /// <summary>The idle timeout runs on the server's clock: a stream is not ended before that clock has moved past it.</summary>
    [Fact]
    public async Task Idle_timeout_runs_on_the_configured_clock()
    {
        var time = new FakeTimeProvider();
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions { IdleStreamTimeout = TimeSpan.FromMinutes(1), Time = time }, sink);
        using var channel = Channel(server);
        var client = new AccessLogService.AccessLogServiceClient(channel);

        using var call = client.StreamAccessLogs();
        await call.RequestStream.WriteAsync(HttpMessage(Identifier(SidecarNodeId), Http("c", "a", "10.0.0.1", "10.0.0.2", 80)));
        await sink.WaitForCountAsync(1);

        // The message was read, so the stream's timer was set to a minute from the fake now. Just short of it the stream
        // stays open and a second message is taken (which sets the timer again); a full minute after that it is ended.
        time.Advance(TimeSpan.FromSeconds(59));
        await call.RequestStream.WriteAsync(HttpMessage(Identifier(SidecarNodeId), Http("c", "b", "10.0.0.1", "10.0.0.3", 80)));
        await sink.WaitForCountAsync(2);
        Assert.Equal(0, server.Stats.IdleTimeouts);

        time.Advance(TimeSpan.FromMinutes(1));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(1, server.Stats.IdleTimeouts);
    }

    [Fact]
    public async Task Many_concurrent_streams_are_all_delivered()
    {
        const int Streams = 200, Messages = 5, EntriesPerMessage = 10;
        var sink = new RecordingSink();

        // One connection from one peer carries every stream here: lift the per-connection and per-peer caps (AlsPeerTests covers them).
        await using var server = await StartAsync(new AlsServerOptions { MaxStreamsPerConnection = Streams, MaxStreamsPerPeer = Streams }, sink);
        using var channel = Channel(server);
        var client = new AccessLogService.AccessLogServiceClient(channel);

        await Task.WhenAll(Enumerable.Range(0, Streams).Select(async s =>
        {
            using var call = client.StreamAccessLogs();
            for (var m = 0; m < Messages; m++)
            {
                var entries = Enumerable.Range(0, EntriesPerMessage).Select(e => Http($"outbound|80||s{s}.ns.svc.cluster.local", $"m{m}e{e}", $"10.0.{s % 256}.1", "10.96.0.1", 80)).ToArray();
                await call.RequestStream.WriteAsync(HttpMessage(m == 0 ? Identifier($"sidecar~10.0.{s % 256}.1~p{s}.ns~ns.svc.cluster.local") : null, entries));
            }

            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        }));

        Assert.Equal(Streams * Messages * EntriesPerMessage, sink.Count);
        Assert.Equal(Streams * Messages * EntriesPerMessage, server.Stats.HttpEntries);
        Assert.Equal((Streams, 0, Streams), (server.Stats.StreamsOpened, server.Stats.StreamsOpen, server.Stats.StreamsClosed));
        Assert.All(sink.Events, e => Assert.Equal(e.SourceAddress, e.SenderPodAddress));
        Assert.Equal(Streams, sink.Events.Select(e => e.UpstreamCluster).Distinct().Count());
    }

    [Fact]
    public async Task Streams_beyond_the_limit_get_resource_exhausted()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions { MaxConcurrentStreams = 2 }, sink);
        using var channel = Channel(server);
        var client = new AccessLogService.AccessLogServiceClient(channel);

        using var first = client.StreamAccessLogs();
        using var second = client.StreamAccessLogs();
        await first.RequestStream.WriteAsync(HttpMessage(null, Http("c1", "a", "10.0.0.1", "10.0.0.2", 80)));
        await second.RequestStream.WriteAsync(HttpMessage(null, Http("c2", "a", "10.0.0.1", "10.0.0.2", 80)));
        await sink.WaitForCountAsync(2);

        using var third = client.StreamAccessLogs();
        var error = await Assert.ThrowsAsync<RpcException>(() => third.ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(1, server.Stats.RejectedTooManyStreams);

        await first.RequestStream.CompleteAsync();
        await first.ResponseAsync;
        using var fourth = client.StreamAccessLogs();
        await fourth.RequestStream.WriteAsync(HttpMessage(null, Http("c4", "a", "10.0.0.1", "10.0.0.2", 80)));
        await fourth.RequestStream.CompleteAsync();
        await fourth.ResponseAsync;
        await second.RequestStream.CompleteAsync();
        await second.ResponseAsync;
        Assert.Equal(["c1", "c2", "c4"], sink.Events.Select(e => e.UpstreamCluster).Order());
    }

    [Fact]
    public async Task Client_disconnect_mid_stream_returns_the_open_stream_count_to_zero()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions(), sink);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.StreamClosed += () =>
        {
            if (server.Stats.StreamsOpen == 0)
            {
                closed.TrySetResult();
            }
        };
        using var channel = Channel(server);
        var client = new AccessLogService.AccessLogServiceClient(channel);
        using var cancel = new CancellationTokenSource();

        var call = client.StreamAccessLogs(cancellationToken: cancel.Token);
        await call.RequestStream.WriteAsync(HttpMessage(Identifier(SidecarNodeId), Http("c", "a", "10.0.0.1", "10.0.0.2", 80)));
        await sink.WaitForCountAsync(1);
        Assert.Equal(1, server.Stats.StreamsOpen);
        await cancel.CancelAsync();
        call.Dispose();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((1, 0, 1, 1), (server.Stats.StreamsOpened, server.Stats.StreamsOpen, server.Stats.StreamsClosed, server.Stats.Aborted));
    }

    [Fact]
    public async Task Senders_outside_the_allowed_networks_are_denied()
    {
        var sink = new RecordingSink();
        await using var denying = await StartAsync(new AlsServerOptions { AllowedSenders = [IPNetwork.Parse("10.0.0.0/8")] }, sink);
        await using var allowing = await StartAsync(new AlsServerOptions { AllowedSenders = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("127.0.0.0/8")] }, sink);

        using (var replay = new AlsReplayClient(Address(denying)))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => replay.ReplayAsync([new ReplayEntry { UpstreamCluster = "denied" }]));
            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        }

        using (var replay = new AlsReplayClient(Address(allowing)))
        {
            await replay.ReplayAsync([new ReplayEntry { UpstreamCluster = "allowed" }]);
        }

        Assert.Equal("allowed", Assert.Single(sink.Events).UpstreamCluster);
        Assert.Equal((1, 0), (denying.Stats.RejectedNotAllowed, denying.Stats.StreamsOpened));
    }

    [Fact]
    public async Task Discard_mode_counts_messages_without_decoding()
    {
        var sink = new RecordingSink();
        await using var server = await StartAsync(new AlsServerOptions { Mode = AlsHandlerMode.Discard }, sink);
        using var channel = Channel(server);
        var invoker = channel.CreateCallInvoker();

        using var call = invoker.AsyncClientStreamingCall(AlsGrpcMethods.RawStreamAccessLogs, null, default);
        await call.RequestStream.WriteAsync(Raw(HttpMessage(null, Http("c", "a", "10.0.0.1", "10.0.0.2", 80))));
        await call.RequestStream.WriteAsync(AlsRawMessage.FromBytes([0x12, 0x80]));
        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;

        Assert.Equal((2, 0, 0), (server.Stats.Messages, server.Stats.HttpEntries, sink.Count));
    }

    [Fact]
    public async Task Stopping_the_server_ends_open_streams_with_unavailable()
    {
        var sink = new RecordingSink();
        var server = await StartAsync(new AlsServerOptions(), sink);
        using var channel = Channel(server);
        var client = new AccessLogService.AccessLogServiceClient(channel);
        using var call = client.StreamAccessLogs();
        await call.RequestStream.WriteAsync(HttpMessage(null, Http("c", "a", "10.0.0.1", "10.0.0.2", 80)));
        await sink.WaitForCountAsync(1);

        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(0, server.Stats.StreamsOpen);
    }

    private static async Task<AlsServer> StartAsync(AlsServerOptions options, IAccessEventSink sink)
    {
        var server = new AlsServer(AnyLoopbackPort, options, sink);
        await server.StartAsync();
        return server;
    }

    private static Uri Address(AlsServer server) => new($"http://{server.BoundEndPoint}");

    private static GrpcChannel Channel(AlsServer server) => GrpcChannel.ForAddress(Address(server));

    /// <summary>The server may reset the stream while the client is still writing; the status comes with the response.</summary>
    private static async Task WriteIgnoringResetAsync<T>(IClientStreamWriter<T> writer, T message)
    {
        try
        {
            await writer.WriteAsync(message);
        }
        catch (RpcException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
