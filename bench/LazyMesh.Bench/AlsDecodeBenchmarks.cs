using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;

namespace LazyMesh.Bench;

/// <summary>
/// Decoding one ALS message of 100 HTTP entries shaped like an Istio sidecar's. Times are per entry
/// (OperationsPerInvoke), so entries/s = 1 / Mean.
/// </summary>
[MemoryDiagnoser]
public class AlsDecodeBenchmarks
{
    private const int Entries = 100;

    private byte[] _message = [];
    private AlsStreamDecoder _decoder = null!;
    private AlsCountingSink _sink = null!;

    [GlobalSetup]
    public void Setup()
    {
        var logs = new StreamAccessLogsMessage.Types.HTTPAccessLogEntries();
        for (var i = 0; i < Entries; i++)
        {
            logs.LogEntry.Add(new HTTPAccessLogEntry
            {
                CommonProperties = new AccessLogCommon
                {
                    SampleRate = 1,
                    UpstreamCluster = $"outbound|9080||reviews-{i % 17}.bookinfo-{i % 5}.svc.cluster.local",
                    DownstreamRemoteAddress = Socket($"10.244.{i % 8}.{i}", (uint)(40000 + i)),
                    DownstreamLocalAddress = Socket($"10.96.{i % 3}.{i}", 9080),
                    UpstreamRemoteAddress = Socket($"10.244.3.{i}", 9080),
                    UpstreamLocalAddress = Socket("10.244.0.7", (uint)(50000 + i)),
                    StartTime = new Timestamp { Seconds = 1_700_000_000 + i, Nanos = 123_000_000 },
                    Duration = new Duration { Nanos = 4_000_000 },
                    RouteName = "default",
                    ResponseFlags = new ResponseFlags(),
                },
                ProtocolVersion = HTTPAccessLogEntry.Types.HTTPVersion.Http11,
                Request = new HTTPRequestProperties
                {
                    RequestMethod = RequestMethod.Get,
                    Scheme = "http",
                    Authority = $"reviews-{i % 17}.bookinfo-{i % 5}:9080",
                    Path = $"/reviews/{i}",
                    UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
                    RequestId = Guid.NewGuid().ToString(),
                },
                Response = new HTTPResponseProperties { ResponseCode = 200 },
            });
        }

        _message = new StreamAccessLogsMessage { HttpLogs = logs }.ToByteArray();
        _sink = new AlsCountingSink();
        _decoder = new AlsStreamDecoder(_sink);
        _decoder.Decode(new StreamAccessLogsMessage
        {
            Identifier = new StreamAccessLogsMessage.Types.Identifier
            {
                Node = new Node { Id = "sidecar~10.244.0.7~productpage-v1-6b746f74dc-9stvs.bookinfo~bookinfo.svc.cluster.local" },
                LogName = "envoy-als",
            },
        }.ToByteArray());
    }

    [GlobalCleanup]
    public void Cleanup() => _decoder.Dispose();

    [Benchmark(OperationsPerInvoke = Entries)]
    public int SpanDecoder() => _decoder.Decode(_message).HttpEntries;

    [Benchmark(OperationsPerInvoke = Entries, Baseline = true)]
    public int GoogleProtobufParse() => StreamAccessLogsMessage.Parser.ParseFrom(_message).HttpLogs.LogEntry.Count;

    private static Address Socket(string ip, uint port) => new() { SocketAddress = new SocketAddress { Address = ip, PortValue = port } };
}
