using System.Net;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace LazyMesh.Fallback;

public sealed partial class FallbackProxy
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Fallback proxy listening on {Listen} (HTTP/1.1 and h2c); health and metrics on {Admin}")]
    private partial void LogListening(IPEndPoint listen, IPEndPoint admin);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Unresolved call (Host {Authority}, original destination {OriginalDestination}): {Reason}")]
    private partial void LogUnresolved(string? authority, string? originalDestination, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Loop refused (Host {Authority}): {Reason}")]
    private partial void LogLoopRefused(string? authority, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Forwarding to {Cluster} at {Host}:{Port} failed: {Error} {Detail}")]
    private partial void LogForwardFailed(string cluster, string host, int port, ForwarderError error, string? detail);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Denied as the destination's sidecar would (caller {Principal} to {Destination}, {Method} {Path}): {Reason}")]
    private partial void LogDenied(string? principal, string destination, string method, string? path, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Call served but not learned ({Trust}): source {SourceAddress}, certificate {Principal}, destination {Destination}")]
    private partial void LogUnverified(FallbackCallerTrust trust, string? sourceAddress, string? principal, string destination);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "AuthorizationPolicy: {Problem}")]
    private partial void LogPolicyProblem(string problem);
}
