namespace LazyMesh.Controller.Queue;

/// <summary>How a <see cref="WorkQueue{TKey}"/> paces its keys.</summary>
public sealed record WorkQueueOptions
{
    /// <summary>Name of the queue: the <c>queue</c> label of its metrics.</summary>
    public string Name { get; init; } = "controller";

    /// <summary>Where the queue's instruments go (the controller's meter); null: a meter of the queue's own, <see cref="WorkQueueMetrics.MeterName"/>.</summary>
    public System.Diagnostics.Metrics.Meter? Meter { get; init; }

    /// <summary>Keys reconciled at once (never the same key twice).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>
    /// A key reconciled less than this ago waits until this much time has passed since, so changes arriving meanwhile
    /// coalesce into one reconcile (the first change of a quiet key runs at once). Zero: no coalescing.
    /// </summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.Zero;

    /// <summary>Delay after a key's first consecutive failure; doubled per further failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Delay before the <paramref name="failures"/>-th consecutive failure is retried: base · 2^(failures-1), capped.</summary>
    public TimeSpan Backoff(int failures) => Resilience.ExponentialBackoff.Delay(failures, BaseBackoff, MaxBackoff);
}
