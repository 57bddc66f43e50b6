using LazyMesh.Learning;

namespace LazyMesh.Kubernetes.State;

/// <summary>Rebuilds a replica's <see cref="DependencyStore"/> from every LazySidecar's <c>status.learnedHosts</c>.</summary>
public static class LearnedStateRestorer
{
    /// <summary>Returns the number of hosts restored.</summary>
    public static async Task<int> RestoreAsync(ILazySidecarSource source, DependencyStore store, SyncedHosts synced, CancellationToken cancellationToken)
    {
        var restored = 0;
        foreach (var lazy in await source.ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            restored += Restore(lazy, store, synced);
        }

        return restored;
    }

    /// <summary>Restores one LazySidecar's hosts into the store and records them as synced.</summary>
    public static int Restore(LazySidecarResource lazy, DependencyStore store, SyncedHosts synced)
    {
        var key = lazy.WorkloadKey;
        var hosts = LazySidecarStatuses.Hosts(lazy.Status);
        foreach (var host in hosts)
        {
            store.Restore(key, host.Host, host.FirstSeenMs, host.LastSeenMs);
        }

        synced.Set(key, hosts);
        return hosts.Count;
    }
}
