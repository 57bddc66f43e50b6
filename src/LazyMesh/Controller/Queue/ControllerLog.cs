using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller.Queue;

/// <summary>What every controller logs about its queue.</summary>
public static partial class ControllerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "reconciling {Key} failed ({Failures} in a row), retrying in {DelayMs} ms: {Reason}")]
    public static partial void ReconcileFailed(ILogger logger, string key, int failures, long delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "final flush did not finish within {TimeoutMs} ms")]
    public static partial void FlushTimedOut(ILogger logger, long timeoutMs);
}
