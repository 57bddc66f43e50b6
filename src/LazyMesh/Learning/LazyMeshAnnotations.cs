namespace LazyMesh.Learning;

/// <summary>The labels and annotations LazyMesh reads and writes.</summary>
public static class LazyMeshAnnotations
{
    /// <summary><c>"true"</c> / <c>"false"</c> on a namespace or workload: opt in or out.</summary>
    public const string Enabled = "lazymesh.io/enabled";

    /// <summary>Comma-separated <c>ns/host</c> entries pinned into the Sidecar, on a namespace or workload.</summary>
    public const string StaticHosts = "lazymesh.io/static-hosts";

    /// <summary>Set on every object LazyMesh generates.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public const string ManagedByValue = "lazymesh";
}
