using LazyMesh.Istio;
using LazyMesh.Mesh;

namespace LazyMesh.Reporting;

/// <summary>
/// Pure computation of what each sidecar imports. With full-mesh configuration a sidecar gets every
/// service visible to its namespace (ServiceEntry <c>exportTo</c> respected): one outbound cluster per
/// service port, the ready endpoints of each, and one HTTP virtual host per service per HTTP (or
/// sniffed) port. With a Sidecar it gets only the services its egress hosts match.
/// </summary>
public static class SavingsCalculator
{
    public static SavingsReport Compute(
        IReadOnlyList<MeshService> services,
        IEnumerable<(Workload Workload, string? SidecarName, IReadOnlyList<SidecarHostPattern>? Egress)> workloads,
        EnvoyCostModel? costs = null)
    {
        costs ??= EnvoyCostModel.Default;
        var rows = new List<WorkloadSavings>();
        var totalFull = ImportFootprint.Zero;
        var totalScoped = ImportFootprint.Zero;
        foreach (var (workload, sidecarName, egress) in workloads)
        {
            var full = Footprint(services, workload.Namespace, null, costs);
            var scoped = egress is null ? full : Footprint(services, workload.Namespace, egress, costs);
            rows.Add(new WorkloadSavings(workload.Namespace, workload.Kind.ToString(), workload.Name, sidecarName, full, scoped));
            totalFull = totalFull.Add(full);
            totalScoped = totalScoped.Add(scoped);
        }

        rows.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Namespace, b.Namespace);
            return c != 0 ? c : string.CompareOrdinal(a.Kind + "/" + a.Name, b.Kind + "/" + b.Name);
        });
        return new SavingsReport(SavingsReport.CurrentSchemaVersion, costs, rows, totalFull, totalScoped);
    }

    /// <summary>
    /// The report for the index's workloads (those <paramref name="include"/> accepts), each scoped by the Sidecar
    /// Istio applies to it (<see cref="MeshIndex.ApplicableSidecar"/>), or full mesh when none applies.
    /// </summary>
    public static SavingsReport Compute(MeshIndex index, Func<Workload, bool>? include = null, EnvoyCostModel? costs = null)
    {
        var rows = index.Workloads
            .Where(w => include is null || include(w))
            .Select(workload =>
            {
                var sidecar = index.ApplicableSidecar(workload);
                return (workload, sidecar?.ToString(), sidecar is null ? null : SidecarHostPattern.EgressOf(sidecar.Resource));
            });
        return Compute(index.Services, rows, costs);
    }

    /// <summary>What a sidecar in <paramref name="workloadNamespace"/> imports under <paramref name="egress"/> (null = everything).</summary>
    public static ImportFootprint Footprint(
        IReadOnlyList<MeshService> services,
        string workloadNamespace,
        IReadOnlyList<SidecarHostPattern>? egress,
        EnvoyCostModel costs)
    {
        long count = 0, clusters = 0, endpoints = 0, vhosts = 0;
        foreach (var service in services)
        {
            if (!IsVisible(service, workloadNamespace) || !IsImported(service, workloadNamespace, egress))
            {
                continue;
            }

            count++;
            foreach (var port in service.Ports)
            {
                clusters++;
                endpoints += port.ReadyEndpoints;
                if (port.HasHttpRoutes)
                {
                    vhosts++;
                }
            }
        }

        return new ImportFootprint(count, clusters, endpoints, vhosts, costs.Estimate(clusters, endpoints));
    }

    /// <summary>ServiceEntry <c>exportTo</c>: empty or <c>*</c> = everywhere, <c>.</c> = own namespace, <c>~</c> = nowhere.</summary>
    public static bool IsVisible(MeshService service, string fromNamespace)
    {
        if (service.ExportTo.Count == 0)
        {
            return true;
        }

        foreach (var target in service.ExportTo)
        {
            if (target == "*" || target == fromNamespace || (target == "." && service.Namespace == fromNamespace))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsImported(MeshService service, string sidecarNamespace, IReadOnlyList<SidecarHostPattern>? egress)
    {
        if (egress is null)
        {
            return true;
        }

        foreach (var pattern in egress)
        {
            if (pattern.Matches(sidecarNamespace, service.Namespace, service.Host))
            {
                return true;
            }
        }

        return false;
    }
}
