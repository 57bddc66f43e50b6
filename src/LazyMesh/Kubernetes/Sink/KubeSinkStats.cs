namespace LazyMesh.Kubernetes.Sink;

/// <summary>Counters of the Kubernetes sink (exported as metrics by the controller).</summary>
public sealed class KubeSinkStats
{
    private long _applied;
    private long _unchanged;
    private long _statusWrites;
    private long _statusConflicts;
    private long _retries;
    private long _failures;
    private long _deleted;
    private long _events;

    /// <summary>Server-side applies sent.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Applies not sent because the object's content had not changed since the last apply.</summary>
    public long Unchanged => Interlocked.Read(ref _unchanged);

    public long StatusWrites => Interlocked.Read(ref _statusWrites);

    /// <summary>Status writes rejected as stale (409) and merged again.</summary>
    public long StatusConflicts => Interlocked.Read(ref _statusConflicts);

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Calls that failed after all retries.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public long Deleted => Interlocked.Read(ref _deleted);

    public long Events => Interlocked.Read(ref _events);

    internal void OnApplied() => Interlocked.Increment(ref _applied);

    internal void OnUnchanged() => Interlocked.Increment(ref _unchanged);

    internal void OnStatusWrite() => Interlocked.Increment(ref _statusWrites);

    internal void OnStatusConflict() => Interlocked.Increment(ref _statusConflicts);

    internal void OnRetry() => Interlocked.Increment(ref _retries);

    internal void OnFailure() => Interlocked.Increment(ref _failures);

    internal void OnDeleted() => Interlocked.Increment(ref _deleted);

    internal void OnEvent() => Interlocked.Increment(ref _events);
}
