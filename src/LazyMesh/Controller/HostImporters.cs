using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Controller;

/// <summary>
/// The workloads whose generated Sidecar may name one of a set of changed destination hosts
/// (<see cref="MeshIndexChange.ChangedHosts"/>: the index knows which Services changed, not who imports them): those
/// that learned one of them, and those whose static hosts (<c>lazymesh.io/static-hosts</c> on the workload or its
/// namespace) name one or use a wildcard. Pure.
/// </summary>
public static class HostImporters
{
    public static IReadOnlySet<string> Of(MeshIndex index, DependencyStore store, IReadOnlyCollection<string> changedHosts)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(changedHosts);
        var importers = new HashSet<string>(StringComparer.Ordinal);
        if (changedHosts.Count == 0)
        {
            return importers;
        }

        var hosts = new HashSet<string>(changedHosts, StringComparer.OrdinalIgnoreCase);
        foreach (var dependencies in store.Snapshot())
        {
            if (dependencies.Snapshot().Any(learned => hosts.Contains(Fqdn(learned.Host))))
            {
                importers.Add(dependencies.WorkloadKey);
            }
        }

        foreach (var workload in index.Workloads)
        {
            var ns = index.FindNamespace(workload.Namespace);
            var policy = EnablementPolicy.Evaluate(workload.Annotations, ns?.Annotations, ns?.Labels, enabledByDefault: true);
            if (policy.StaticHosts.Any(h => Fqdn(h) is var fqdn && (hosts.Contains(fqdn) || fqdn.Contains('*', StringComparison.Ordinal))))
            {
                importers.Add(workload.Key);
            }
        }

        return importers;
    }

    /// <summary>The host part of a Sidecar host (<c>namespace/fqdn</c>, or a bare fqdn).</summary>
    private static string Fqdn(string sidecarHost) => sidecarHost[(sidecarHost.IndexOf('/', StringComparison.Ordinal) + 1)..];
}
