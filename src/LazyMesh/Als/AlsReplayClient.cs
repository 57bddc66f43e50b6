using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using LazyMesh.AccessLogs;
using LazyMesh.Als.Envoy;

namespace LazyMesh.Als;

/// <summary>
/// Streams access-log entries to an ALS endpoint as Envoy does: one client stream, the identifier only in the
/// first message, batches of HTTP or TCP entries (never mixed), optionally rate limited.
/// </summary>
public sealed class AlsReplayClient : IDisposable
{
    /// <summary>How long a failed write waits for the server's status before the transport's error is raised.</summary>
    private static readonly TimeSpan StatusWait = TimeSpan.FromSeconds(5);

    private readonly GrpcChannel _channel;
    private readonly AccessLogService.AccessLogServiceClient _client;
    private readonly AlsReplayOptions _options;

    /// <param name="address">The ALS endpoint, e.g. <c>http://127.0.0.1:9001</c> (cleartext HTTP/2).</param>
    public AlsReplayClient(Uri address, AlsReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        _options = options ?? new AlsReplayOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1);
        if (_options.MaxEntriesPerSecond is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxEntriesPerSecond must be positive.");
        }

        _channel = GrpcChannel.ForAddress(address);
        _client = new AccessLogService.AccessLogServiceClient(_channel);
    }

    public Task<AlsReplayResult> ReplayAsync(IEnumerable<ReplayEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return ReplayAsync(ToAsync(entries), cancellationToken);
    }

    public async Task<AlsReplayResult> ReplayAsync(IAsyncEnumerable<ReplayEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var call = _client.StreamAccessLogs(cancellationToken: cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        long messages = 0, http = 0, tcp = 0;
        var batch = new List<ReplayEntry>(_options.BatchSize);

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var message = BuildMessage(batch, includeIdentifier: messages == 0);
            await WriteAsync(call, message, cancellationToken).ConfigureAwait(false);
            messages++;
            if (batch[0].Protocol == AccessProtocol.Http)
            {
                http += batch.Count;
            }
            else
            {
                tcp += batch.Count;
            }

            batch.Clear();
            if (_options.MaxEntriesPerSecond is { } rate)
            {
                var due = TimeSpan.FromSeconds((http + tcp) / rate) - stopwatch.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (batch.Count == _options.BatchSize || (batch.Count > 0 && batch[0].Protocol != entry.Protocol))
            {
                await FlushAsync().ConfigureAwait(false);
            }

            batch.Add(entry);
        }

        await FlushAsync().ConfigureAwait(false);
        await CompleteAsync(call, cancellationToken).ConfigureAwait(false);
        return new AlsReplayResult(messages, http, tcp);
    }

    /// <summary>
    /// Writes <paramref name="message"/> on <paramref name="call"/>. The server can end the call before it has read
    /// what was sent (a sender it does not allow, a limit): the write then fails with whatever the transport saw
    /// (often <c>Cancelled</c>), so the server's own status is raised instead (an <see cref="RpcException"/>, from
    /// the call's response), when it sent one.
    /// </summary>
    internal static async Task WriteAsync(AsyncClientStreamingCall<StreamAccessLogsMessage, StreamAccessLogsResponse> call, StreamAccessLogsMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransportError(e, cancellationToken))
        {
            await ThrowServerStatusAsync(call, e, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the request stream and waits for the server's status (raised as an <see cref="RpcException"/> unless OK), as <see cref="WriteAsync"/> does for a failed completion.</summary>
    internal static async Task CompleteAsync(AsyncClientStreamingCall<StreamAccessLogsMessage, StreamAccessLogsResponse> call, CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransportError(e, cancellationToken))
        {
            await ThrowServerStatusAsync(call, e, cancellationToken).ConfigureAwait(false);
        }

        await call.ResponseAsync.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>
    /// Opens one long-lived client stream for callers that send batches as they come (the fallback's reporter):
    /// build each message with <see cref="BuildMessage"/>, the identifier only in the stream's first.
    /// </summary>
    internal AsyncClientStreamingCall<StreamAccessLogsMessage, StreamAccessLogsResponse> OpenStream(CancellationToken cancellationToken) =>
        _client.StreamAccessLogs(cancellationToken: cancellationToken);

    /// <summary>
    /// Waits until the channel has a connection. A client-streaming write does not fail when nobody listens (it is
    /// buffered), so a sender that must not lose entries connects first.
    /// </summary>
    internal Task ConnectAsync(CancellationToken cancellationToken) => _channel.ConnectAsync(cancellationToken);

    internal StreamAccessLogsMessage BuildMessage(IReadOnlyList<ReplayEntry> batch, bool includeIdentifier)
    {
        var message = new StreamAccessLogsMessage();
        if (includeIdentifier)
        {
            message.Identifier = new StreamAccessLogsMessage.Types.Identifier
            {
                Node = new Node { Id = _options.NodeId },
                LogName = _options.LogName,
            };
        }

        if (batch.Count > 0 && batch[0].Protocol == AccessProtocol.Tcp)
        {
            var tcpLogs = new StreamAccessLogsMessage.Types.TCPAccessLogEntries();
            foreach (var entry in batch)
            {
                tcpLogs.LogEntry.Add(new TCPAccessLogEntry { CommonProperties = BuildCommon(entry) });
            }

            message.TcpLogs = tcpLogs;
        }
        else
        {
            var httpLogs = new StreamAccessLogsMessage.Types.HTTPAccessLogEntries();
            foreach (var entry in batch)
            {
                var httpEntry = new HTTPAccessLogEntry
                {
                    CommonProperties = BuildCommon(entry),
                    Request = new HTTPRequestProperties { Authority = entry.Authority ?? string.Empty },
                };
                if (entry.ResponseCode > 0)
                {
                    httpEntry.Response = new HTTPResponseProperties { ResponseCode = (uint)entry.ResponseCode };
                }

                httpLogs.LogEntry.Add(httpEntry);
            }

            message.HttpLogs = httpLogs;
        }

        return message;
    }

    private static bool IsTransportError(Exception e, CancellationToken cancellationToken) =>
        e is RpcException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested;

    /// <summary>
    /// Raises the status the server ended the call with; <paramref name="transport"/> when it ended it with OK, or
    /// when no status comes within <see cref="StatusWait"/> (the call is cut, not ended).
    /// </summary>
    private static async Task ThrowServerStatusAsync(AsyncClientStreamingCall<StreamAccessLogsMessage, StreamAccessLogsResponse> call, Exception transport, CancellationToken cancellationToken)
    {
        try
        {
            // The write failed because the call ended (or is ending): its response completes, with the server's status.
            await call.ResponseAsync.WaitAsync(StatusWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(transport);
    }

    private static AccessLogCommon BuildCommon(ReplayEntry entry)
    {
        var common = new AccessLogCommon
        {
            UpstreamCluster = entry.UpstreamCluster ?? string.Empty,
            DownstreamRemoteAddress = BuildAddress(entry.SourceAddress, entry.SourcePort),
            DownstreamLocalAddress = BuildAddress(entry.DestinationAddress, entry.DestinationPort),
        };
        if (entry.RouteName is not null)
        {
            common.RouteName = entry.RouteName;
        }

        if (entry.RequestedServerName is not null)
        {
            common.TlsProperties = new TLSProperties { TlsSniHostname = entry.RequestedServerName };
        }

        if (entry.ResponseFlags != AccessResponseFlags.None)
        {
            common.ResponseFlags = new ResponseFlags
            {
                NoRouteFound = (entry.ResponseFlags & AccessResponseFlags.NoRouteFound) != 0,
                NoClusterFound = (entry.ResponseFlags & AccessResponseFlags.NoClusterFound) != 0,
            };
        }

        if (entry.StartTimeUnixMs != 0)
        {
            common.StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(entry.StartTimeUnixMs));
        }

        return common;
    }

    private static Address? BuildAddress(string? ip, int port) => ip is null
        ? null
        : new Address { SocketAddress = new SocketAddress { Address = ip, PortValue = (uint)port } };

    private static async IAsyncEnumerable<ReplayEntry> ToAsync(IEnumerable<ReplayEntry> entries)
    {
        foreach (var entry in entries)
        {
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
