using LazyMesh.Attribution;

namespace LazyMesh.MetricsSource;

/// <summary>What one pass over Prometheus did.</summary>
public sealed class MetricsLearnResult
{
    public int Series { get; set; }

    public int New { get; set; }

    public int Known { get; set; }

    public int Capped { get; set; }

    public Dictionary<SkipReason, int> Skipped { get; } = [];

    public override string ToString() =>
        $"{Series} series, {New} new edges, {Known} known, {Capped} capped" +
        (Skipped.Count > 0 ? $", skipped: {string.Join(", ", Skipped.OrderBy(static s => s.Key).Select(static s => $"{s.Key} {s.Value}"))}" : string.Empty);
}
