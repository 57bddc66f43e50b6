namespace LazyMesh.Mesh;

/// <summary>
/// What an inventory change means for the controller: which workloads' generated objects may differ between two
/// indexes, and whether the shared fallback routing objects may. <see cref="AffectedWorkloads"/> null means
/// "every workload" (the safe answer when the change cannot be narrowed).
/// </summary>
public sealed record MeshIndexChange(IReadOnlyCollection<string>? AffectedWorkloads, bool RoutingAffected)
{
    /// <summary>Everything may have changed: reconcile every workload and the routing objects.</summary>
    public static MeshIndexChange Everything { get; } = new(null, RoutingAffected: true);

    /// <summary>Nothing any generated object depends on changed.</summary>
    public static MeshIndexChange Nothing { get; } = new([], RoutingAffected: false);

    public bool IsEmpty => AffectedWorkloads is { Count: 0 } && !RoutingAffected;

    /// <summary>
    /// The change between two indexes. Conservative: until it is narrowed by parts it answers
    /// <see cref="Everything"/> for any two different indexes.
    /// </summary>
    public static MeshIndexChange Between(MeshIndex before, MeshIndex after) =>
        ReferenceEquals(before, after) ? Nothing : Everything;
}
