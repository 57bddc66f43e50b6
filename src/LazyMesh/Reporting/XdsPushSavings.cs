namespace LazyMesh.Reporting;

/// <summary>
/// What istiod sends when one service changes, averaged over the mesh's services. istiod pushes to a proxy only
/// when its SidecarScope depends on the changed config (istio/istio pilot/pkg/xds/proxy_dependencies.go
/// <c>proxyDependentOnConfig</c>, pilot/pkg/model/sidecar.go <c>SidecarScope.DependsOnConfig</c>): without a Sidecar
/// every proxy that sees the service depends on it; with one, only the proxies importing it.
/// </summary>
public sealed record XdsPushSavings(
    long Services,
    double ProxiesPushedPerServiceChangeFull,
    double ProxiesPushedPerServiceChangeScoped,
    double BytesPerServiceChangeFull,
    double BytesPerServiceChangeScoped)
{
    public static XdsPushSavings None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Pushes a change of an unrelated service no longer causes, per service change.</summary>
    public double PushesSavedPerServiceChange => ProxiesPushedPerServiceChangeFull - ProxiesPushedPerServiceChangeScoped;
}
