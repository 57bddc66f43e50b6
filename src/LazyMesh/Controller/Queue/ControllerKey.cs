namespace LazyMesh.Controller.Queue;

/// <summary>One unit of work for the controller's <see cref="WorkQueue{TKey}"/>: a workload, the routing objects, or a duty.</summary>
public readonly record struct ControllerKey(ControllerKeyKind Kind, string Name)
{
    public static ControllerKey Routing { get; } = new(ControllerKeyKind.Routing, string.Empty);

    public static ControllerKey ExpirySweep { get; } = new(ControllerKeyKind.ExpirySweep, string.Empty);

    public static ControllerKey Cleanup { get; } = new(ControllerKeyKind.Cleanup, string.Empty);

    public static ControllerKey Events { get; } = new(ControllerKeyKind.Events, string.Empty);

    public static ControllerKey Resync { get; } = new(ControllerKeyKind.Resync, string.Empty);

    public static ControllerKey Compaction { get; } = new(ControllerKeyKind.Compaction, string.Empty);

    /// <summary>The key of a workload (<c>namespace/Kind/name</c>).</summary>
    public static ControllerKey Workload(string workloadKey) => new(ControllerKeyKind.Workload, workloadKey);

    public override string ToString() => Kind == ControllerKeyKind.Workload ? Name : Kind.ToString();
}
