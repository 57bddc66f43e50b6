namespace LazyMesh.Kubernetes.Sink;

/// <summary>What a reconcile of one workload did.</summary>
public enum WorkloadOutcome
{
    /// <summary>Not lazy (policy); nothing written (the leader's cleanup removes a leftover LazySidecar).</summary>
    Disabled,

    /// <summary>No labels a workloadSelector could use.</summary>
    NoSelector,

    /// <summary>A user-written Sidecar selects it: LazySidecar with Conflict=True, no generated Sidecar.</summary>
    Conflict,

    /// <summary>In its observe phase (<c>lazymesh.io/observe-for</c>): hosts learned, no generated Sidecar yet.</summary>
    Observing,

    /// <summary><c>spec.paused</c>: left as it is.</summary>
    Paused,

    /// <summary>The Sidecar was applied (it changed).</summary>
    Applied,

    /// <summary>Nothing to send.</summary>
    Unchanged,

    /// <summary>The LazySidecar was deleted meanwhile; the next reconcile recreates it.</summary>
    Gone,
}
