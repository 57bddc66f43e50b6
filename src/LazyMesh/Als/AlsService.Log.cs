using System.Net;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Als;

public sealed partial class AlsService
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "ALS stream opened from {Peer}")]
    private partial void LogStreamOpened(IPAddress? peer);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "ALS stream from {Peer} closed")]
    private partial void LogStreamClosed(IPAddress? peer);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "ALS stream from {Peer} refused: peer not in the allowed sender networks")]
    private partial void LogRejectedNotAllowed(IPAddress? peer);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "ALS stream from {Peer} refused: {MaxConcurrentStreams} streams already open")]
    private partial void LogRejectedTooManyStreams(IPAddress? peer, int maxConcurrentStreams);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "ALS stream from {Peer} (node {NodeId}) ended: idle for {IdleSeconds} s")]
    private partial void LogIdleTimeout(IPAddress? peer, string? nodeId, double idleSeconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "ALS stream from {Peer} (node {NodeId}) ended: message larger than {MaxReceiveMessageSize} bytes")]
    private partial void LogMessageTooLarge(IPAddress? peer, string? nodeId, int maxReceiveMessageSize);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "ALS stream from {Peer} (node {NodeId}) aborted by the client: {Reason}")]
    private partial void LogAborted(IPAddress? peer, string? nodeId, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "ALS stream from {Peer} (node {NodeId}) ended: undecodable message ({Kind}): {Detail}")]
    private partial void LogDecodeFailed(IPAddress? peer, string? nodeId, AlsDecodeError kind, string detail);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "ALS stream from {Peer} refused: {Cap}")]
    private partial void LogRejectedStreamCap(IPAddress? peer, string cap);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "ALS stream from {Peer}: not a known pod or identity ({Verification}); its entries are counted and dropped")]
    private partial void LogUnknownPeer(IPAddress? peer, AlsPeerVerification verification);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "ALS stream from {Peer} (node {NodeId}) ended: the access event sink threw")]
    private partial void LogSinkFailed(Exception exception, IPAddress? peer, string? nodeId);
}
