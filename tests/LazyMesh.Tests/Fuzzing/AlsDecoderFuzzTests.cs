using Google.Protobuf;
using LazyMesh.AccessLogs;
using LazyMesh.Als;
using Xunit.Abstractions;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Fuzzing;

/// <summary>
/// Issue 11, fuzzing: mutated <c>StreamAccessLogsMessage</c> bytes are decoded or refused with an
/// <see cref="AlsDecodeException"/> (a defined kind, an offset inside the message); a decoded message delivers exactly
/// the entries it reports, and decoding allocates little whatever the bytes say.
/// </summary>
public sealed class AlsDecoderFuzzTests(ITestOutputHelper output)
{
    /// <summary>The decoder allocates only the stream's identifier strings and a reused buffer: bounded by the message size.</summary>
    private const long FixedAllocationBytes = 64 * 1024;

    private static readonly byte[][] Seeds =
    [
        HttpMessage(Identifier(SidecarNodeId), Http("outbound|9080||reviews.default.svc.cluster.local", "reviews:9080", "10.1.2.3", "10.96.0.10", 9080)).ToByteArray(),
        HttpMessage(null, Http("PassthroughCluster", "ratings", "10.1.2.3", "10.4.0.9", 80), Http("outbound|80||a.b.svc.cluster.local", "a.b", "fd00::1", "fd00::2", 80)).ToByteArray(),
        TcpMessage(Identifier("router~10.0.0.5~istio-egressgateway-1.istio-system~istio-system.svc.cluster.local"), Tcp("outbound|5432||db.data.svc.cluster.local", "fd00::1:2", "fd00:10:96::a", 5432)).ToByteArray(),
        TcpMessage(Identifier("sidecar~10.4.0.9~lazymesh-fallback-0.lazymesh~lazymesh.svc.cluster.local", "lazymesh-fallback"), Tcp("BlackHoleCluster", "10.1.2.3", "10.96.99.1", 443)).ToByteArray(),
        [.. HttpMessage(null, Http("outbound|9080||details.default.svc.cluster.local", "details:9080", "10.1.2.3", "10.96.0.12", 9080)).ToByteArray(), .. UnknownFields()],
    ];

    [Fact]
    public void Mutated_als_messages_are_decoded_or_refused_with_an_als_decode_error()
    {
        FuzzRun.Check(Mutations.Of(Seeds, ProtobufDialect.Instance), Decode, iterations: 3_000, output, Mutations.Print);
    }

    private static void Decode(byte[] input)
    {
        var sink = new CountingSink();
        using var decoder = new AlsStreamDecoder(sink);
        decoder.Decode(Seeds[0]);
        var delivered = sink.Count;
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var result = decoder.Decode(input);
            Assert.Equal(delivered + result.HttpEntries + result.TcpEntries, sink.Count);
        }
        catch (AlsDecodeException e)
        {
            Assert.True(Enum.IsDefined(e.Kind), $"kind {e.Kind}");
            Assert.InRange(e.Offset, -1, input.Length);
        }

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, FixedAllocationBytes + (4L * input.Length));
    }

    private sealed class CountingSink : IAccessEventSink
    {
        public int Count { get; private set; }

        public void OnEvent(scoped in AccessEvent accessEvent) => Count++;
    }
}
