using LazyMesh.Rendering;

namespace LazyMesh.Learning;

/// <summary>
/// Decides from labels and annotations whether a workload gets a generated Sidecar. Most specific wins:
/// the workload's <c>lazymesh.io/enabled</c> annotation, then the namespace's annotation, then the
/// namespace's label, then the mode's default (offline: everything; on a cluster: nothing).
/// Static hosts from the namespace and the workload are merged.
/// </summary>
public static class EnablementPolicy
{
    public static WorkloadPolicy Evaluate(
        IReadOnlyDictionary<string, string>? workloadAnnotations,
        IReadOnlyDictionary<string, string>? namespaceAnnotations,
        IReadOnlyDictionary<string, string>? namespaceLabels,
        bool enabledByDefault)
    {
        var (enabled, reason) =
            Flag(workloadAnnotations, "workload annotation") ??
            Flag(namespaceAnnotations, "namespace annotation") ??
            Flag(namespaceLabels, "namespace label") ??
            (enabledByDefault, enabledByDefault ? "enabled by default" : "not enabled");

        var hosts = new SortedSet<string>(StringComparer.Ordinal);
        AddStaticHosts(namespaceAnnotations, hosts);
        AddStaticHosts(workloadAnnotations, hosts);
        return new WorkloadPolicy(enabled, reason, [.. hosts]);
    }

    /// <summary>Splits a <c>lazymesh.io/static-hosts</c> value: comma or whitespace separated, empties dropped.</summary>
    public static IReadOnlyList<string> ParseStaticHosts(string value) =>
        value.Split([',', ' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static (bool, string)? Flag(IReadOnlyDictionary<string, string>? map, string where)
    {
        if (map is null || !map.TryGetValue(LazyMeshMetadata.EnabledKey, out var value))
        {
            return null;
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "true" => (true, $"{where} {LazyMeshMetadata.EnabledKey}=true"),
            "false" => (false, $"{where} {LazyMeshMetadata.EnabledKey}=false"),
            _ => null,
        };
    }

    private static void AddStaticHosts(IReadOnlyDictionary<string, string>? annotations, SortedSet<string> into)
    {
        if (annotations is not null && annotations.TryGetValue(LazyMeshMetadata.StaticHostsAnnotation, out var value))
        {
            into.UnionWith(ParseStaticHosts(value));
        }
    }
}
