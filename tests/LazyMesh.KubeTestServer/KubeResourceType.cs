namespace LazyMesh.KubeTesting;

/// <summary>
/// A resource the test API server serves. All <see cref="Versions"/> share one storage; an object read
/// through a version gets that version as its apiVersion (no real conversion). The first version is the
/// storage version.
/// </summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Versions">Served versions; the first is the storage version.</param>
/// <param name="Plural">Lower-case plural used in URLs.</param>
/// <param name="Kind">Kind of a single object.</param>
/// <param name="Namespaced">Whether objects live in namespaces.</param>
/// <param name="HasStatusSubresource">Whether <c>/status</c> is a subresource (main writes ignore status).</param>
public sealed record KubeResourceType(
    string Group,
    IReadOnlyList<string> Versions,
    string Plural,
    string Kind,
    bool Namespaced,
    bool HasStatusSubresource)
{
    /// <summary>
    /// Whether DELETE answers with the deleted object (as pods and services do) rather than a Success Status
    /// (deployments, leases, ...). Typed client delete methods deserialize into whichever the real API returns.
    /// </summary>
    public bool DeleteReturnsObject { get; init; }

    /// <summary>Kind of the list object, e.g. PodList.</summary>
    public string ListKind => Kind + "List";

    /// <summary>The storage version.</summary>
    public string StorageVersion => Versions[0];

    /// <summary>The apiVersion string for a version of this resource, e.g. apps/v1 or v1.</summary>
    public string ApiVersion(string version) => Group.Length == 0 ? version : Group + "/" + version;
}
