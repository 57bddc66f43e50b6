namespace LazyMesh.Mesh;

/// <summary>
/// One destination of a VirtualService (route, mirror, mirrors, tcp/tls route, or a delegate's), its host resolved
/// to an FQDN as istiod does (<c>model/config.go ResolveShortnameToFQDN</c>). <see cref="SourceNamespaces"/> holds
/// the <c>sourceNamespace</c> matches of its HTTP route (empty = any caller).
/// </summary>
public sealed record RouteDestination(string Host, int? Port, IReadOnlyList<string> SourceNamespaces)
{
    /// <summary>
    /// push_context.go <c>virtualServiceDestinationsFilteredBySourceNamespace</c> (Istio 1.24+): a route whose matches
    /// name source namespaces only counts for callers in one of them.
    /// </summary>
    public bool AppliesTo(string callerNamespace) =>
        SourceNamespaces.Count == 0 || SourceNamespaces.Contains(callerNamespace, StringComparer.Ordinal);
}
