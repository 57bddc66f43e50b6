using System.Collections.Concurrent;

namespace LazyMesh.Kubernetes.State;

/// <summary>
/// Per workload, the hosts (and their last-seen) this replica last saw in its LazySidecar's status. Lets
/// <see cref="LearnedHostsMerge"/> tell "the leader expired it" from "I learned it and nobody has it yet".
/// </summary>
public sealed class SyncedHosts
{
    private readonly ConcurrentDictionary<string, Dictionary<string, long>> _byWorkload = new(StringComparer.Ordinal);

    /// <summary>A copy of what was last synced for the workload.</summary>
    public IReadOnlyDictionary<string, long> Get(string workloadKey)
    {
        if (!_byWorkload.TryGetValue(workloadKey, out var hosts))
        {
            return new Dictionary<string, long>();
        }

        lock (hosts)
        {
            return new Dictionary<string, long>(hosts, StringComparer.Ordinal);
        }
    }

    /// <summary>Whether the workload's status held any host when last synced.</summary>
    public bool Any(string workloadKey)
    {
        if (!_byWorkload.TryGetValue(workloadKey, out var hosts))
        {
            return false;
        }

        lock (hosts)
        {
            return hosts.Count > 0;
        }
    }

    /// <summary>Records the hosts now in status (replacing what was recorded before).</summary>
    public void Set(string workloadKey, IEnumerable<LearnedHostRecord> hosts)
    {
        var map = hosts.ToDictionary(static h => h.Host, static h => h.LastSeenMs, StringComparer.Ordinal);
        _byWorkload[workloadKey] = map;
    }

    public void Remove(string workloadKey) => _byWorkload.TryRemove(workloadKey, out _);
}
