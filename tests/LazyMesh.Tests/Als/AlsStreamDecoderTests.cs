using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using LazyMesh.AccessLogs;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Als;

public sealed class AlsStreamDecoderTests
{
    [Fact]
    public void Decodes_http_entries_and_keeps_the_identifier_of_the_first_message()
    {
        var sink = new RecordingSink();
        using var decoder = new AlsStreamDecoder(sink);

        var first = decoder.Decode(HttpMessage(Identifier(SidecarNodeId), Http("outbound|9080||reviews.default.svc.cluster.local", "reviews:9080", "10.1.2.3", "10.96.0.10", 9080)).ToByteArray());
        var second = decoder.Decode(HttpMessage(null, Http("outbound|9080||ratings.default.svc.cluster.local", "ratings.default:9080", "10.1.2.3", "10.96.0.11", 9080, 42)).ToByteArray());

        Assert.Equal(new AlsDecodeResult(1, 0, true), first);
        Assert.Equal(new AlsDecodeResult(1, 0, false), second);
        Assert.Equal(SidecarNodeId, decoder.NodeId);
        Assert.Equal("envoy-als", decoder.LogName);
        Assert.Equal(
            [
                new RecordedEvent(AccessProtocol.Http, "outbound|9080||reviews.default.svc.cluster.local", "reviews:9080", "10.1.2.3", "10.96.0.10", 9080, 1_700_000_000_123, "10.1.2.3", false),
                new RecordedEvent(AccessProtocol.Http, "outbound|9080||ratings.default.svc.cluster.local", "ratings.default:9080", "10.1.2.3", "10.96.0.11", 9080, 42, "10.1.2.3", false),
            ],
            sink.Events);
    }

    [Fact]
    public void Decodes_tcp_entries_with_ipv6_addresses()
    {
        var sink = new RecordingSink();
        using var decoder = new AlsStreamDecoder(sink);

        var result = decoder.Decode(TcpMessage(Identifier("router~10.0.0.5~istio-egressgateway-1.istio-system~istio-system.svc.cluster.local"), Tcp("outbound|5432||db.data.svc.cluster.local", "fd00::1:2", "fd00:10:96::a", 5432)).ToByteArray());

        Assert.Equal(new AlsDecodeResult(0, 1, true), result);
        var e = Assert.Single(sink.Events);
        Assert.Equal(new RecordedEvent(AccessProtocol.Tcp, "outbound|5432||db.data.svc.cluster.local", "", "fd00::1:2", "fd00:10:96::a", 5432, 1_700_000_001_999, "", false), e);
        Assert.Null(decoder.SenderPodAddress);
    }

    [Theory]
    [InlineData("lazymesh-fallback", "sidecar~10.4.0.9~lazymesh-fallback-0.lazymesh~lazymesh.svc.cluster.local", true)]
    [InlineData("envoy-als", "lazymesh-fallback~10.4.0.9", true)]
    [InlineData("envoy-als", "lazymesh-fallbackish", false)]
    [InlineData("lazymesh-fallback-2", "sidecar~10.4.0.9~x.y~y.svc.cluster.local", false)]
    public void Marks_entries_of_the_fallback(string logName, string nodeId, bool viaFallback)
    {
        var sink = new RecordingSink();
        using var decoder = new AlsStreamDecoder(sink);

        decoder.Decode(HttpMessage(Identifier(nodeId, logName), Http("PassthroughCluster", "reviews", "10.1.2.3", "10.4.0.9", 80)).ToByteArray());
        decoder.Decode(HttpMessage(null, Http("PassthroughCluster", "ratings", "10.1.2.3", "10.4.0.9", 80)).ToByteArray());

        Assert.All(sink.Events, e => Assert.Equal(viaFallback, e.ViaFallback));
        Assert.Equal(2, sink.Count);
    }

