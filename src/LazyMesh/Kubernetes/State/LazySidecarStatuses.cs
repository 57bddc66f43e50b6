namespace LazyMesh.Kubernetes.State;

/// <summary>Pure conversions and updates of <see cref="LazySidecarStatus"/>.</summary>
public static class LazySidecarStatuses
{
    /// <summary>The persisted hosts; entries with unparsable times are kept with time 0 (so they are never lost).</summary>
    public static IReadOnlyList<LearnedHostRecord> Hosts(LazySidecarStatus? status)
    {
        var list = new List<LearnedHostRecord>();
        foreach (var h in status?.LearnedHosts ?? [])
        {
            if (string.IsNullOrEmpty(h.Host))
            {
                continue;
            }

            KubeTime.TryParse(h.FirstSeen, out var first);
            KubeTime.TryParse(h.LastSeen, out var last);
            long? expiring = KubeTime.TryParse(h.ExpiringSince, out var since) ? since : null;
            list.Add(new LearnedHostRecord(h.Host, first, Math.Max(first, last), expiring));
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Host, b.Host));
        return list;
    }

    /// <summary>A copy of <paramref name="status"/> with these hosts, and hostCount and lastLearned derived from them.</summary>
    public static LazySidecarStatus WithHosts(LazySidecarStatus? status, IReadOnlyList<LearnedHostRecord> hosts)
    {
        var copy = Copy(status);
        copy.LearnedHosts = [.. hosts.OrderBy(static h => h.Host, StringComparer.Ordinal).Select(static h => new LearnedHostStatus
        {
            Host = h.Host,
            FirstSeen = KubeTime.Format(h.FirstSeenMs),
            LastSeen = KubeTime.Format(h.LastSeenMs),
            ExpiringSince = h.ExpiringSinceMs is { } since ? KubeTime.Format(since) : null,
        })];
        copy.HostCount = hosts.Count;
        var latest = hosts.OrderByDescending(static h => h.FirstSeenMs).ThenBy(static h => h.Host, StringComparer.Ordinal).FirstOrDefault();
        copy.LastLearned = latest is null ? null : new LastLearnedStatus { Host = latest.Host, Time = KubeTime.Format(latest.FirstSeenMs) };
        return copy;
    }

    /// <summary>Sets a condition; its lastTransitionTime moves only when its status changes.</summary>
    public static LazySidecarStatus WithCondition(LazySidecarStatus? status, string type, string value, string reason, string message, long? generation, long nowMs)
    {
        var copy = Copy(status);
        var conditions = copy.Conditions?.ToList() ?? [];
        var existing = conditions.FindIndex(c => c.Type == type);
        var transition = existing >= 0 && conditions[existing].Status == value ? conditions[existing].LastTransitionTime : KubeTime.Format(nowMs);
        var condition = new LazySidecarCondition
        {
            Type = type,
            Status = value,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = transition,
        };
        if (existing >= 0)
        {
            conditions[existing] = condition;
        }
        else
        {
            conditions.Add(condition);
        }

        conditions.Sort(static (a, b) => string.CompareOrdinal(a.Type, b.Type));
        copy.Conditions = conditions;
        return copy;
    }

    public static LazySidecarCondition? Condition(LazySidecarStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(LazySidecarStatus? status, string type) => Condition(status, type)?.Status == "True";

    /// <summary>Structural equality through the wire form.</summary>
    public static bool Same(LazySidecarStatus? a, LazySidecarStatus? b) =>
        string.Equals(k8s.KubernetesJson.Serialize(a ?? new LazySidecarStatus()), k8s.KubernetesJson.Serialize(b ?? new LazySidecarStatus()), StringComparison.Ordinal);

    public static LazySidecarStatus Copy(LazySidecarStatus? status) => status is null
        ? new LazySidecarStatus()
        : k8s.KubernetesJson.Deserialize<LazySidecarStatus>(k8s.KubernetesJson.Serialize(status));
}
