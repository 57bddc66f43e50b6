using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Rendering;

/// <summary>
/// Pure: mesh index + learned edges + policy -> the Sidecars that should exist. A workload is skipped
/// when it is not enabled, when a user-written Sidecar already selects it (never two Sidecars for one
/// workload), or when it has no selector labels; invalid hosts are dropped with a warning naming them.
/// </summary>
public static class DesiredStateBuilder
{
    public static DesiredState Build(MeshIndex index, DependencyStore store, RenderOptions options, bool enabledByDefault)
    {
        var sidecars = new List<DesiredSidecar>();
        var warnings = new List<string>();
        int disabled = 0, conflicting = 0;
        foreach (var workload in index.Workloads.OrderBy(static w => w.Key, StringComparer.Ordinal))
        {
            var desired = BuildOne(index, workload, store.Find(workload.Key), options, enabledByDefault, warnings, out var skip);
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

    /// <summary>The desired Sidecar of one workload, or null (with <paramref name="skip"/> saying why).</summary>
    public static DesiredSidecar? BuildOne(
        MeshIndex index,
        Workload workload,
        WorkloadDependencies? learned,
        RenderOptions options,
        bool enabledByDefault,
        ICollection<string> warnings,
        out WorkloadSkip skip)
    {
        skip = WorkloadAdmission.Evaluate(index, workload, enabledByDefault, warnings, out var staticHosts);
        if (skip != WorkloadSkip.None)
        {
            return null;
        }

        var existing = index.SidecarsSelecting(workload);
        if (existing.Count > 0)
        {
            warnings.Add($"{workload.Key}: skipped, already selected by user-written Sidecar {existing[0]}; LazyMesh never writes a second Sidecar for a workload");
            skip = WorkloadSkip.Conflict;
            return null;
        }

        var learnedHosts = new List<string>();
        foreach (var host in learned?.Snapshot() ?? [])
        {
            if (SidecarHosts.IsValid(host.Host))
            {
                learnedHosts.Add(host.Host);
            }
            else
            {
                warnings.Add($"{workload.Key}: learned host '{host.Host}' dropped: {SidecarHosts.Validate(host.Host)}");
            }
        }

        // Nothing LazyMesh itself needs is cut off: MeshConfig extension providers (tracing, ext_authz, access-log
        // services, the controller's ALS when configured as one) stay imported in every generated Sidecar.
        if (index.MeshConfig.ExtensionProviderEgressHosts(index) is { Count: > 0 } providers)
        {
            options = options with { BaselineHosts = [.. options.BaselineHosts, .. providers.Where(p => !options.BaselineHosts.Contains(p, StringComparer.Ordinal))] };
        }

        var sidecar = SidecarRenderer.Render(workload, learnedHosts, staticHosts, options);
        return new DesiredSidecar(workload, sidecar, learnedHosts.Count, staticHosts.Count);
    }
}
