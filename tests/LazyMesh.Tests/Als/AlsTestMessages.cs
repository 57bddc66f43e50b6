using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using LazyMesh.AccessLogs;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Als;

/// <summary>Builds ALS messages with the generated Google.Protobuf types, and computes what they should decode to.</summary>
public static class AlsTestMessages
{
    public const string SidecarNodeId = "sidecar~10.1.2.3~productpage-v1-6b746f74dc-9stvs.default~default.svc.cluster.local";

    /// <summary>Sends <paramref name="message"/> on one ALS stream to <paramref name="als"/> and waits for the server's answer.</summary>
    public static async Task SendAsync(System.Net.IPEndPoint als, StreamAccessLogsMessage message)
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://{als}");
        using var call = new AccessLogService.AccessLogServiceClient(channel).StreamAccessLogs();
        await call.RequestStream.WriteAsync(message);
        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;
    }

    public static StreamAccessLogsMessage.Types.Identifier Identifier(string nodeId, string logName = "envoy-als") =>
        new() { Node = new Node { Id = nodeId, Cluster = "productpage.default" }, LogName = logName };

    public static Address Socket(string ip, uint port) =>
        new() { SocketAddress = new SocketAddress { Address = ip, PortValue = port } };

    public static HTTPAccessLogEntry Http(string cluster, string authority, string source, string destination, uint port, long startMs = 1_700_000_000_123) =>
        new()
        {
            CommonProperties = new AccessLogCommon
            {
                UpstreamCluster = cluster,
                DownstreamRemoteAddress = Socket(source, 43210),
                DownstreamLocalAddress = Socket(destination, port),
                UpstreamRemoteAddress = Socket("10.9.9.9", port),
                StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(startMs)),
                Duration = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(12)),
                RouteName = "default",
                SampleRate = 1.0,
            },
            ProtocolVersion = HTTPAccessLogEntry.Types.HTTPVersion.Http11,
            Request = new HTTPRequestProperties { Authority = authority, Path = "/reviews/0", RequestMethod = RequestMethod.Get, RequestId = "abc" },
            Response = new HTTPResponseProperties { ResponseCode = 200 },
        };

    public static TCPAccessLogEntry Tcp(string cluster, string source, string destination, uint port) =>
        new()
        {
            CommonProperties = new AccessLogCommon
            {
                UpstreamCluster = cluster,
                DownstreamRemoteAddress = Socket(source, 50000),
                DownstreamLocalAddress = Socket(destination, port),
                StartTime = new Timestamp { Seconds = 1_700_000_001, Nanos = 999_999_999 },
            },
            ConnectionProperties = new ConnectionProperties { ReceivedBytes = 10, SentBytes = 20 },
        };

    public static StreamAccessLogsMessage HttpMessage(StreamAccessLogsMessage.Types.Identifier? identifier, params HTTPAccessLogEntry[] entries)
    {
        var logs = new StreamAccessLogsMessage.Types.HTTPAccessLogEntries();
        logs.LogEntry.Add(entries);
        return new StreamAccessLogsMessage { Identifier = identifier, HttpLogs = logs };
    }

    public static StreamAccessLogsMessage TcpMessage(StreamAccessLogsMessage.Types.Identifier? identifier, params TCPAccessLogEntry[] entries)
    {
        var logs = new StreamAccessLogsMessage.Types.TCPAccessLogEntries();
        logs.LogEntry.Add(entries);
        return new StreamAccessLogsMessage { Identifier = identifier, TcpLogs = logs };
    }

    /// <summary>Unknown fields of every wire type (including a group with a nested group), at numbers no message here uses.</summary>
    public static byte[] UnknownFields()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(1000, WireFormat.WireType.Varint);
        output.WriteUInt64(ulong.MaxValue);
        output.WriteTag(1001, WireFormat.WireType.Fixed32);
        output.WriteFixed32(0xDEADBEEF);
        output.WriteTag(1002, WireFormat.WireType.Fixed64);
        output.WriteFixed64(0x0123456789ABCDEF);
        output.WriteTag(1003, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(0x0A, 0x03, 0x61, 0x62, 0x63));
        output.WriteTag(1004, WireFormat.WireType.StartGroup);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32(7);
        output.WriteTag(2, WireFormat.WireType.StartGroup);
        output.WriteTag(2, WireFormat.WireType.EndGroup);
        output.WriteTag(1004, WireFormat.WireType.EndGroup);
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>A length-delimited field: tag, length, payload.</summary>
    public static byte[] Field(int number, byte[] payload)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(payload));
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>What the decoder should report for a message, computed from Google.Protobuf's parse of it.</summary>
    public static List<RecordedEvent> Expected(StreamAccessLogsMessage message, string senderPod, bool viaFallback)
    {
        var events = new List<RecordedEvent>();
        if (message.LogEntriesCase == StreamAccessLogsMessage.LogEntriesOneofCase.HttpLogs)
        {
            foreach (var entry in message.HttpLogs.LogEntry)
            {
                events.Add(ExpectedEvent(AccessProtocol.Http, entry.CommonProperties, entry.Request?.Authority ?? string.Empty, senderPod, viaFallback));
            }
        }
        else if (message.LogEntriesCase == StreamAccessLogsMessage.LogEntriesOneofCase.TcpLogs)
        {
            foreach (var entry in message.TcpLogs.LogEntry)
            {
                events.Add(ExpectedEvent(AccessProtocol.Tcp, entry.CommonProperties, string.Empty, senderPod, viaFallback));
            }
        }

        return events;
    }

    private static RecordedEvent ExpectedEvent(AccessProtocol protocol, AccessLogCommon? common, string authority, string senderPod, bool viaFallback)
    {
        var source = common?.DownstreamRemoteAddress?.SocketAddress?.Address;
        if (string.IsNullOrEmpty(source))
        {
            source = common?.DownstreamDirectRemoteAddress?.SocketAddress?.Address;
        }

        var destination = common?.DownstreamLocalAddress?.SocketAddress;
        var port = destination?.PortSpecifierCase == SocketAddress.PortSpecifierOneofCase.PortValue && destination.PortValue <= 65535 ? (int)destination.PortValue : 0;
        var start = common?.StartTime is { } t ? (t.Seconds * 1000) + (t.Nanos / 1_000_000) : 0;
        return new RecordedEvent(
            protocol,
            common?.UpstreamCluster ?? string.Empty,
            authority,
            source ?? string.Empty,
            destination?.Address ?? string.Empty,
            port,
            start,
            senderPod,
            viaFallback);
    }

    public static AlsRawMessage Raw(IMessage message) => AlsRawMessage.FromBytes(message.ToByteArray());
}