    [Theory]
    [InlineData("sidecar~10.1.2.3~p.ns~ns.svc.cluster.local", "10.1.2.3")]
    [InlineData("sidecar~fd00::7~p.ns~ns.svc.cluster.local", "fd00::7")]
    [InlineData("router~10.1.2.3~gw.istio-system~istio-system.svc.cluster.local", null)]
    [InlineData("sidecar~not-an-ip~p.ns~ns.svc.cluster.local", null)]
    [InlineData("sidecar~~p.ns~ns.svc.cluster.local", null)]
    [InlineData("sidecar~10.1.2.3", null)]
    public void Parses_the_sender_pod_from_istio_node_ids(string nodeId, string? expected)
    {
        Assert.Equal(expected is not null, IstioNodeId.TryGetSidecarPodAddress(nodeId, out var pod));
        Assert.Equal(expected ?? string.Empty, pod.ToString());
    }

    [Fact]
    public void Falls_back_to_the_direct_remote_address_when_the_remote_address_is_absent()
    {
        var entry = Http("outbound|80||a.b.svc.cluster.local", "a.b", "10.1.1.1", "10.96.1.1", 80);
        entry.CommonProperties.DownstreamRemoteAddress = null;
        entry.CommonProperties.DownstreamDirectRemoteAddress = Socket("10.2.2.2", 1234);
        var sink = new RecordingSink();
        using var decoder = new AlsStreamDecoder(sink);

        decoder.Decode(HttpMessage(null, entry).ToByteArray());

        Assert.Equal("10.2.2.2", Assert.Single(sink.Events).SourceAddress);
    }

    [Fact]
    public void Named_port_pipe_and_empty_entries_decode_to_absent_values()
    {
        var named = Http("c", "a", "10.1.1.1", "10.96.1.1", 80);
        named.CommonProperties.DownstreamLocalAddress.SocketAddress.NamedPort = "http";
        var pipe = Http("c", "a", "10.1.1.1", "10.96.1.1", 80);
        pipe.CommonProperties.DownstreamLocalAddress = new Address { Pipe = new Pipe { Path = "/tmp/s" } };
        var sink = new RecordingSink();
        using var decoder = new AlsStreamDecoder(sink);

        decoder.Decode(HttpMessage(null, named, pipe, new HTTPAccessLogEntry()).ToByteArray());

        var events = sink.Events.ToArray();
        Assert.Equal(("10.96.1.1", 0), (events[0].OriginalDestinationAddress, events[0].OriginalDestinationPort));
        Assert.Equal(("", 0), (events[1].OriginalDestinationAddress, events[1].OriginalDestinationPort));
        Assert.Equal(new RecordedEvent(AccessProtocol.Http, "", "", "", "", 0, 0, "", false), events[2]);
    }

    [Fact]
    public void Cross_check_with_google_protobuf_on_random_messages_with_unknown_fields()
    {
        var random = new Random(20240611);
        var unknown = UnknownFields();
        for (var i = 0; i < 300; i++)
        {
            var message = RandomMessage(random);
            var bytes = i % 2 == 0 ? message.ToByteArray() : WithUnknownFieldsEverywhere(message, unknown);
            var parsed = StreamAccessLogsMessage.Parser.ParseFrom(bytes);
            Assert.Equal(message.LogEntriesCase, parsed.LogEntriesCase);

            var sink = new RecordingSink();
            using var decoder = new AlsStreamDecoder(sink);
            var result = decoder.Decode(bytes);

            var expected = Expected(parsed, parsed.Identifier?.Node?.Id == SidecarNodeId ? "10.1.2.3" : string.Empty, false);
            Assert.Equal(expected, sink.Events);
            Assert.Equal(expected.Count, result.HttpEntries + result.TcpEntries);
        }
    }

