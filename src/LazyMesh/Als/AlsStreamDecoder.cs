using System.Buffers;
using System.Text;
using System.Text.Unicode;
using LazyMesh.AccessLogs;

namespace LazyMesh.Als;

/// <summary>
/// Decodes the <c>envoy.service.accesslog.v3.StreamAccessLogsMessage</c>s of one ALS stream straight from
/// their bytes into <see cref="AccessEvent"/>s, one <see cref="IAccessEventSink.OnEvent"/> call per entry.
/// Keeps the stream's identifier (sent by Envoy only in the first message). Allocates nothing per entry:
/// only the strings LazyMesh needs are UTF-8-decoded, into a buffer reused across entries.
/// Protobuf semantics: unknown fields are skipped, repeated embedded messages merge, the last member of a
/// oneof wins. Unlike Google.Protobuf, a field LazyMesh interprets that arrives with another wire type is an
/// error, not an unknown field. Not thread-safe: one instance per stream.
/// </summary>
public sealed class AlsStreamDecoder : IDisposable
{
    /// <summary>
    /// Marks entries reported by the LazyMesh fallback proxy's sidecar: the ALS provider's <c>log_name</c>,
    /// or a node id equal to it or starting with it followed by <c>~</c>.
    /// </summary>
    public const string FallbackMarker = "lazymesh-fallback";

    private const int InitialCharBufferSize = 512;
    private const int MaxOwnedCharBufferSize = 8192;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IAccessEventSink _sink;
    private char[] _chars;
    private bool _disposed;

    public AlsStreamDecoder(IAccessEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _chars = ArrayPool<char>.Shared.Rent(InitialCharBufferSize);
    }

    /// <summary>The stream's <c>identifier.node.id</c>, once received.</summary>
    public string? NodeId { get; private set; }

    /// <summary>The stream's <c>identifier.log_name</c>, once received.</summary>
    public string? LogName { get; private set; }

    /// <summary>The sending sidecar's pod IP, parsed from <see cref="NodeId"/>; null for gateways and other senders.</summary>
    public string? SenderPodAddress { get; private set; }

    /// <summary>Whether the sender is a gateway (node id <c>router~...</c>): its entries are the gateway's, never its clients'.</summary>
    public bool SenderIsGateway { get; private set; }

    /// <summary>Whether the stream comes from the LazyMesh fallback (see <see cref="FallbackMarker"/>).</summary>
    public bool ViaFallback { get; private set; }

    /// <summary>Decodes one message; calls the sink once per entry.</summary>
    /// <exception cref="AlsDecodeException">The message is malformed. Entries before the error were delivered.</exception>
    public AlsDecodeResult Decode(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Pass 1: the identifier (wherever it is) and which log_entries member wins.
        var reader = new ProtoReader(message);
        var hadIdentifier = false;
        ReadOnlySpan<byte> nodeId = default;
        ReadOnlySpan<byte> logName = default;
        var hasNodeId = false;
        var hasLogName = false;
        var entriesField = 0;
        var entriesStart = 0;
        while (true)
        {
            var tagPosition = reader.Position;
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                break;
            }

            switch (field)
            {
                case 1:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "StreamAccessLogsMessage.identifier");
                    var identifier = reader.ReadMessage();
                    ReadIdentifier(ref identifier, ref nodeId, ref hasNodeId, ref logName, ref hasLogName);
                    hadIdentifier = true;
                    break;
                case 2:
                case 3:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, field == 2 ? "StreamAccessLogsMessage.http_logs" : "StreamAccessLogsMessage.tcp_logs");
                    reader.ReadLengthDelimited();
                    if (entriesField != field)
                    {
                        entriesField = field;
                        entriesStart = tagPosition;
                    }

