using Microsoft.Extensions.Logging;

namespace LazyMesh.Fallback;

public sealed partial class FallbackReporter
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "ALS stream to the controller ended with {Status} ({Reason}); reopening")]
    private partial void LogStreamEnded(string status, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "ALS stream to the controller failed with {Status} ({Reason}); retrying in {BackoffSeconds} s with {Pending} reports pending")]
    private partial void LogStreamFailed(string status, string reason, double backoffSeconds, int pending);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Final ALS flush failed with {Status}: {Reason}")]
    private partial void LogFinalFlushFailed(string status, string reason);
}
