using System.Net;
using Grpc.Core;
using LazyMesh.AccessLogs;
using LazyMesh.Als.Envoy;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Als;

/// <summary>
/// The ALS stream handler: one call per Envoy stream. Receives raw messages (see <see cref="AlsGrpcMethods"/>),
/// decodes them with a per-stream <see cref="AlsStreamDecoder"/> and ends only the offending stream on error.
/// </summary>
public sealed partial class AlsService
{
    private static readonly StreamAccessLogsResponse EmptyResponse = new();

    private readonly AlsServerOptions _options;
    private readonly Func<IAccessEventSink> _sinkFactory;
    private readonly ILogger<AlsService> _logger;
    private readonly CancellationToken _stopping;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _streamsByConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, int> _streamsByPeer = [];

    /// <param name="stopping">Ends every open stream with Unavailable when the host stops.</param>
    public AlsService(AlsServerOptions options, Func<IAccessEventSink> sinkFactory, AlsServerStats stats, ILogger<AlsService> logger, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sinkFactory);
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.PeerVerification != AlsPeerVerification.None && options.Mesh is null)
        {
            throw new ArgumentException($"ALS peer verification {options.PeerVerification} needs {nameof(AlsServerOptions)}.{nameof(AlsServerOptions.Mesh)}", nameof(options));
        }

        _options = options;
        _sinkFactory = sinkFactory;
        _logger = logger;
        _stopping = stopping;
        Stats = stats;
    }

    public AlsServerStats Stats { get; }

    /// <summary>Raised after a stream's counters were updated at its end, whatever the reason.</summary>
    public event Action? StreamClosed;

    public async Task<StreamAccessLogsResponse> StreamAccessLogs(IAsyncStreamReader<AlsRawMessage> requests, ServerCallContext context)
    {
        var peer = context.GetHttpContext().Connection.RemoteIpAddress;
        if (!IsAllowed(peer))
        {
            Stats.AddRejectedNotAllowed();
            LogRejectedNotAllowed(peer);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"peer {peer} may not stream access logs"));
        }

        var http = context.GetHttpContext();
        var connection = http.Connection.Id;
        var peerKey = peer is null ? IPAddress.None : peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        if (TryOpenOnConnectionAndPeer(connection, peerKey) is { } cap)
        {
            Stats.AddRejectedTooManyStreams();
            LogRejectedStreamCap(peer, cap);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"access log streams: {cap}"));
        }

        try
        {
            if (Stats.TryOpenStream(_options.MaxConcurrentStreams) < 0)
            {
                LogRejectedTooManyStreams(peer, _options.MaxConcurrentStreams);
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"more than {_options.MaxConcurrentStreams} access log streams open"));
            }

            var sender = _options.PeerVerification == AlsPeerVerification.None
                ? null
                : AlsPeer.Classify(_options.Mesh!(), _options.PeerVerification, _options.Fallback, peer, http.Request.Headers[Authorization.ForwardedClientCert.HeaderName].LastOrDefault());
            if (sender is { Kind: AlsPeerKind.Unknown })
            {
                LogUnknownPeer(peer, _options.PeerVerification);
            }

            LogStreamOpened(peer);
            try
            {
                await ReadStreamAsync(requests, peer, sender, context).ConfigureAwait(false);
                return EmptyResponse;
            }
            finally
            {
                Stats.CloseStream();
                LogStreamClosed(peer);
                StreamClosed?.Invoke();
            }
        }
        finally
        {
            CloseOnConnectionAndPeer(connection, peerKey);
        }
    }

    /// <returns>Null when opened; otherwise which cap refused the stream.</returns>
    private string? TryOpenOnConnectionAndPeer(string connection, IPAddress peer)
    {
        lock (_gate)
        {
            var onConnection = _streamsByConnection.GetValueOrDefault(connection);
            if (onConnection >= _options.MaxStreamsPerConnection)
            {
                return $"more than {_options.MaxStreamsPerConnection} streams on one connection";
            }

            var fromPeer = _streamsByPeer.GetValueOrDefault(peer);
            if (fromPeer >= _options.MaxStreamsPerPeer)
            {
                return $"more than {_options.MaxStreamsPerPeer} streams from {peer}";
            }

            _streamsByConnection[connection] = onConnection + 1;
            _streamsByPeer[peer] = fromPeer + 1;
            return null;
        }
    }

    private void CloseOnConnectionAndPeer(string connection, IPAddress peer)
    {
        lock (_gate)
        {
            Decrement(_streamsByConnection, connection);
            Decrement(_streamsByPeer, peer);
        }

        static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key)
            where TKey : notnull
        {
            if (counts.TryGetValue(key, out var count) && count > 1)
            {
                counts[key] = count - 1;
            }
            else
            {
                counts.Remove(key);
            }
        }
    }

    private async Task ReadStreamAsync(IAsyncStreamReader<AlsRawMessage> requests, IPAddress? peer, AlsPeer? sender, ServerCallContext context)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping);
        using var decoder = _options.Mode == AlsHandlerMode.Decode ? new AlsStreamDecoder(Sink(sender)) : null;

        // One timer per stream on the server's clock (the controller's), set again as soon as a message is in, before
        // it is handled: whatever a message leads to happens after the timer counts from that message.
        using var idleTimer = _options.Time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), idle, _options.IdleStreamTimeout, Timeout.InfiniteTimeSpan);
        while (true)
        {
            bool more;
            try
            {
                more = await requests.MoveNext(idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "access log server shutting down"));
            }
            catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
            {
                Stats.AddIdleTimeout();
                LogIdleTimeout(peer, decoder?.NodeId, _options.IdleStreamTimeout.TotalSeconds);
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"no access log message for {_options.IdleStreamTimeout.TotalSeconds:0.###} s"));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                Stats.AddRejectedTooLarge();
                LogMessageTooLarge(peer, decoder?.NodeId, _options.MaxReceiveMessageSize);
                throw;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The client reset the stream or went away; nobody is left to tell.
                Stats.AddAborted();
                LogAborted(peer, decoder?.NodeId, e.Message);
                return;
            }

            if (!more)
            {
                return;
            }

            idleTimer.Change(_options.IdleStreamTimeout, Timeout.InfiniteTimeSpan);
            using var message = requests.Current;
            Stats.AddMessage();
            if (decoder is null)
            {
                continue;
            }

            try
            {
                Stats.AddEntries(decoder.Decode(message.Span));
            }
            catch (AlsDecodeException e)
            {
                Stats.AddDecodeError(e.Kind);
                LogDecodeFailed(peer, decoder.NodeId, e.Kind, e.Message);
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"access log message rejected: {e.Kind}: {e.Message}"));
            }
            catch (Exception e)
            {
                Stats.AddSinkError();
                LogSinkFailed(e, peer, decoder.NodeId);
                throw new RpcException(new Status(StatusCode.Internal, "access log sink failed"));
            }
        }
    }

    /// <summary>The stream's sink: with peer verification, only entries the peer may report pass.</summary>
    private IAccessEventSink Sink(AlsPeer? sender) =>
        sender is null ? _sinkFactory() : new AlsPeerSink(_sinkFactory(), sender, _options.Mesh!, Stats);

    private bool IsAllowed(IPAddress? peer)
    {
        var allowed = _options.AllowedSenders;
        if (allowed is null)
        {
            return true;
        }

        if (peer is null)
        {
            return false;
        }

        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        foreach (var network in allowed)
        {
            if (network.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }
}
