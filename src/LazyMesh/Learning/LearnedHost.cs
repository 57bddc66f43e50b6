namespace LazyMesh.Learning;

/// <summary>
/// One learned dependency of a workload: a destination host (<c>ns/fqdn</c>) with the first and last times
/// it was seen. <see cref="LastSeenUnixMs"/> moves forward lock-free as entries arrive.
/// </summary>
public sealed class LearnedHost
{
    private long _lastSeenUnixMs;
    private volatile bool _recorded;

    public LearnedHost(string host, long firstSeenUnixMs, long lastSeenUnixMs, bool recorded = true)
    {
        Host = host;
        FirstSeenUnixMs = firstSeenUnixMs;
        _lastSeenUnixMs = lastSeenUnixMs;
        _recorded = recorded;
    }

    /// <summary>
    /// False while a store that records before it shows (<see cref="DependencyStore.RecordBeforeShowing"/>) waits
    /// for this host's journal record; such a host is left out of <see cref="WorkloadDependencies.Snapshot"/>, so
    /// no Sidecar shows it ahead of its record.
    /// </summary>
    public bool IsRecorded => _recorded;

    internal void MarkRecorded() => _recorded = true;

    /// <summary><c>namespace/host</c> as it appears in a Sidecar's egress hosts.</summary>
    public string Host { get; }

    public long FirstSeenUnixMs { get; }

    public long LastSeenUnixMs => Volatile.Read(ref _lastSeenUnixMs);

    /// <summary>Moves last-seen forward (never back). Returns true when it moved.</summary>
    public bool Touch(long seenUnixMs)
    {
        var current = Volatile.Read(ref _lastSeenUnixMs);
        while (seenUnixMs > current)
        {
            var observed = Interlocked.CompareExchange(ref _lastSeenUnixMs, seenUnixMs, current);
            if (observed == current)
            {
                return true;
            }

            current = observed;
        }

        return false;
    }

    public override string ToString() => Host;
}
