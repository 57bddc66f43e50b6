using Microsoft.Extensions.Logging;

namespace LazyMesh.Fallback;

public sealed partial class FallbackReporter
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "ALS stream to the controller ended ({Reason}); reopening")]
    private partial void LogStreamEnded(string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "ALS stream to the controller failed ({Reason}); retrying in {BackoffSeconds} s with {Pending} reports pending")]
    private partial void LogStreamFailed(string reason, double backoffSeconds, int pending);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Final ALS flush failed: {Reason}")]
    private partial void LogFinalFlushFailed(string reason);
}
