using System.Collections.Concurrent;
using LazyMesh.Mesh;

namespace LazyMesh.Learning;

/// <summary>
/// Edges (workload, destination host), deduplicated at line rate. A known edge costs two lock-free
/// dictionary reads and a last-seen update; only a new edge allocates.
/// </summary>
public sealed class DependencyStore
{
    /// <summary>Default cap on learned hosts per workload, so a buggy or spoofing sender cannot blow up a Sidecar.</summary>
    public const int DefaultMaxHostsPerWorkload = 500;

    private readonly ConcurrentDictionary<string, WorkloadDependencies> _workloads = new(StringComparer.Ordinal);

    /// <summary>
    /// One instance per distinct host among restored edges: persisted state gives every edge its own host string,
    /// and a few thousand hosts repeat across a million edges (the live path shares the MeshIndex's strings).
    /// </summary>
    private readonly ConcurrentDictionary<string, string> _restoredHosts = new(StringComparer.Ordinal);
    private long _edges;
    private long _capped;

    /// <param name="maxHostsPerWorkload">Cap on learned hosts per workload.</param>
    /// <param name="recordBeforeShowing">
    /// A newly learned host stays out of <see cref="WorkloadDependencies.Snapshot"/> (so out of every Sidecar) until
    /// <see cref="MarkRecorded"/> says its journal record is on disk: the controller's "nothing written ahead of its
    /// record". Off for stores whose durable record is the output itself (recommend, Kubernetes).
    /// </param>
    public DependencyStore(int maxHostsPerWorkload = DefaultMaxHostsPerWorkload, bool recordBeforeShowing = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHostsPerWorkload, 1);
        MaxHostsPerWorkload = maxHostsPerWorkload;
        RecordBeforeShowing = recordBeforeShowing;
    }

    public int MaxHostsPerWorkload { get; }

    public bool RecordBeforeShowing { get; }

    /// <summary>Distinct edges currently held.</summary>
    public long EdgeCount => Interlocked.Read(ref _edges);

    /// <summary>New edges rejected by the per-workload cap.</summary>
    public long CappedCount => Interlocked.Read(ref _capped);

    public int WorkloadCount => _workloads.Count;

    public LearnResult Learn(Workload source, MeshService destination, long seenUnixMs) =>
        Learn(source.Key, destination.SidecarHost, seenUnixMs);

    public LearnResult Learn(string workloadKey, string host, long seenUnixMs)
    {
        if (!_workloads.TryGetValue(workloadKey, out var deps))
        {
            deps = _workloads.GetOrAdd(workloadKey, static key => new WorkloadDependencies(key));
        }

        var result = deps.Learn(host, seenUnixMs, MaxHostsPerWorkload, recorded: !RecordBeforeShowing);
        switch (result)
        {
            case LearnResult.New:
                Interlocked.Increment(ref _edges);
                break;
            case LearnResult.Capped:
                Interlocked.Increment(ref _capped);
                break;
        }

        return result;
    }

    /// <summary>Restores a persisted edge. Host strings are interned, so repeated hosts are held once.</summary>
    public void Restore(string workloadKey, string host, long firstSeenUnixMs, long lastSeenUnixMs)
    {
        host = _restoredHosts.GetOrAdd(host, host);
        var deps = _workloads.GetOrAdd(workloadKey, static key => new WorkloadDependencies(key));
        var before = deps.Count;
        deps.Restore(host, firstSeenUnixMs, lastSeenUnixMs);
        if (deps.Count > before)
        {
            Interlocked.Increment(ref _edges);
        }
    }

    /// <summary>The host's journal record is on disk: from now on it shows in snapshots (and Sidecars).</summary>
    public void MarkRecorded(string workloadKey, string host)
    {
        if (_workloads.TryGetValue(workloadKey, out var deps) && deps.TryGet(host, out var learned))
        {
            learned.MarkRecorded();
        }
    }

    public bool Forget(string workloadKey, string host)
    {
        if (_workloads.TryGetValue(workloadKey, out var deps) && deps.Remove(host))
        {
            Interlocked.Decrement(ref _edges);
            return true;
        }

        return false;
    }

    public WorkloadDependencies? Find(string workloadKey) =>
        _workloads.TryGetValue(workloadKey, out var deps) ? deps : null;

    /// <summary>All workloads with learned hosts, sorted by key.</summary>
    public IReadOnlyList<WorkloadDependencies> Snapshot()
    {
        var list = _workloads.Values.Where(static d => d.Count > 0).ToList();
        list.Sort(static (a, b) => string.CompareOrdinal(a.WorkloadKey, b.WorkloadKey));
        return list;
    }
}
