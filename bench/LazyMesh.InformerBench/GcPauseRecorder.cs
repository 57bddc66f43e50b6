using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace LazyMesh.InformerBench;

/// <summary>
/// This process's GC pauses, from the runtime's own events (execution engine suspension begin to restart end), with
/// their UTC start and the generation collected; so a bench can tell a stall of the process apart from a slow path.
/// </summary>
public sealed class GcPauseRecorder : EventListener
{
    private readonly ConcurrentQueue<GcPause> _pauses = new();
    private DateTime _suspended;
    private int _generation = -1;

    /// <summary>Pauses that overlap [<paramref name="from"/>, <paramref name="to"/>] (UTC).</summary>
    public IReadOnlyList<GcPause> Overlapping(DateTime from, DateTime to) =>
        [.. _pauses.Where(p => p.Start <= to && p.Start + p.Duration >= from)];

    /// <summary>Pauses of at least <paramref name="threshold"/> so far.</summary>
    public IReadOnlyList<GcPause> AtLeast(TimeSpan threshold) => [.. _pauses.Where(p => p.Duration >= threshold)];

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1); // GC
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        switch (eventData.EventId)
        {
            case 1 when eventData.Payload is { Count: > 1 } payload: // GCStart: Count, Depth
                _generation = Convert.ToInt32(payload[1], CultureInfo.InvariantCulture);
                break;
            case 9: // GCSuspendEEBegin
                _suspended = eventData.TimeStamp.ToUniversalTime();
                break;
            case 3 when _suspended != default: // GCRestartEEEnd
                _pauses.Enqueue(new GcPause(_suspended, eventData.TimeStamp.ToUniversalTime() - _suspended, _generation));
                _suspended = default;
                break;
        }
    }
}

/// <summary>One GC pause: when it began (UTC), how long the process stood still, and the generation collected.</summary>
public readonly record struct GcPause(DateTime Start, TimeSpan Duration, int Generation)
{
    /// <summary>One token for a line between processes: UTC ticks, milliseconds, generation.</summary>
    public string ToToken() => string.Create(CultureInfo.InvariantCulture, $"{Start.Ticks}:{Duration.TotalMilliseconds:F1}:{Generation}");

    public static GcPause Parse(string token)
    {
        var parts = token.Split(':');
        return new GcPause(
            new DateTime(long.Parse(parts[0], CultureInfo.InvariantCulture), DateTimeKind.Utc),
            TimeSpan.FromMilliseconds(double.Parse(parts[1], CultureInfo.InvariantCulture)),
            int.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
