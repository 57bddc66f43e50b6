namespace LazyMesh.Mesh;

/// <summary>
/// The unit a generated Sidecar selects: a pod's top-level owner, or a bare pod, with the label set
/// that selects exactly its pods.
/// </summary>
public sealed class Workload
{
    public Workload(string @namespace, WorkloadKind kind, string name)
    {
        Namespace = @namespace;
        Kind = kind;
        Name = name;
        Key = $"{@namespace}/{kind}/{name}";
    }

    public string Namespace { get; }

    public WorkloadKind Kind { get; }

    public string Name { get; }

    /// <summary><c>namespace/Kind/name</c>: stable identity across inventory reloads.</summary>
    public string Key { get; }

    /// <summary>Labels for <c>spec.workloadSelector.labels</c>, sorted by key.</summary>
    public IReadOnlyDictionary<string, string> SelectorLabels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Set when the owner's selector could not be used as is (matchExpressions, none): says what was chosen instead.</summary>
    public string? SelectorNote { get; init; }

    /// <summary>
    /// Keys of other workloads whose pods this workload's selector also matches and no label set excludes: Istio
    /// would apply whichever matching Sidecar is oldest, so their hosts go into one Sidecar.
    /// </summary>
    public IReadOnlyList<string> SharesPodsWith { get; init; } = [];

    /// <summary>The owner object's own annotations (the pod's for a bare pod).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>The workload's current pods (filled by the index builder).</summary>
    public IReadOnlyList<PodInfo> Pods { get; internal set; } = [];

    public override string ToString() => Key;
}
