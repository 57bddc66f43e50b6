namespace LazyMesh.Learning;

/// <summary>What went wrong with durable state, counted lock-free (exported as <c>lazymesh_journal_*</c> metrics).</summary>
public sealed class JournalStats
{
    private long _appendFailures;
    private long _compactionFailures;
    private long _unrecorded;

    /// <summary>Journal appends that failed (ENOSPC, EIO...); their edges stayed queued and were retried.</summary>
    public long AppendFailures => Interlocked.Read(ref _appendFailures);

    /// <summary>Snapshot writes (compactions) that failed; the journal kept everything.</summary>
    public long CompactionFailures => Interlocked.Read(ref _compactionFailures);

    /// <summary>Learned edges waiting for their journal record (held back from every Sidecar until then).</summary>
    public long Unrecorded => Interlocked.Read(ref _unrecorded);

    public void OnAppendFailed() => Interlocked.Increment(ref _appendFailures);

    public void OnCompactionFailed() => Interlocked.Increment(ref _compactionFailures);

    public void SetUnrecorded(long count) => Interlocked.Exchange(ref _unrecorded, count);
}
