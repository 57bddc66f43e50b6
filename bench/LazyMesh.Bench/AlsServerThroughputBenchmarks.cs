using System.Net;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using SocketAddress = LazyMesh.Als.Envoy.SocketAddress;

namespace LazyMesh.Bench;

/// <summary>
/// End to end over 127.0.0.1: one stream of 100 messages of 100 HTTP entries into an <see cref="AlsServer"/>
/// that decodes (Decode) or only counts messages (Discard). Times are per entry.
/// </summary>
[MemoryDiagnoser]
public class AlsServerThroughputBenchmarks
{
    private const int Messages = 100;
    private const int EntriesPerMessage = 100;

    private AlsServer _server = null!;
    private GrpcChannel _channel = null!;
    private AlsRawMessage _message = null!;

    [Params(AlsHandlerMode.Decode, AlsHandlerMode.Discard)]
    public AlsHandlerMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var logs = new StreamAccessLogsMessage.Types.HTTPAccessLogEntries();
        for (var i = 0; i < EntriesPerMessage; i++)
        {
            logs.LogEntry.Add(new HTTPAccessLogEntry
            {
                CommonProperties = new AccessLogCommon
                {
                    UpstreamCluster = $"outbound|9080||reviews-{i % 17}.bookinfo.svc.cluster.local",
                    DownstreamRemoteAddress = new Address { SocketAddress = new SocketAddress { Address = "10.244.0.7", PortValue = 40000 } },
                    DownstreamLocalAddress = new Address { SocketAddress = new SocketAddress { Address = $"10.96.0.{i}", PortValue = 9080 } },
                },
                Request = new HTTPRequestProperties { Authority = "reviews:9080", Path = $"/reviews/{i}", RequestId = Guid.NewGuid().ToString() },
            });
        }

        _message = AlsRawMessage.FromBytes(new StreamAccessLogsMessage { HttpLogs = logs }.ToByteArray());
        _server = new AlsServer(new IPEndPoint(IPAddress.Loopback, 0), new AlsServerOptions { Mode = Mode }, new AlsCountingSink());
        _server.StartAsync().GetAwaiter().GetResult();
        _channel = GrpcChannel.ForAddress($"http://{_server.BoundEndPoint}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Messages * EntriesPerMessage)]
    public async Task Stream()
    {
        using var call = _channel.CreateCallInvoker().AsyncClientStreamingCall(AlsGrpcMethods.RawStreamAccessLogs, null, default(CallOptions));
        for (var i = 0; i < Messages; i++)
        {
            await call.RequestStream.WriteAsync(_message);
        }

        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;
    }
}
