namespace LazyMesh.Kubernetes.State;

/// <summary>
/// Pure: expiry of learned hosts. A host not seen for <c>ttl</c> is marked (<c>expiringSince</c>); a marked host
/// is removed once <c>grace</c> has passed since the mark, unless seen again (then the mark is cleared).
/// Static hosts never expire.
/// </summary>
public static class HostExpiry
{
    public static HostExpiryResult Apply(
        IReadOnlyList<LearnedHostRecord> hosts,
        IReadOnlyCollection<string> staticHosts,
        TimeSpan ttl,
        TimeSpan grace,
        long nowMs)
    {
        var kept = new List<LearnedHostRecord>(hosts.Count);
        var marked = new List<string>();
        var removed = new List<string>();
        var cleared = new List<string>();
        var ttlMs = (long)ttl.TotalMilliseconds;
        var graceMs = (long)grace.TotalMilliseconds;
        foreach (var host in hosts)
        {
            var stale = !staticHosts.Contains(host.Host) && nowMs - host.LastSeenMs >= ttlMs;
            if (!stale)
            {
                if (host.ExpiringSinceMs is not null)
                {
                    cleared.Add(host.Host);
                    kept.Add(host with { ExpiringSinceMs = null });
                }
                else
                {
                    kept.Add(host);
                }
            }
            else if (host.ExpiringSinceMs is not { } since)
            {
                marked.Add(host.Host);
                kept.Add(host with { ExpiringSinceMs = KubeTime.Truncate(nowMs) });
            }
            else if (nowMs - since >= graceMs)
            {
                removed.Add(host.Host);
            }
            else
            {
                kept.Add(host);
            }
        }

        return new HostExpiryResult(kept, marked, removed, cleared);
    }
}
