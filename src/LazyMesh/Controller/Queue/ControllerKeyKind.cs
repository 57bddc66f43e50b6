namespace LazyMesh.Controller.Queue;

/// <summary>What a <see cref="ControllerKey"/> names.</summary>
public enum ControllerKeyKind
{
    /// <summary>One workload's objects (LazySidecar and Sidecar, or the Sidecar file).</summary>
    Workload,

    /// <summary>The fallback routing objects (the fallback's Service, an EnvoyFilter per lazy namespace).</summary>
    Routing,

    /// <summary>Leader: age every workload's learned hosts (each workload is then queued on its own key).</summary>
    ExpirySweep,

    /// <summary>Leader: delete LazyMesh's objects of workloads gone or no longer lazy.</summary>
    Cleanup,

    /// <summary>Write the aggregated DependencyLearned Events that are due.</summary>
    Events,

    /// <summary>Forget what was last applied and queue everything again from the cache (drift repair).</summary>
    Resync,

    /// <summary>Compact the learned-state journal.</summary>
    Compaction,
}
