using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Cli;

/// <summary>
/// Which workloads <c>lazymesh recommend</c> writes: those the logs show traffic of (unless
/// <see cref="IncludeUnseen"/>), within <c>--namespace</c> and <c>--workload</c> when given. Also says why the others
/// get nothing, and which written Sidecars could cut off calls the logs show.
/// </summary>
public sealed record RecommendFilter(IReadOnlyList<string> Namespaces, IReadOnlyList<string> Workloads, bool IncludeUnseen)
{
    private const int MaxListed = 10;

    public static RecommendFilter Default { get; } = new([], [], false);

    public bool InScope(Workload workload) =>
        (Namespaces.Count == 0 || Namespaces.Contains(workload.Namespace, StringComparer.Ordinal))
        && (Workloads.Count == 0 || Workloads.Any(w => Names(w, workload)));

    /// <summary>A stored managed Sidecar may be removed when its workload is in scope and not merely unseen in these logs.</summary>
    public bool MayPrune(MeshIndex index, SidecarResource sidecar, TrafficEvidence evidence)
    {
        string? key = null;
        sidecar.Metadata.Annotations?.TryGetValue(LazyMeshMetadata.WorkloadAnnotation, out key);
        var workload = key is null ? null : index.FindWorkload(key);
        if (workload is null)
        {
            return (Namespaces.Count == 0 || Namespaces.Contains(sidecar.Metadata.NamespaceProperty, StringComparer.Ordinal)) && Workloads.Count == 0;
        }

        return InScope(workload) && (IncludeUnseen || Seen(index, workload, evidence));
    }

    public DesiredState Apply(MeshIndex index, DesiredState all, TrafficEvidence evidence, IReadOnlyList<string> logWarnings)
    {
        var warnings = new List<string>(all.Warnings);
        foreach (var requested in Workloads.Where(w => !index.Workloads.Any(x => Names(w, x))))
        {
            warnings.Add($"--workload {requested}: no such workload in the inventory");
        }

        var kept = new List<DesiredSidecar>();
        var unseen = new List<string>();
        foreach (var desired in all.Sidecars)
        {
            if (!InScope(desired.Workload))
            {
                continue;
            }

            if (!IncludeUnseen && !Seen(index, desired.Workload, evidence))
            {
                unseen.Add(desired.Workload.Key);
                continue;
            }

            foreach (var member in DesiredStateBuilder.Group(index, desired.Workload))
            {
                if (evidence.UnexplainedByWorkload.TryGetValue(member.Key, out var unexplained))
                {
                    warnings.Add($"{member.Key}: {unexplained.Count} calls in the logs go to destinations the inventory does not have " +
                        $"({string.Join(", ", unexplained.Examples)}); the Sidecar cannot import them, so after narrowing HTTP ones reach the fallback " +
                        "and fail there; declare them (ServiceEntry) or pin them (lazymesh.io/static-hosts)");
                }
            }

            kept.Add(desired);
        }

        if (unseen.Count > 0)
        {
            warnings.Add($"{unseen.Count} workloads get no Sidecar because the logs show no traffic of theirs (--include-unseen writes baseline-only ones): " +
                string.Join(", ", unseen.Take(MaxListed)) + (unseen.Count > MaxListed ? ", ..." : string.Empty));
        }

        if (evidence.Usable == 0 && logWarnings.Count > 0)
        {
            warnings.Add("no access-log entry could be used: no Sidecar written" + (IncludeUnseen ? " except baseline-only ones (--include-unseen)" : string.Empty));
        }

        return all with { Sidecars = kept, Warnings = warnings };
    }

    private static bool Seen(MeshIndex index, Workload workload, TrafficEvidence evidence) =>
        DesiredStateBuilder.Group(index, workload).Any(w => evidence.EntriesByWorkload.ContainsKey(w.Key));

    /// <summary><c>name</c>, <c>Kind/name</c> (kind case-insensitive) or <c>namespace/Kind/name</c>.</summary>
    private static bool Names(string pattern, Workload workload)
    {
        var parts = pattern.Split('/');
        return parts.Length switch
        {
            1 => parts[0] == workload.Name,
            2 => string.Equals(parts[0], workload.Kind.ToString(), StringComparison.OrdinalIgnoreCase) && parts[1] == workload.Name,
            3 => parts[0] == workload.Namespace && string.Equals(parts[1], workload.Kind.ToString(), StringComparison.OrdinalIgnoreCase) && parts[2] == workload.Name,
            _ => false,
        };
    }
}
