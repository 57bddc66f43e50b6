using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>The informers' log messages.</summary>
internal static partial class InformerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: listed {Count} objects at resourceVersion {ResourceVersion} ({Reason}), {Changes} changes")]
    public static partial void Listed(ILogger logger, string resource, int count, string resourceVersion, string reason, int changes);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: resourceVersion {ResourceVersion} expired (410 Gone), relisting")]
    public static partial void Gone(ILogger logger, string resource, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: {Operation} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string resource, string operation, string reason, long delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: watch error: {Reason}")]
    public static partial void WatchError(ILogger logger, string resource, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource}: a change handler failed: {Reason}")]
    public static partial void HandlerFailed(ILogger logger, string resource, string reason);
}
