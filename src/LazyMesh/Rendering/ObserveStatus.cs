namespace LazyMesh.Rendering;

/// <summary>
/// Where a workload stands in its observe phase: <see cref="Observing"/> while it keeps its full scope;
/// <see cref="NarrowsAt"/> is null until its first call was learned (the phase counts from there).
/// </summary>
public sealed record ObserveStatus(bool Observing, TimeSpan? Duration, DateTimeOffset? NarrowsAt)
{
    public static ObserveStatus None { get; } = new(false, null, null);

    /// <summary>For status output: <c>observing until T</c>, <c>observing (no call learned yet)</c>, <c>narrowed at T</c>, or <c>-</c>.</summary>
    public string Describe() => this switch
    {
        { Duration: null } => "-",
        { Observing: true, NarrowsAt: null } => $"observing {Format(Duration.Value)} from the first learned call (none yet)",
        { Observing: true } => $"observing until {NarrowsAt:yyyy-MM-ddTHH:mm:ssZ}",
        _ => $"narrowed at {NarrowsAt:yyyy-MM-ddTHH:mm:ssZ}",
    };

    private static string Format(TimeSpan d) => d.TotalHours >= 1 && d.Minutes == 0 && d.Seconds == 0 ? $"{(long)d.TotalHours}h" : d.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
