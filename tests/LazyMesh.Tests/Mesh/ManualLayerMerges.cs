using LazyMesh.Mesh;

namespace LazyMesh.Tests.Mesh;

/// <summary>
/// A <see cref="LayerMergePolicy"/> whose merges run only when the test says: started merges queue up, and
/// <see cref="Run"/> runs some of them, so a property can place merges at any point between updates (or never,
/// leaving the updates to finish them).
/// </summary>
internal sealed class ManualLayerMerges
{
    private readonly List<Action> _queued = [];

    public ManualLayerMerges(int threshold) => Policy = new LayerMergePolicy(_ => threshold, merge =>
    {
        Started++;
        _queued.Add(merge);
    });

    public LayerMergePolicy Policy { get; }

    /// <summary>Merges started so far (queued or run).</summary>
    public int Started { get; private set; }

    /// <summary>Runs the queued merges whose position bit is set in <paramref name="pick"/> (bit 0: the oldest), in order; keeps the rest queued.</summary>
    public void Run(int pick)
    {
        var kept = new List<Action>();
        for (var i = 0; i < _queued.Count; i++)
        {
            if (i < 31 && (pick & (1 << i)) != 0)
            {
                _queued[i]();
            }
            else
            {
                kept.Add(_queued[i]);
            }
        }

        _queued.Clear();
        _queued.AddRange(kept);
    }
}
