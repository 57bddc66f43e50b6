namespace LazyMesh.Controller.Queue;

/// <summary>What a reconcile asks of the queue afterwards (a thrown exception means: retry with backoff).</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    /// <summary>Done: the key's failure count is reset; it runs again only when added again.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Done for now, and run again after <paramref name="delay"/> (periodic duties).</summary>
    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
