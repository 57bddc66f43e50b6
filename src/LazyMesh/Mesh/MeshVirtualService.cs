namespace LazyMesh.Mesh;

/// <summary>
/// A VirtualService as sidecars see it: a VirtualService (delegates merged into their root, as
/// <c>model/virtualservice.go mergeVirtualServicesIfNeeded</c> does) or a Gateway API mesh route converted the way
/// istiod converts it (<c>config/kube/gateway/route_collections.go</c>: one per parent Service, in the route's
/// namespace, gateway <c>mesh</c>). Only VirtualServices bound to <c>mesh</c> are kept.
/// </summary>
public sealed class MeshVirtualService
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary><c>VirtualService</c>, <c>HTTPRoute</c> or <c>GRPCRoute</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The hosts, resolved to FQDNs in the VirtualService's namespace (wildcards kept).</summary>
    public required IReadOnlyList<string> Hosts { get; init; }

    /// <summary>The raw <c>exportTo</c> (empty = MeshConfig <c>defaultVirtualServiceExportTo</c>).</summary>
    public IReadOnlyList<string> ExportTo { get; init; } = [];

    /// <summary>True for Gateway API routes: host matching is one-way (<c>model.UseGatewaySemantics</c>).</summary>
    public bool GatewaySemantics { get; init; }

    public IReadOnlyList<RouteDestination> Destinations { get; init; } = [];

    public DateTimeOffset? Created { get; init; }

    /// <summary><c>Namespace/Name</c> of each delegate merged in.</summary>
    public IReadOnlyList<string> Delegates { get; init; } = [];

    /// <summary>
    /// sidecar.go <c>hostClassification.VSMatches</c> for an imported exact host: equal, or (classic semantics) a
    /// VirtualService wildcard host that covers it (<c>host.Name.Matches</c>).
    /// </summary>
    public bool MatchesHost(string host)
    {
        foreach (var vsHost in Hosts)
        {
            if (string.Equals(vsHost, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (!GatewaySemantics && vsHost.StartsWith('*')
                && host.EndsWith(vsHost.AsSpan(1), StringComparison.OrdinalIgnoreCase)
                && host.Length > vsHost.Length - 1)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
