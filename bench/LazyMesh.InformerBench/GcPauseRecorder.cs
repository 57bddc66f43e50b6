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
    private DateTime _suspendedEnd;
    private int _generation = -1;
    private int _reason = -1;
    private int _type = -1;

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
            case 1 when eventData.Payload is { Count: > 3 } payload: // GCStart: Count, Depth, Reason, Type
                _generation = Convert.ToInt32(payload[1], CultureInfo.InvariantCulture);
                _reason = Convert.ToInt32(payload[2], CultureInfo.InvariantCulture);
                _type = Convert.ToInt32(payload[3], CultureInfo.InvariantCulture);
                break;
            case 9: // GCSuspendEEBegin
                _suspended = eventData.TimeStamp.ToUniversalTime();
                _suspendedEnd = default;
                break;
            case 8: // GCSuspendEEEnd: every thread stopped
                _suspendedEnd = eventData.TimeStamp.ToUniversalTime();
                break;
            case 3 when _suspended != default: // GCRestartEEEnd
                var suspending = _suspendedEnd == default ? TimeSpan.Zero : _suspendedEnd - _suspended;
                _pauses.Enqueue(new GcPause(_suspended, eventData.TimeStamp.ToUniversalTime() - _suspended, _generation, suspending, _reason, _type));
                _suspended = default;
                break;
        }
    }
}

/// <summary>
/// One GC pause: when it began (UTC), how long the process stood still, the generation collected (of the GC started
/// last), how much of the pause was spent stopping the threads, and the runtime's GC reason and type (GCStart_V2:
/// reason 0 small allocation, 1 induced, 4 large allocation, ...; type 0 blocking, 1 background, 2 foreground).
/// </summary>
public readonly record struct GcPause(DateTime Start, TimeSpan Duration, int Generation, TimeSpan Suspending = default, int Reason = -1, int Type = -1)
{
    /// <summary>One token for a line between processes.</summary>
    public string ToToken() => string.Create(
        CultureInfo.InvariantCulture, $"{Start.Ticks}:{Duration.TotalMilliseconds:F1}:{Generation}:{Suspending.TotalMilliseconds:F1}:{Reason}:{Type}");

    public static GcPause Parse(string token)
    {
        var parts = token.Split(':');
        return new GcPause(
            new DateTime(long.Parse(parts[0], CultureInfo.InvariantCulture), DateTimeKind.Utc),
            TimeSpan.FromMilliseconds(double.Parse(parts[1], CultureInfo.InvariantCulture)),
            int.Parse(parts[2], CultureInfo.InvariantCulture),
            TimeSpan.FromMilliseconds(double.Parse(parts[3], CultureInfo.InvariantCulture)),
            int.Parse(parts[4], CultureInfo.InvariantCulture),
            int.Parse(parts[5], CultureInfo.InvariantCulture));
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"gen{Generation} {Duration.TotalMilliseconds:F1} ms{(Suspending >= TimeSpan.FromMilliseconds(1) ? $" ({Suspending.TotalMilliseconds:F0} ms stopping threads)" : "")}{(Type switch { 0 => " blocking", 1 => " background", 2 => " foreground", _ => "" })}{(Reason >= 0 ? $" reason {Reason}" : "")}");
}
