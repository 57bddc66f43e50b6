using LazyMesh.Kubernetes.State;
using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Rendering;

/// <summary>
/// The observe phase (<see cref="LazyMeshMetadata.ObserveForAnnotation"/>): a TCP or server-first call cannot go
/// through the fallback (it carries no Host and, inside mTLS, no original destination), so before it is learned a
/// narrowed sidecar sends it to <c>PassthroughCluster</c> in plaintext, which STRICT mTLS refuses. While observing,
/// a workload gets no generated Sidecar: it keeps exactly the scope it had without LazyMesh (the user's default
/// Sidecar, or the full mesh), and its sidecar's HTTP and TCP access logs are learned as usual. Pure.
/// </summary>
public static class ObservePhase
{
    /// <summary>The observe duration set on the workload, else on its namespace; null when neither sets a valid one.</summary>
    public static TimeSpan? DurationOf(MeshIndex index, Workload workload, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(workload);
        var ns = index.FindNamespace(workload.Namespace);
        foreach (var (annotations, where) in new[] { (workload.Annotations, "workload"), (ns?.Annotations, "namespace") })
        {
            if (annotations is null || !annotations.TryGetValue(LazyMeshMetadata.ObserveForAnnotation, out var text))
            {
                continue;
            }

            if (GoDuration.TryParse(text.Trim(), out var duration))
            {
                return duration;
            }

            warnings?.Add($"{workload.Key}: {where} annotation {LazyMeshMetadata.ObserveForAnnotation}=\"{text}\" is not a duration such as 24h or 90m; ignored");
        }

        return null;
    }

    /// <summary>
    /// The phase of a workload observed for <paramref name="duration"/>, counted from the first call LazyMesh learned
    /// for it (<paramref name="firstSeenMs"/>; none yet: still observing), at <paramref name="now"/>.
    /// </summary>
    public static ObserveStatus Evaluate(TimeSpan? duration, long? firstSeenMs, DateTimeOffset now)
    {
        if (duration is not { } d)
        {
            return ObserveStatus.None;
        }

        if (firstSeenMs is not { } first)
        {
            return new ObserveStatus(true, d, null);
        }

        var narrowsAt = DateTimeOffset.FromUnixTimeMilliseconds(first) + d;
        return new ObserveStatus(now < narrowsAt, d, narrowsAt);
    }

    /// <summary>The earliest first-seen time of a workload's learned hosts, or null when it has none.</summary>
    public static long? FirstSeen(WorkloadDependencies? learned)
    {
        long? first = null;
        foreach (var host in learned?.Snapshot() ?? [])
        {
            first = first is { } f ? Math.Min(f, host.FirstSeenUnixMs) : host.FirstSeenUnixMs;
        }

        return first;
    }
}
