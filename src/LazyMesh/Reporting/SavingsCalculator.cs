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
        var proxiesFull = ImportFootprint.Zero;
        var proxiesScoped = ImportFootprint.Zero;
        long pods = 0;

        // Per service: how many proxies a change of it pushes to, and how many bytes, full mesh and scoped.
        var pushedFull = new double[services.Count];
        var pushedScoped = new double[services.Count];
        var bytesFull = new double[services.Count];
        var bytesScoped = new double[services.Count];
        foreach (var (workload, sidecarName, egress) in workloads)
        {
            var full = Footprint(services, workload.Namespace, null, costs);
            var scoped = egress is null ? full : Footprint(services, workload.Namespace, egress, costs);
            var proxies = Proxies(workload);
            rows.Add(new WorkloadSavings(workload.Namespace, workload.Kind.ToString(), workload.Name, sidecarName, full, scoped, proxies));
            totalFull = totalFull.Add(full);
            totalScoped = totalScoped.Add(scoped);
            proxiesFull = proxiesFull.Add(full.Times(proxies));
            proxiesScoped = proxiesScoped.Add(scoped.Times(proxies));
            pods += proxies;
            if (proxies == 0)
            {
                continue;
            }

            for (var i = 0; i < services.Count; i++)
            {
                if (!IsVisible(services[i], workload.Namespace))
                {
                    continue;
                }

                pushedFull[i] += proxies;
                bytesFull[i] += (double)proxies * full.PushBytes;
                if (IsImported(services[i], workload.Namespace, egress))
                {
                    pushedScoped[i] += proxies;
                    bytesScoped[i] += (double)proxies * scoped.PushBytes;
                }
            }
        }

        rows.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Namespace, b.Namespace);
            return c != 0 ? c : string.CompareOrdinal(a.Kind + "/" + a.Name, b.Kind + "/" + b.Name);
        });
        var pushes = services.Count == 0
            ? XdsPushSavings.None
            : new XdsPushSavings(services.Count, pushedFull.Average(), pushedScoped.Average(), bytesFull.Average(), bytesScoped.Average());
        return new SavingsReport(SavingsReport.CurrentSchemaVersion, costs, rows, totalFull, totalScoped)
        {
            ProxiesFull = proxiesFull,
            ProxiesScoped = proxiesScoped,
            Pods = pods,
            Pushes = pushes,
        };
    }

    /// <summary>A workload's proxies: its pods that have not finished (Succeeded or Failed pods run no Envoy).</summary>
    public static int Proxies(Workload workload)
    {
        var count = 0;
        foreach (var pod in workload.Pods)
        {
            if (pod.Phase is not ("Succeeded" or "Failed"))
            {
                count++;
            }
        }

        return count;
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

        return new ImportFootprint(count, clusters, endpoints, vhosts, costs.Estimate(clusters, endpoints), costs.PushBytes(clusters));
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

    public static bool IsImported(MeshService service, string sidecarNamespace, IReadOnlyList<SidecarHostPattern>? egress)
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
