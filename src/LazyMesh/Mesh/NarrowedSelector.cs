namespace LazyMesh.Mesh;

/// <summary>A workload's selector after <see cref="WorkloadSelectors.Narrow"/>.</summary>
internal sealed record NarrowedSelector(
    SortedDictionary<string, string> Selector,
    string? Note,
    IReadOnlyList<string> SharesPodsWith,
    bool MatchedOthers);