    [Fact]
    public void Oneof_last_member_wins_and_repeated_members_merge_like_google_protobuf()
    {
        var http = HttpMessage(null, Http("h1", "a", "10.0.0.1", "10.0.0.2", 1)).ToByteArray();
        var http2 = HttpMessage(null, Http("h2", "a", "10.0.0.1", "10.0.0.2", 1)).ToByteArray();
        var tcp = TcpMessage(null, Tcp("t1", "10.0.0.1", "10.0.0.2", 2)).ToByteArray();

        foreach (var bytes in new[] { Concat(http, tcp), Concat(tcp, http, http2), Concat(http, tcp, http2), Concat(http, http2) })
        {
            var sink = new RecordingSink();
            using var decoder = new AlsStreamDecoder(sink);
            decoder.Decode(bytes);
            Assert.Equal(Expected(StreamAccessLogsMessage.Parser.ParseFrom(bytes), string.Empty, false), sink.Events);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x12, 0x80 }, AlsDecodeError.Truncated, "truncated varint (at byte 1)")]
    [InlineData(new byte[] { 0x10, 0x01 }, AlsDecodeError.WrongWireType, "StreamAccessLogsMessage.http_logs has wire type Varint, expected LengthDelimited (at byte 0)")]
    [InlineData(new byte[] { 0x12, 0x05, 0x0A }, AlsDecodeError.LengthOutOfRange, "length 5 runs past the end of the enclosing message (1 bytes left) (at byte 1)")]
    [InlineData(new byte[] { 0x12, 0x03, 0x0A, 0x01, 0x08 }, AlsDecodeError.WrongWireType, "HTTPAccessLogEntry.common_properties has wire type Varint, expected LengthDelimited (at byte 4)")]
    [InlineData(new byte[] { 0x00 }, AlsDecodeError.InvalidTag, "field number 0 is not allowed (at byte 0)")]
    [InlineData(new byte[] { 0x0F }, AlsDecodeError.InvalidTag, "field 1 has invalid wire type 7 (at byte 0)")]
    [InlineData(new byte[] { 0x2C }, AlsDecodeError.InvalidGroup, "end-group tag for field 5 without a start-group (at byte 0)")]
    [InlineData(new byte[] { 0x2B, 0x08, 0x01 }, AlsDecodeError.Truncated, "group 5 is not closed (at byte 0)")]
    [InlineData(new byte[] { 0x2B, 0x33, 0x2C }, AlsDecodeError.InvalidGroup, "end-group tag for field 5 closes group 6 (at byte 2)")]
    [InlineData(new byte[] { 0x28, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, AlsDecodeError.MalformedVarint, "varint longer than 10 bytes (at byte 1)")]
    [InlineData(new byte[] { 0x45, 0x01, 0x02 }, AlsDecodeError.Truncated, "truncated 32-bit fixed value (at byte 1)")]
    public void Rejects_malformed_messages_with_a_precise_error(byte[] bytes, AlsDecodeError kind, string message)
    {
        using var decoder = new AlsStreamDecoder(new CountingSink());

        var e = Assert.Throws<AlsDecodeException>(() => decoder.Decode(bytes));

        Assert.Equal(kind, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Rejects_invalid_utf8_in_a_field_it_reads()
    {
        var entry = new byte[] { 0x0A, 0x04, 0x7A, 0x02, 0xC3, 0x28 }; // common_properties { upstream_cluster = C3 28 }
        var bytes = Field(2, Field(1, entry));
        using var decoder = new AlsStreamDecoder(new CountingSink());

        var e = Assert.Throws<AlsDecodeException>(() => decoder.Decode(bytes));

        Assert.Equal(AlsDecodeError.InvalidUtf8, e.Kind);
        Assert.Contains("AccessLogCommon.upstream_cluster", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_strings_decode_through_a_temporary_buffer()
    {
        var authority = new string('a', 40_000) + ".example.com";
        var sink = new RecordingSink();
        using var decoder = new AlsStreamDecoder(sink);

        decoder.Decode(HttpMessage(null, Http("c", authority, "10.0.0.1", "10.0.0.2", 80), Http("d", "short", "10.0.0.1", "10.0.0.2", 80)).ToByteArray());

        Assert.Equal([authority, "short"], sink.Events.Select(e => e.Authority));
    }

    [Fact]
    public void Random_bytes_and_mutations_only_ever_throw_the_decoders_exception()
    {
        var random = new Random(7);
        var valid = HttpMessage(Identifier(SidecarNodeId), Http("outbound|9080||r.d.svc.cluster.local", "r:9080", "10.1.2.3", "fd00::1", 9080), Http("c", "ü.example", "10.1.2.3", "10.0.0.1", 1)).ToByteArray();
        var rejected = 0;
        for (var i = 0; i < 20_000; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.Next(0, 64)];
                random.NextBytes(bytes);
            }
            else
            {
                bytes = (byte[])valid.Clone();
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                bytes = bytes[..random.Next(bytes.Length + 1)];
            }

            using var decoder = new AlsStreamDecoder(new CountingSink());
            try
            {
                decoder.Decode(bytes);
            }
            catch (AlsDecodeException)
            {
                rejected++;
            }
        }

        Assert.InRange(rejected, 1, 19_999);
    }

    private static StreamAccessLogsMessage RandomMessage(Random random)
    {
        string Ip() => random.Next(3) switch
        {
            0 => $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}",
            1 => $"fd00::{random.Next(65536):x}:{random.Next(65536):x}",
            _ => string.Empty,
        };

        string Text() => random.Next(4) switch
        {
            0 => string.Empty,
            1 => $"outbound|{random.Next(1, 65536)}||svc{random.Next(1000)}.ns.svc.cluster.local",
            2 => "grüße.例え.example:8443",
            _ => new string('x', random.Next(1, 700)),
        };

        AccessLogCommon? Common()
        {
            if (random.Next(8) == 0)
            {
                return null;
            }

            var common = new AccessLogCommon { UpstreamCluster = Text(), RouteName = Text(), SampleRate = random.NextDouble() };
            if (random.Next(4) != 0)
            {
                common.DownstreamRemoteAddress = Socket(Ip(), (uint)random.Next(65536));
            }

            if (random.Next(3) == 0)
            {
                common.DownstreamDirectRemoteAddress = Socket(Ip(), (uint)random.Next(65536));
            }

            if (random.Next(4) != 0)
            {
                common.DownstreamLocalAddress = random.Next(10) == 0
                    ? new Address { EnvoyInternalAddress = new EnvoyInternalAddress { ServerListenerName = "l" } }
                    : Socket(Ip(), (uint)random.Next(70000));
            }

            if (random.Next(4) != 0)
            {
                common.StartTime = new Timestamp { Seconds = random.NextInt64(0, 253402300799), Nanos = random.Next(1_000_000_000) };
            }

            if (random.Next(2) == 0)
            {
                common.UpstreamRemoteAddress = Socket(Ip(), 1);
                common.ResponseFlags = new ResponseFlags { NoRouteFound = true };
                common.Duration = new Duration { Seconds = 1 };
            }

            return common;
        }

        var identifier = random.Next(2) == 0 ? Identifier(SidecarNodeId) : null;
        var count = random.Next(0, 6);
        if (random.Next(2) == 0)
        {
            var entries = Enumerable.Range(0, count).Select(_ => new HTTPAccessLogEntry
            {
                CommonProperties = Common(),
                Request = random.Next(5) == 0 ? null : new HTTPRequestProperties { Authority = Text(), Path = Text() },
                Response = new HTTPResponseProperties { ResponseCode = (uint)random.Next(100, 600) },
            }).ToArray();
            return HttpMessage(identifier, entries);
        }

        return TcpMessage(identifier, Enumerable.Range(0, count).Select(_ => new TCPAccessLogEntry { CommonProperties = Common() }).ToArray());
    }

    /// <summary>Re-encodes a message with unknown fields appended to the message, its entry lists, entries and common properties.</summary>
    private static byte[] WithUnknownFieldsEverywhere(StreamAccessLogsMessage message, byte[] unknown)
    {
        byte[] Common(AccessLogCommon? common) => common is null ? [] : Field(1, Concat(common.ToByteArray(), unknown));

        var parts = new List<byte[]>();
        if (message.Identifier is not null)
        {
            parts.Add(Field(1, Concat(message.Identifier.ToByteArray(), unknown)));
        }

        parts.Add(unknown);
        if (message.LogEntriesCase == StreamAccessLogsMessage.LogEntriesOneofCase.HttpLogs)
        {
            var list = message.HttpLogs.LogEntry.Select(e =>
            {
                var rest = e.Clone();
                rest.CommonProperties = null;
                return Field(1, Concat(unknown, Common(e.CommonProperties), rest.ToByteArray(), unknown));
            });
            parts.Add(Field(2, Concat([unknown, .. list])));
        }
        else if (message.LogEntriesCase == StreamAccessLogsMessage.LogEntriesOneofCase.TcpLogs)
        {
            var list = message.TcpLogs.LogEntry.Select(e => Field(1, Concat(Common(e.CommonProperties), unknown)));
            parts.Add(Field(3, Concat([.. list, unknown])));
        }

        return Concat([.. parts]);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
