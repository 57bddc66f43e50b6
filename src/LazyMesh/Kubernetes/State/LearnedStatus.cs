using LazyMesh.Learning;

namespace LazyMesh.Kubernetes.State;

/// <summary>
/// Where a replica's learned state lives on a cluster: the LazySidecars' <c>status.learnedHosts</c>. Keeps the
/// replica's <see cref="DependencyStore"/> and its <see cref="SyncedHosts"/> in step with what status holds: restored
/// from every LazySidecar at start, and updated after each merge, expiry and cleanup. The sink's stages change the
/// store only through here.
/// </summary>
public sealed class LearnedStatus
{
    public LearnedStatus(DependencyStore store, SyncedHosts? synced = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        Synced = synced ?? new SyncedHosts();
    }

    public DependencyStore Store { get; }

    public SyncedHosts Synced { get; }

    /// <summary>Rebuilds the store from every LazySidecar's status (and records it as synced); returns the number of hosts restored.</summary>
    public async Task<int> RestoreAsync(ILazySidecarSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var restored = 0;
        foreach (var lazy in await source.ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            var hosts = LazySidecarStatuses.Hosts(lazy.Status);
            foreach (var host in hosts)
            {
                Store.Restore(lazy.WorkloadKey, host.Host, host.FirstSeenMs, host.LastSeenMs);
            }

            Synced.Set(lazy.WorkloadKey, hosts);
            restored += hosts.Count;
        }

        return restored;
    }

    /// <summary>The hosts this replica holds for the workload (learned here or restored), as status records.</summary>
    public IEnumerable<LearnedHostRecord> LocalHosts(string workloadKey) =>
        (Store.Find(workloadKey)?.Snapshot() ?? []).Select(static h => new LearnedHostRecord(h.Host, h.FirstSeenUnixMs, h.LastSeenUnixMs));

    /// <summary>
    /// Whether the workload has learned hosts, here or in its status as last synced: only those have anything to age, so
    /// the leader's expiry sweep queues only them. Queueing every workload of the mesh (5,000 in ChurnBench) once a
    /// minute put a new dependency arriving then behind thousands of reconciles that change nothing.
    /// </summary>
    public bool HasHosts(string workloadKey) => Store.Find(workloadKey)?.Count > 0 || Synced.Any(workloadKey);

    /// <summary>The hosts (and last-seen) this replica last saw in the workload's status.</summary>
    public IReadOnlyDictionary<string, long> SyncedHosts(string workloadKey) => Synced.Get(workloadKey);

    /// <summary>Status now holds <paramref name="hosts"/>; <paramref name="forgotten"/> were expired or removed by another replica.</summary>
    public void Merged(string workloadKey, IEnumerable<string> forgotten, IReadOnlyList<LearnedHostRecord> hosts)
    {
        foreach (var host in forgotten)
        {
            Store.Forget(workloadKey, host);
        }

        foreach (var host in hosts)
        {
            Store.Restore(workloadKey, host.Host, host.FirstSeenMs, host.LastSeenMs);
        }

        Synced.Set(workloadKey, hosts);
    }

    /// <summary>Status holds <paramref name="hosts"/> (no local change merged in).</summary>
    public void Seen(string workloadKey, IReadOnlyList<LearnedHostRecord> hosts) => Synced.Set(workloadKey, hosts);

    /// <summary>The workload's LazySidecar was deleted: everything learned for it goes.</summary>
    public void Removed(string workloadKey)
    {
        foreach (var host in Store.Find(workloadKey)?.Snapshot() ?? [])
        {
            Store.Forget(workloadKey, host.Host);
        }

        Synced.Remove(workloadKey);
    }
}
