namespace LazyMesh.Controller.Queue;

/// <summary>
/// Which lane a key is queued in. A <see cref="High"/> key is picked before every <see cref="Normal"/> one that is ready,
/// as in controller-runtime's priority queue (<c>pkg/controller/priorityqueue</c>, where handlers give the initial list
/// and resyncs a low priority): a new dependency never waits behind a resync or an expiry sweep of the whole mesh.
/// </summary>
public enum WorkPriority
{
    /// <summary>Inventory changes, duties, resyncs, sweeps: first in, first out.</summary>
    Normal,

    /// <summary>A new dependency learned from traffic: its workload's Sidecar is what the caller waits for.</summary>
    High,
}