                    break;
                default:
                    reader.Skip(field, wireType);
                    break;
            }
        }

        if (hadIdentifier)
        {
            ApplyIdentifier(nodeId, hasNodeId, logName, hasLogName);
        }

        if (entriesField == 0)
        {
            return new AlsDecodeResult(0, 0, hadIdentifier);
        }

        // Pass 2: the entries of the winning member, from where it last became the oneof's case.
        var count = 0;
        reader = new ProtoReader(message).Slice(entriesStart);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != entriesField)
            {
                reader.Skip(field, wireType);
                continue;
            }

            var entries = reader.ReadMessage();
            count += entriesField == 2 ? ReadHttpEntries(ref entries) : ReadTcpEntries(ref entries);
        }

        return entriesField == 2 ? new AlsDecodeResult(count, 0, hadIdentifier) : new AlsDecodeResult(0, count, hadIdentifier);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ArrayPool<char>.Shared.Return(_chars);
        _chars = [];
    }

    private static void ReadIdentifier(ref ProtoReader reader, ref ReadOnlySpan<byte> nodeId, ref bool hasNodeId, ref ReadOnlySpan<byte> logName, ref bool hasLogName)
    {
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "Identifier.node");
                    var node = reader.ReadMessage();
                    while (node.TryReadTag(out var nodeField, out var nodeWireType))
                    {
                        if (nodeField == 1)
                        {
                            node.Expect(nodeWireType, ProtoWireType.LengthDelimited, "Node.id");
                            nodeId = node.ReadLengthDelimited();
                            hasNodeId = true;
                        }
                        else
                        {
                            node.Skip(nodeField, nodeWireType);
                        }
                    }

                    break;
                case 2:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "Identifier.log_name");
                    logName = reader.ReadLengthDelimited();
                    hasLogName = true;
                    break;
                default:
                    reader.Skip(field, wireType);
                    break;
            }
        }
    }

    private void ApplyIdentifier(ReadOnlySpan<byte> nodeId, bool hasNodeId, ReadOnlySpan<byte> logName, bool hasLogName)
    {
        if (hasNodeId)
        {
            NodeId = DecodeStrict(nodeId, "Node.id");
            SenderPodAddress = IstioNodeId.TryGetSidecarPodAddress(NodeId, out var pod) ? pod.ToString() : null;
            SenderIsGateway = IstioNodeId.IsGateway(NodeId);
        }

        if (hasLogName)
        {
            LogName = DecodeStrict(logName, "Identifier.log_name");
        }

        ViaFallback = LogName == FallbackMarker
            || (NodeId is { } id && id.StartsWith(FallbackMarker, StringComparison.Ordinal)
                && (id.Length == FallbackMarker.Length || id[FallbackMarker.Length] == '~'));
    }

    private static string DecodeStrict(ReadOnlySpan<byte> utf8, string fieldName)
    {
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw new AlsDecodeException(AlsDecodeError.InvalidUtf8, -1, $"{fieldName} is not valid UTF-8");
        }
    }

    private int ReadHttpEntries(ref ProtoReader reader)
    {
        var count = 0;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != 1)
            {
                reader.Skip(field, wireType);
                continue;
            }

            reader.Expect(wireType, ProtoWireType.LengthDelimited, "HTTPAccessLogEntries.log_entry");
            var entry = reader.ReadMessage();
            var fields = default(AlsEntryFields);
            while (entry.TryReadTag(out var entryField, out var entryWireType))
            {
                switch (entryField)
                {
                    case 1:
                        entry.Expect(entryWireType, ProtoWireType.LengthDelimited, "HTTPAccessLogEntry.common_properties");
                        var common = entry.ReadMessage();
                        ReadCommon(ref common, ref fields);
                        break;
                    case 3:
                        entry.Expect(entryWireType, ProtoWireType.LengthDelimited, "HTTPAccessLogEntry.request");
                        var request = entry.ReadMessage();
                        ReadRequest(ref request, ref fields);
                        break;
                    default:
                        entry.Skip(entryField, entryWireType);
                        break;
                }
            }

            Emit(AccessProtocol.Http, ref fields);
            count++;
        }

        return count;
    }

    private int ReadTcpEntries(ref ProtoReader reader)
    {
        var count = 0;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != 1)
            {
                reader.Skip(field, wireType);
                continue;
            }

            reader.Expect(wireType, ProtoWireType.LengthDelimited, "TCPAccessLogEntries.log_entry");
            var entry = reader.ReadMessage();
            var fields = default(AlsEntryFields);
            while (entry.TryReadTag(out var entryField, out var entryWireType))
            {
                if (entryField == 1)
                {
                    entry.Expect(entryWireType, ProtoWireType.LengthDelimited, "TCPAccessLogEntry.common_properties");
                    var common = entry.ReadMessage();
                    ReadCommon(ref common, ref fields);
                }
                else
                {
                    entry.Skip(entryField, entryWireType);
                }
            }

            Emit(AccessProtocol.Tcp, ref fields);
            count++;
        }

        return count;
    }

    private static void ReadCommon(ref ProtoReader reader, ref AlsEntryFields fields)
    {
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 2:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "AccessLogCommon.downstream_remote_address");
                    var remote = reader.ReadMessage();
                    ReadAddress(ref remote, ref fields.DownstreamRemote);
                    break;
                case 3:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "AccessLogCommon.downstream_local_address");
                    var local = reader.ReadMessage();
                    ReadAddress(ref local, ref fields.DownstreamLocal);
                    break;
                case 4:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "AccessLogCommon.tls_properties");
                    var tls = reader.ReadMessage();
                    ReadTlsProperties(ref tls, ref fields);
                    break;
                case 16:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "AccessLogCommon.response_flags");
                    var flags = reader.ReadMessage();
                    ReadResponseFlags(ref flags, ref fields);
                    break;
                case 19:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "AccessLogCommon.route_name");
                    fields.RouteName = reader.ReadLengthDelimited();
                    break;
                case 5:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "AccessLogCommon.start_time");
                    var timestamp = reader.ReadMessage();
                    ReadTimestamp(ref timestamp, ref fields);
                    break;
                case 15:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "AccessLogCommon.upstream_cluster");
                    fields.UpstreamCluster = reader.ReadLengthDelimited();
                    break;
                case 20:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "AccessLogCommon.downstream_direct_remote_address");
                    var direct = reader.ReadMessage();
                    ReadAddress(ref direct, ref fields.DownstreamDirectRemote);
                    break;
                default:
                    reader.Skip(field, wireType);
                    break;
            }
        }
    }

    /// <summary>TLSProperties (envoy/data/accesslog/v3/accesslog.proto): tls_sni_hostname = 3; embedded messages merge.</summary>
    private static void ReadTlsProperties(ref ProtoReader reader, ref AlsEntryFields fields)
    {
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 3)
            {
                reader.Expect(wireType, ProtoWireType.LengthDelimited, "TLSProperties.tls_sni_hostname");
                fields.TlsSniHostname = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(field, wireType);
            }
        }
    }

    /// <summary>ResponseFlags: no_route_found = 9, no_cluster_found = 25 (bools; the last value of a field wins).</summary>
    private static void ReadResponseFlags(ref ProtoReader reader, ref AlsEntryFields fields)
    {
        while (reader.TryReadTag(out var field, out var wireType))
        {
            var flag = field switch
            {
                9 => AccessResponseFlags.NoRouteFound,
                25 => AccessResponseFlags.NoClusterFound,
                _ => AccessResponseFlags.None,
            };
            if (flag == AccessResponseFlags.None)
            {
                reader.Skip(field, wireType);
                continue;
            }

            reader.Expect(wireType, ProtoWireType.Varint, field == 9 ? "ResponseFlags.no_route_found" : "ResponseFlags.no_cluster_found");
            if (reader.ReadVarint() != 0)
            {
                fields.ResponseFlags |= flag;
            }
            else
            {
                fields.ResponseFlags &= ~flag;
            }
        }
    }

    private static void ReadRequest(ref ProtoReader reader, ref AlsEntryFields fields)
    {
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 3)
            {
                reader.Expect(wireType, ProtoWireType.LengthDelimited, "HTTPRequestProperties.authority");
                fields.Authority = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(field, wireType);
            }
        }
    }

    private static void ReadTimestamp(ref ProtoReader reader, ref AlsEntryFields fields)
    {
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(wireType, ProtoWireType.Varint, "Timestamp.seconds");
                    fields.StartSeconds = (long)reader.ReadVarint();
                    break;
                case 2:
                    reader.Expect(wireType, ProtoWireType.Varint, "Timestamp.nanos");
                    fields.StartNanos = (int)reader.ReadVarint();
                    break;
                default:
                    reader.Skip(field, wireType);
                    break;
            }
        }
    }

    private static void ReadAddress(ref ProtoReader reader, ref AlsAddressFields address)
    {
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "Address.socket_address");
                    var socket = reader.ReadMessage();
                    if (!address.IsSocket)
                    {
                        address = default;
                        address.IsSocket = true;
                    }

                    ReadSocketAddress(ref socket, ref address);
                    break;
                case 2:
                case 3:
                    // pipe or envoy_internal_address: the oneof no longer holds a socket address.
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, field == 2 ? "Address.pipe" : "Address.envoy_internal_address");
                    reader.ReadLengthDelimited();
                    address = default;
                    break;
                default:
                    reader.Skip(field, wireType);
                    break;
            }
        }
    }

    private static void ReadSocketAddress(ref ProtoReader reader, ref AlsAddressFields address)
    {
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 2:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "SocketAddress.address");
                    address.Address = reader.ReadLengthDelimited();
                    break;
                case 3:
                    reader.Expect(wireType, ProtoWireType.Varint, "SocketAddress.port_value");
                    var port = (uint)reader.ReadVarint();
                    address.Port = port <= 65535 ? (int)port : 0;
                    break;
                case 4:
                    reader.Expect(wireType, ProtoWireType.LengthDelimited, "SocketAddress.named_port");
                    reader.ReadLengthDelimited();
                    address.Port = 0;
                    break;
                default:
                    reader.Skip(field, wireType);
                    break;
            }
        }
    }

    private void Emit(AccessProtocol protocol, ref AlsEntryFields fields)
    {
        var source = !fields.DownstreamRemote.Address.IsEmpty ? fields.DownstreamRemote.Address : fields.DownstreamDirectRemote.Address;
        var needed = fields.UpstreamCluster.Length + fields.Authority.Length + source.Length + fields.DownstreamLocal.Address.Length
            + fields.RouteName.Length + fields.TlsSniHostname.Length;
        if (needed > _chars.Length && needed <= MaxOwnedCharBufferSize)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(needed);
        }

        char[]? rented = null;
        var buffer = needed <= _chars.Length ? _chars : (rented = ArrayPool<char>.Shared.Rent(needed));
        try
        {
            var used = 0;
            var accessEvent = new AccessEvent
            {
                Protocol = protocol,
                UpstreamCluster = DecodeUtf8(fields.UpstreamCluster, buffer, ref used, "AccessLogCommon.upstream_cluster"),
                Authority = DecodeUtf8(fields.Authority, buffer, ref used, "HTTPRequestProperties.authority"),
                SourceAddress = DecodeUtf8(source, buffer, ref used, "SocketAddress.address"),
                OriginalDestinationAddress = DecodeUtf8(fields.DownstreamLocal.Address, buffer, ref used, "SocketAddress.address"),
                OriginalDestinationPort = fields.DownstreamLocal.Port,
                StartTimeUnixMs = unchecked((fields.StartSeconds * 1000) + (fields.StartNanos / 1_000_000)),
                SenderPodAddress = SenderPodAddress.AsSpan(),
                ViaFallback = ViaFallback,
                SenderIsGateway = SenderIsGateway,
                ResponseFlags = fields.ResponseFlags,
                RouteName = DecodeUtf8(fields.RouteName, buffer, ref used, "AccessLogCommon.route_name"),
                RequestedServerName = DecodeUtf8(fields.TlsSniHostname, buffer, ref used, "TLSProperties.tls_sni_hostname"),
            };
            _sink.OnEvent(in accessEvent);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static ReadOnlySpan<char> DecodeUtf8(ReadOnlySpan<byte> utf8, char[] buffer, ref int used, string fieldName)
    {
        if (utf8.IsEmpty)
        {
            return default;
        }

        var destination = buffer.AsSpan(used);
        var status = Utf8.ToUtf16(utf8, destination, out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            throw new AlsDecodeException(AlsDecodeError.InvalidUtf8, -1, $"{fieldName} is not valid UTF-8");
        }

        used += written;
        return destination[..written];
    }
}
