using LazyMesh.Controller.Queue;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Controller;

/// <summary>What the mode parts see of the controller: the index now, the last outcome per workload, and the queue.</summary>
public sealed class ControllerContext
{
    private readonly Func<MeshIndex> _index;
    private readonly Action<ControllerKey> _enqueue;

    public ControllerContext(Func<MeshIndex> index, IReadOnlyDictionary<string, WorkloadOutcome> outcomes, Action<ControllerKey> enqueue)
    {
        _index = index;
        _enqueue = enqueue;
        Outcomes = outcomes;
    }

    public MeshIndex Index => _index();

    /// <summary>The outcome of each workload's last successful reconcile (none: failed, or not reconciled yet).</summary>
    public IReadOnlyDictionary<string, WorkloadOutcome> Outcomes { get; }

    public void Enqueue(ControllerKey key) => _enqueue(key);

    /// <summary>Queues every workload of the index, then the routing objects.</summary>
    public void EnqueueAllWorkloads()
    {
        foreach (var workload in Index.Workloads)
        {
            _enqueue(ControllerKey.Workload(workload.Key));
        }

        _enqueue(ControllerKey.Routing);
    }
}
