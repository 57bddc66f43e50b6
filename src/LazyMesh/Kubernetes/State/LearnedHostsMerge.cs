namespace LazyMesh.Kubernetes.State;

/// <summary>
/// Pure: merges what this replica learned into a LazySidecar's persisted hosts. Learned hosts are a
/// grow-only set across replicas (union; earliest first-seen, latest last-seen); the only removals are the
/// leader's expiries, which a replica recognises because it had already seen the host in status (<c>synced</c>)
/// and has not seen it again since (within <c>refresh</c>): such a host is forgotten locally, not resurrected.
/// </summary>
public static class LearnedHostsMerge
{
    /// <param name="remote">The hosts in status now.</param>
    /// <param name="local">This replica's hosts (times in ms; truncated to seconds here, as status keeps them).</param>
    /// <param name="synced">Host → last-seen this replica last saw in status.</param>
    /// <param name="refreshMs">A last-seen moving forward by less than this is not worth a write (coarse last-seen).</param>
    public static LearnedHostsMergeResult Merge(
        IReadOnlyList<LearnedHostRecord> remote,
        IEnumerable<LearnedHostRecord> local,
        IReadOnlyDictionary<string, long> synced,
        long refreshMs)
    {
        var merged = new SortedDictionary<string, LearnedHostRecord>(StringComparer.Ordinal);
        foreach (var r in remote)
        {
            merged[r.Host] = r;
        }

        var changed = false;
        var added = new List<string>();
        var forgotten = new List<string>();
        foreach (var raw in local)
        {
            var first = KubeTime.Truncate(raw.FirstSeenMs);
            var last = KubeTime.Truncate(raw.LastSeenMs);
            if (merged.TryGetValue(raw.Host, out var r))
            {
                var seenAgain = r.ExpiringSinceMs is not null && last > r.LastSeenMs;
                if (first < r.FirstSeenMs || last - r.LastSeenMs >= refreshMs || seenAgain)
                {
                    merged[raw.Host] = new LearnedHostRecord(
                        raw.Host,
                        Math.Min(first, r.FirstSeenMs),
                        Math.Max(last, r.LastSeenMs),
                        seenAgain ? null : r.ExpiringSinceMs);
                    changed = true;
                }
            }
            else if (synced.TryGetValue(raw.Host, out var syncedLast) && last - syncedLast < refreshMs)
            {
                // It was in status and is gone: expired by the leader, and not seen again since.
                forgotten.Add(raw.Host);
            }
            else
            {
                merged[raw.Host] = new LearnedHostRecord(raw.Host, first, last);
                added.Add(raw.Host);
                changed = true;
            }
        }

        added.Sort(StringComparer.Ordinal);
        return new LearnedHostsMergeResult([.. merged.Values], changed, added, forgotten);
    }
}
