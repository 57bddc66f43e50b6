namespace LazyMesh.Mesh;

/// <summary>
/// When a layered map's overlay is frozen into a new base (<see cref="Threshold"/>), and where that merge runs
/// (<see cref="Run"/>): by default on the thread pool, off the update path, while updates go on in a fresh overlay.
/// </summary>
internal sealed class LayerMergePolicy(Func<int, int> threshold, Action<Action> run)
{
    /// <summary>Merges once an overlay reaches <see cref="LayeredMaps.CompactionThreshold"/>, on the thread pool.</summary>
    public static LayerMergePolicy Background { get; } = new(
        LayeredMaps.CompactionThreshold,
        static work => ThreadPool.UnsafeQueueUserWorkItem(static w => w(), work, preferLocal: false));

    /// <summary>Overlay entries at which a merge starts (and at which, when the previous merge has not ended yet, the update waits for it).</summary>
    public int Threshold(int baseCount) => threshold(baseCount);

    /// <summary>Runs a merge (it may also be completed by the update that needs it first: running it twice is harmless).</summary>
    public void Run(Action merge) => run(merge);
}
