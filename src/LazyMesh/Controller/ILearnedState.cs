using LazyMesh.Learning;

namespace LazyMesh.Controller;

/// <summary>
/// Where learned state lives: the journal on files (<c>Files.JournalState</c>: restored at start, every new edge
/// appended and fsynced before any Sidecar shows it, compacted as a duty), LazySidecar status on a cluster
/// (<c>Cluster.StatusState</c>: restored from every LazySidecar; the merge is part of each workload's reconcile).
/// </summary>
public interface ILearnedState : IControllerDuties, IAsyncDisposable
{
    /// <summary>Fills the store with what was learned before this process (and logs what it found).</summary>
    Task RestoreAsync(DependencyStore store, CancellationToken cancellationToken);

    /// <summary>Records newly learned edges durably; false (logged and counted) when they could not be, so they are kept and retried.</summary>
    bool TryRecord(DependencyStore store, IReadOnlyList<PendingEdge> edges);

    /// <summary>At shutdown, after the final flush: the last chance for <paramref name="unrecorded"/> edges.</summary>
    void FlushAtExit(DependencyStore store, IReadOnlyList<PendingEdge> unrecorded);

    /// <summary>Adds this part's instruments to the controller's meter.</summary>
    void AddMetrics(System.Diagnostics.Metrics.Meter meter);
}
