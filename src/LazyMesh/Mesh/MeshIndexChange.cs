namespace LazyMesh.Mesh;

/// <summary>
/// What an inventory change means for the controller: which workloads' generated objects may differ between two
/// indexes (<see cref="AffectedWorkloads"/>, null = every workload), whether the shared fallback routing objects may
/// (<see cref="RoutingAffected"/>), and which destination hosts changed in a way that matters only to the workloads
/// that import them (<see cref="ChangedHosts"/>: the index does not know what each workload learned; the caller
/// re-renders the workloads whose learned or static hosts name one of them).
/// </summary>
public sealed record MeshIndexChange(IReadOnlyCollection<string>? AffectedWorkloads, bool RoutingAffected)
{
    /// <summary>Everything may have changed: reconcile every workload and the routing objects.</summary>
    public static MeshIndexChange Everything { get; } = new(null, RoutingAffected: true);

    /// <summary>Nothing any generated object depends on changed.</summary>
    public static MeshIndexChange Nothing { get; } = new([], RoutingAffected: false);

    /// <summary>
    /// Destination hosts (a Service's FQDN, an ExternalName alias of one, a VirtualService host routing to one) whose
    /// generated-object data changed; workloads that import one of them must be reconciled.
    /// </summary>
    public IReadOnlyCollection<string> ChangedHosts { get; init; } = [];

    public bool IsEmpty => AffectedWorkloads is { Count: 0 } && !RoutingAffected && ChangedHosts.Count == 0;

    /// <summary>
    /// The change between two indexes, pure (rules in <see cref="MeshIndexDiff"/>): Everything when MeshConfig, the
    /// options or the VirtualServices changed, a ServiceEntry or a Service not visible to every namespace changed, or a
    /// user Sidecar in the root namespace changed; otherwise the workloads whose own data changed (selector,
    /// annotations, pods' labels and proxies, having pods at all, the pod-sharing group), every workload of a changed
    /// namespace or of a namespace whose user Sidecars changed, and the hosts of changed Services. Pods that come, go
    /// or change IP, phase or readiness within a workload without changing its labels affect nothing.
    /// </summary>
    public static MeshIndexChange Between(MeshIndex before, MeshIndex after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return ReferenceEquals(before, after) ? Nothing : MeshIndexDiff.Between(before, after);
    }
}
