namespace LazyMesh.Kubernetes.Informers;

/// <summary>What one informer did since it started (thread-safe counters, for metrics and tests).</summary>
public sealed class InformerCounters
{
    private long _added;
    private long _modified;
    private long _deleted;
    private long _bookmarks;
    private long _lists;
    private long _relists;
    private long _gone;
    private long _resyncs;
    private long _watches;
    private long _errors;

    /// <summary>ADDED watch events.</summary>
    public long Added => Interlocked.Read(ref _added);

    /// <summary>MODIFIED watch events.</summary>
    public long Modified => Interlocked.Read(ref _modified);

    /// <summary>DELETED watch events.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>BOOKMARK watch events.</summary>
    public long Bookmarks => Interlocked.Read(ref _bookmarks);

    /// <summary>Complete LISTs (all pages), the first one included.</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Complete LISTs after the first (410 Gone, resync, or a failure that needed one).</summary>
    public long Relists => Interlocked.Read(ref _relists);

    /// <summary>410 Gone answers (an ERROR event or an HTTP 410).</summary>
    public long Gone => Interlocked.Read(ref _gone);

    /// <summary>Periodic resyncs (relists on the resync timer).</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    /// <summary>WATCH requests started.</summary>
    public long Watches => Interlocked.Read(ref _watches);

    /// <summary>WATCH requests after the first (the previous one ended, failed or was stopped).</summary>
    public long WatchRestarts => Math.Max(0, Watches - 1);

    /// <summary>Failed requests and broken streams (retried with backoff).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    internal void OnAdded() => Interlocked.Increment(ref _added);

    internal void OnModified() => Interlocked.Increment(ref _modified);

    internal void OnDeleted() => Interlocked.Increment(ref _deleted);

    internal void OnBookmark() => Interlocked.Increment(ref _bookmarks);

    internal void OnList(bool first)
    {
        Interlocked.Increment(ref _lists);
        if (!first)
        {
            Interlocked.Increment(ref _relists);
        }
    }

    internal void OnGone() => Interlocked.Increment(ref _gone);

    internal void OnResync() => Interlocked.Increment(ref _resyncs);

    internal void OnWatch() => Interlocked.Increment(ref _watches);

    internal void OnError() => Interlocked.Increment(ref _errors);
}
