namespace LazyMesh.KubeTesting;

/// <summary>Settings of a <see cref="KubeTestServer"/>.</summary>
public sealed class KubeTestServerOptions
{
    /// <summary>How often a watch opened with allowWatchBookmarks=true gets a BOOKMARK (a real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many events the watch history keeps; a watch from a resourceVersion older than that gets 410 Gone.</summary>
    public int HistoryCapacity { get; init; } = 10_000;

    /// <summary>
    /// Reject creating a namespaced object whose namespace does not exist (404), as the real NamespaceLifecycle
    /// admission does. On by default, as on every real cluster (<see cref="InitialNamespaces"/> exist from the start).
    /// </summary>
    public bool EnforceNamespaceExistence { get; init; } = true;

    /// <summary>
    /// Treat requests without credentials as the administrator's, as an API reached through <c>kubectl proxy</c> does.
    /// Off by default: a request without a bearer token gets 401, one with a ServiceAccount's token is authorized by RBAC.
    /// </summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>Namespaces that exist when the server starts.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system"];

    /// <summary>Fixed port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }
}
