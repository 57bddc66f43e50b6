using System.Collections.Concurrent;

namespace LazyMesh.Learning;

/// <summary>The learned hosts of one workload. Reads are lock-free; adds go through the concurrent map.</summary>
public sealed class WorkloadDependencies
{
    private readonly ConcurrentDictionary<string, LearnedHost> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LearnedHost>.AlternateLookup<ReadOnlySpan<char>> _byName;
    private int _count;

    public WorkloadDependencies(string workloadKey)
    {
        WorkloadKey = workloadKey;
        _byName = _hosts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary><c>namespace/Kind/name</c> of the workload.</summary>
    public string WorkloadKey { get; }

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(ReadOnlySpan<char> host, out LearnedHost learned) => _byName.TryGetValue(host, out learned!);

    /// <summary>Adds the host if absent and the cap allows; touches it if present.</summary>
    public LearnResult Learn(string host, long seenUnixMs, int maxHosts, bool recorded = true)
    {
        if (_hosts.TryGetValue(host, out var existing))
        {
            existing.Touch(seenUnixMs);
            return LearnResult.Known;
        }

        if (Volatile.Read(ref _count) >= maxHosts)
        {
            return LearnResult.Capped;
        }

        var added = new LearnedHost(host, seenUnixMs, seenUnixMs, recorded);
        if (_hosts.TryAdd(host, added))
        {
            Interlocked.Increment(ref _count);
            return LearnResult.New;
        }

        _hosts[host].Touch(seenUnixMs);
        return LearnResult.Known;
    }

    /// <summary>Restores a host from persisted state (no cap: what was learned is never dropped on restart).</summary>
    public void Restore(string host, long firstSeenUnixMs, long lastSeenUnixMs)
    {
        if (_hosts.TryAdd(host, new LearnedHost(host, firstSeenUnixMs, lastSeenUnixMs)))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            var existing = _hosts[host];
            existing.Touch(lastSeenUnixMs);
            existing.MarkRecorded();
        }
    }

    public bool Remove(string host)
    {
        if (_hosts.TryRemove(host, out _))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    /// <summary>A point-in-time copy of the recorded hosts (<see cref="LearnedHost.IsRecorded"/>), sorted by host (ordinal).</summary>
    public IReadOnlyList<LearnedHost> Snapshot()
    {
        var list = _hosts.Values.Where(static h => h.IsRecorded).ToList();
        list.Sort(static (a, b) => string.CompareOrdinal(a.Host, b.Host));
        return list;
    }
}
