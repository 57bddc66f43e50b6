namespace LazyMesh.Rendering;

/// <summary>What a reconcile of one workload did with its generated Sidecar (on files or in the API).</summary>
public enum WorkloadOutcome
{
    /// <summary>Not lazy (policy); nothing written (the leader's cleanup removes a leftover LazySidecar).</summary>
    Disabled,

    /// <summary>No labels a workloadSelector could use.</summary>
    NoSelector,

    /// <summary>A user-written Sidecar selects it: no generated Sidecar (on a cluster: LazySidecar with Conflict=True).</summary>
    Conflict,

    /// <summary>In its observe phase (<c>lazymesh.io/observe-for</c>): hosts learned, no generated Sidecar yet.</summary>
    Observing,

    /// <summary><c>spec.paused</c>: left as it is.</summary>
    Paused,

    /// <summary>The Sidecar was written (it changed).</summary>
    Applied,

    /// <summary>Nothing to send: the Sidecar already says this.</summary>
    Unchanged,

    /// <summary>The LazySidecar was deleted meanwhile; the next reconcile recreates it.</summary>
    Gone,

    /// <summary>Its pods share labels with another workload's: its hosts went into that workload's Sidecar (written).</summary>
    Merged,

    /// <summary>The object at the Sidecar's place is not LazyMesh's (no managed-by label): left alone.</summary>
    NotOurs,
}
