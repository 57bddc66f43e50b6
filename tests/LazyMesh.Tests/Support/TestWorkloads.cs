using LazyMesh.Mesh;

namespace LazyMesh.Tests.Support;

/// <summary>Workloads for rendering and sink tests.</summary>
public static class TestWorkloads
{
    public static Workload Create(
        string @namespace = "default",
        WorkloadKind kind = WorkloadKind.Deployment,
        string name = "productpage",
        string? selectorNote = null,
        params (string Key, string Value)[] labels) =>
        new(@namespace, kind, name)
        {
            SelectorLabels = new SortedDictionary<string, string>(
                (labels.Length == 0 ? [("app", name)] : labels).ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal),
            SelectorNote = selectorNote,
        };
}
