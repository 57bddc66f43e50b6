using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Rendering;

/// <summary>
/// The rules that decide, before any learned host is considered, whether a workload gets a generated
/// Sidecar, and with which pinned hosts: enabled (annotations, label, the mode's default), selectable
/// (has labels), static hosts valid. One place for every sink; conflicts with user-written Sidecars are
/// left to the caller, because sinks record them differently.
/// </summary>
public static class WorkloadAdmission
{
    /// <summary>True when the workload gets a generated Sidecar (conflicts aside).</summary>
    public static bool IsAdmitted(MeshIndex index, Workload workload, bool enabledByDefault) =>
        Evaluate(index, workload, enabledByDefault, new List<string>(), out _) == WorkloadSkip.None;

    /// <returns><see cref="WorkloadSkip.None"/> when the workload is admitted; the reason otherwise.</returns>
    public static WorkloadSkip Evaluate(MeshIndex index, Workload workload, bool enabledByDefault, ICollection<string> warnings, out IReadOnlyList<string> staticHosts)
    {
        staticHosts = [];
        var ns = index.FindNamespace(workload.Namespace);
        if (NotNarrowable(index, workload, ns) is { } reason)
        {
            warnings.Add($"{workload.Key}: skipped, {reason}");
            return WorkloadSkip.NotNarrowable;
        }

        var policy = EnablementPolicy.Evaluate(workload.Annotations, ns?.Annotations, ns?.Labels, enabledByDefault);
        if (!policy.Enabled)
        {
            return WorkloadSkip.Disabled;
        }

        if (workload.SelectorLabels.Count == 0)
        {
            warnings.Add($"{workload.Key}: skipped, it has no labels a workloadSelector could use");
            return WorkloadSkip.NoSelector;
        }

        var valid = new List<string>();
        foreach (var host in policy.StaticHosts)
        {
            if (SidecarHosts.Validate(host) is { } error)
            {
                warnings.Add($"{workload.Key}: static host '{host}' from {LazyMeshMetadata.StaticHostsAnnotation} ignored: {error}");
            }
            else
            {
                valid.Add(host);
            }
        }

        staticHosts = valid;
        return WorkloadSkip.None;
    }

    /// <summary>Why no Sidecar may narrow <paramref name="workload"/> (see <see cref="ProxyKinds"/>), or null.</summary>
    public static string? NotNarrowable(MeshIndex index, Workload workload, NamespaceInfo? ns)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Namespace == index.MeshConfig.RootNamespace)
        {
            return $"it is in Istio's root namespace {workload.Namespace}";
        }

        var kind = workload.Pods.Select(static p => p.Proxy).FirstOrDefault(static k => k != ProxyKind.Sidecar);
        if (workload.Pods.Count > 0 && kind != ProxyKind.Sidecar)
        {
            return kind switch
            {
                ProxyKind.Gateway => "it is a gateway (Istio ignores Sidecars there)",
                ProxyKind.Waypoint => "it is a waypoint",
                ProxyKind.Fallback => "it is LazyMesh's fallback (it needs the full mesh configuration)",
                ProxyKind.Ambient => "it runs in ambient mode (no sidecar)",
                _ => "it has no istio-proxy sidecar",
            };
        }

        if (workload.Pods.Count == 0 && ProxyKinds.IsAmbientNamespace(ns))
        {
            return "its namespace runs in ambient mode";
        }

        return null;
    }
}
