namespace LazyMesh.Sinks;

/// <summary>What was done to a DirectorySink (Sidecars and routing objects), counted lock-free.</summary>
public sealed class SidecarWriteStats
{
    private long _written;
    private long _unchanged;
    private long _deleted;
    private long _failed;
    private long _notOurs;

    public long Written => Interlocked.Read(ref _written);

    public long Unchanged => Interlocked.Read(ref _unchanged);

    public long Deleted => Interlocked.Read(ref _deleted);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Writes refused because a file LazyMesh does not manage holds the path.</summary>
    public long NotOurs => Interlocked.Read(ref _notOurs);

    internal void OnWritten() => Interlocked.Increment(ref _written);

    internal void OnUnchanged() => Interlocked.Increment(ref _unchanged);

    internal void OnDeleted() => Interlocked.Increment(ref _deleted);

    internal void OnFailed() => Interlocked.Increment(ref _failed);

    internal void OnNotOurs() => Interlocked.Increment(ref _notOurs);
}
