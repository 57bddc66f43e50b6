namespace LazyMesh.Rendering;

/// <summary>Label and annotation keys LazyMesh puts on the objects it generates.</summary>
public static class LazyMeshMetadata
{
    /// <summary><c>app.kubernetes.io/managed-by</c>: marks an object as LazyMesh's to overwrite and delete.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public const string ManagedByValue = "lazymesh";

    /// <summary>The workload's kind, e.g. <c>Deployment</c>.</summary>
    public const string WorkloadKindLabel = "lazymesh.io/workload-kind";

    /// <summary>The workload's name; shortened with a hash suffix when longer than a label value may be.</summary>
    public const string WorkloadNameLabel = "lazymesh.io/workload-name";

    /// <summary>The workload's full key <c>namespace/Kind/name</c>, never shortened.</summary>
    public const string WorkloadAnnotation = "lazymesh.io/workload";

    /// <summary><c>"true"</c> / <c>"false"</c> on a namespace (label or annotation) or workload (annotation): opt in or out.</summary>
    public const string EnabledKey = "lazymesh.io/enabled";

    /// <summary>Comma-separated <c>ns/host</c> entries pinned into the Sidecar, on a namespace or workload.</summary>
    public const string StaticHostsAnnotation = "lazymesh.io/static-hosts";

    /// <summary>Copied from <see cref="Mesh.Workload.SelectorNote"/> when set.</summary>
    public const string SelectorNoteAnnotation = "lazymesh.io/selector-note";

    /// <summary>
    /// A Go duration (<c>24h</c>) on a namespace or workload (annotation; the workload's wins): the workload keeps its
    /// full scope (no generated Sidecar) for that long after LazyMesh first learned one of its calls, then narrows.
    /// </summary>
    public const string ObserveForAnnotation = "lazymesh.io/observe-for";
}
