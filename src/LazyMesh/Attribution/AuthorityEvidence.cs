using LazyMesh.AccessLogs;
using LazyMesh.Mesh;

namespace LazyMesh.Attribution;

/// <summary>
/// The second destination an HTTP entry is evidence for: the host the caller asked for (<c>:authority</c>) when a
/// VirtualService sent it to another cluster. An entry <c>authority=reviews:9080</c>,
/// <c>upstream_cluster=outbound|9080||reviews-v2...</c> means the caller calls <c>reviews</c> (which its Sidecar must
/// import so that the VirtualService is selected: virtualservice.go <c>SelectVirtualServices</c>) and is routed to
/// <c>reviews-v2</c>. Pure and allocation-free.
/// </summary>
public static class AuthorityEvidence
{
    /// <returns>The service the authority names in the caller's namespace, when it is not <paramref name="destination"/>; else null.</returns>
    public static MeshService? Also(MeshIndex index, scoped in AccessEvent e, Workload source, MeshService destination)
    {
        if (e.ViaFallback || e.Authority.IsEmpty || !e.UpstreamCluster.StartsWith("outbound|", StringComparison.Ordinal))
        {
            return null;
        }

        var named = index.ResolveName(e.Authority, source.Namespace);
        return named is null || ReferenceEquals(named, destination) ? null : named;
    }
}
