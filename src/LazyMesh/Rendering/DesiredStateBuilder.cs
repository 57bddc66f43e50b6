using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Rendering;

/// <summary>
/// Pure: mesh index + learned edges + policy -> the Sidecars that should exist. A workload is skipped when it is not
/// enabled, when a user-written workload-selected Sidecar already selects it (never two Sidecars for one workload),
/// when it has no selector labels, or while it is in its observe phase; invalid hosts are dropped with a warning
/// naming them. A user's namespace or root-namespace default Sidecar is the baseline of the generated Sidecar.
/// Workloads whose pods no label set tells apart share one Sidecar (the one whose selector matches all of them).
/// </summary>
public static class DesiredStateBuilder
{
    /// <param name="now">
    /// The time the observe phase is judged at; null: the newest time any learned call was seen (offline logs).
    /// </param>
    public static DesiredState Build(MeshIndex index, DependencyStore store, RenderOptions options, bool enabledByDefault, DateTimeOffset? now = null)
    {
        var sidecars = new List<DesiredSidecar>();
        var warnings = new List<string>();
        var at = now ?? NewestSeen(store);
        int disabled = 0, conflicting = 0;
        foreach (var workload in index.Workloads.OrderBy(static w => w.Key, StringComparer.Ordinal))
        {
            if (PrimaryOf(index, workload) is { } primary && primary != workload)
            {
                continue; // its hosts are in the primary's Sidecar
            }

            var desired = BuildOne(index, workload, store.Find(workload.Key), options, enabledByDefault, warnings, out var skip, store.Find, at);
            switch (skip)
            {
                case WorkloadSkip.Disabled:
                    disabled++;
                    break;
                case WorkloadSkip.Conflict:
                    conflicting++;
                    break;
            }

            if (desired is not null)
            {
                sidecars.Add(desired);
            }
        }

        return new DesiredState(sidecars, disabled, conflicting, warnings);
    }

    /// <summary>
    /// The desired Sidecar of one workload, or null (with <paramref name="skip"/> saying why). For a workload that
    /// shares its pods' labels with others (<see cref="Workload.SharesPodsWith"/>), the group's one Sidecar: the
    /// primary's, with every member's hosts (<paramref name="findOther"/> finds their learned hosts).
    /// </summary>
    public static DesiredSidecar? BuildOne(
        MeshIndex index,
        Workload workload,
        WorkloadDependencies? learned,
        RenderOptions options,
        bool enabledByDefault,
        ICollection<string> warnings,
        out WorkloadSkip skip,
        Func<string, WorkloadDependencies?>? findOther = null,
        DateTimeOffset? now = null)
    {
        var group = Group(index, workload);
        var primary = PrimaryOf(index, workload) ?? workload;
        if (primary != workload)
        {
            learned = findOther?.Invoke(primary.Key);
        }

        skip = WorkloadAdmission.Evaluate(index, primary, enabledByDefault, warnings, out var staticHosts);
        if (skip != WorkloadSkip.None)
        {
            return null;
        }

        var existing = group.SelectMany(index.SidecarsSelecting).Distinct().ToList();
        if (existing.Count > 0)
        {
            warnings.Add($"{primary.Key}: skipped, already selected by user-written Sidecar {existing[0]}; LazyMesh never writes a second Sidecar for a workload");
            skip = WorkloadSkip.Conflict;
            return null;
        }

        var members = group.Select(w => w == primary ? learned : findOther?.Invoke(w.Key)).ToList();
        var observe = ObservePhase.Evaluate(
            ObservePhase.DurationOf(index, primary, warnings),
            members.Select(ObservePhase.FirstSeen).Where(static f => f is not null).Min(),
            now ?? DateTimeOffset.UtcNow);
        if (observe.Observing)
        {
            skip = WorkloadSkip.Observing;
            warnings.Add($"{primary.Key}: no Sidecar yet, {observe.Describe()} ({LazyMeshMetadata.ObserveForAnnotation})");
            return null;
        }

        var learnedHosts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var host in members.SelectMany(static m => m?.Snapshot() ?? []))
        {
            if (SidecarHosts.IsValid(host.Host))
            {
                learnedHosts.Add(host.Host);
            }
            else
            {
                warnings.Add($"{primary.Key}: learned host '{host.Host}' dropped: {SidecarHosts.Validate(host.Host)}");
            }
        }

        var allStatic = new SortedSet<string>(staticHosts, StringComparer.Ordinal);
        foreach (var other in group.Where(w => w != primary))
        {
            WorkloadAdmission.Evaluate(index, other, enabledByDefault, warnings, out var otherStatic);
            allStatic.UnionWith(otherStatic);
        }

        if (group.Count > 1)
        {
            warnings.Add($"{primary.Key}: one Sidecar for {string.Join(", ", group.Select(static w => w.Key))}: no label set tells their pods apart");
        }

        // Nothing LazyMesh itself needs is cut off: MeshConfig extension providers (tracing, ext_authz, access-log
        // services, the controller's ALS when configured as one) stay imported in every generated Sidecar.
        if (index.MeshConfig.ExtensionProviderEgressHosts(index) is { Count: > 0 } providers)
        {
            options = options with { BaselineHosts = [.. options.BaselineHosts, .. providers.Where(p => !options.BaselineHosts.Contains(p, StringComparer.Ordinal))] };
        }

        var sidecar = SidecarRenderer.Render(index, primary, learnedHosts, allStatic, options);
        return new DesiredSidecar(primary, sidecar, learnedHosts.Count, allStatic.Count);
    }

    /// <summary>
    /// The workloads that must share a Sidecar with <paramref name="workload"/> (itself included): the closure of
    /// <see cref="Workload.SharesPodsWith"/>, ordered by key.
    /// </summary>
    public static IReadOnlyList<Workload> Group(MeshIndex index, Workload workload)
    {
        if (!index.SharesPods(workload.Key))
        {
            return [workload];
        }

        var seen = new SortedDictionary<string, Workload>(StringComparer.Ordinal) { [workload.Key] = workload };
        var queue = new Queue<Workload>([workload]);
        while (queue.TryDequeue(out var current))
        {
            var linked = current.SharesPodsWith
                .Select(index.FindWorkload)
                .Concat(index.Workloads.Where(w => w.SharesPodsWith.Contains(current.Key, StringComparer.Ordinal)));
            foreach (var next in linked)
            {
                if (next is not null && seen.TryAdd(next.Key, next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return [.. seen.Values];
    }

    /// <summary>
    /// The member of <paramref name="workload"/>'s group whose Sidecar the group gets: the one whose selector matches
    /// the most members' selector labels (the least specific), then the first by key; null for a group of one.
    /// </summary>
    public static Workload? PrimaryOf(MeshIndex index, Workload workload)
    {
        var group = Group(index, workload);
        if (group.Count < 2)
        {
            return null;
        }

        return group
            .OrderByDescending(w => group.Count(o => Covers(w.SelectorLabels, o)))
            .ThenBy(static w => w.Key, StringComparer.Ordinal)
            .First();
    }

    private static bool Covers(IReadOnlyDictionary<string, string> selector, Workload other) =>
        selector.All(l => other.SelectorLabels.TryGetValue(l.Key, out var v) && v == l.Value)
        || other.Pods.Any(p => selector.All(l => p.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    private static DateTimeOffset NewestSeen(DependencyStore store)
    {
        long newest = 0;
        foreach (var workload in store.Snapshot())
        {
            foreach (var host in workload.Snapshot())
            {
                newest = Math.Max(newest, host.LastSeenUnixMs);
            }
        }

        return newest > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(newest) : DateTimeOffset.UnixEpoch;
    }
}
