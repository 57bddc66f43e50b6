namespace LazyMesh.KubeTesting;

/// <summary>Who a request is from: the administrator (the server's own token, or anonymous when allowed) or a ServiceAccount.</summary>
/// <param name="UserName">As the real API server names it, e.g. <c>system:serviceaccount:ns:name</c>.</param>
/// <param name="IsAdmin">Bypasses RBAC (system:masters).</param>
/// <param name="ServiceAccountNamespace">The ServiceAccount's namespace, or null.</param>
/// <param name="ServiceAccountName">The ServiceAccount's name, or null.</param>
public sealed record KubeIdentity(string UserName, bool IsAdmin, string? ServiceAccountNamespace, string? ServiceAccountName)
{
    public static KubeIdentity Admin { get; } = new("kube-test-admin", IsAdmin: true, null, null);

    public static KubeIdentity ServiceAccount(string ns, string name) => new($"system:serviceaccount:{ns}:{name}", IsAdmin: false, ns, name);
}
