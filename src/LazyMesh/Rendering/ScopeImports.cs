using LazyMesh.Mesh;

namespace LazyMesh.Rendering;

/// <summary>
/// What a generated Sidecar must import besides the hosts a workload was seen to call, so that Istio routes those
/// calls exactly as in the full mesh, and what it must import before any call at all. Pure; each rule names the
/// istiod function it follows (docs/routing.md, "Scope rules").
/// </summary>
public static class ScopeImports
{
    private const string MeshInternal = "MESH_INTERNAL";

    /// <summary>
    /// <paramref name="hosts"/> plus, for each exact host H in it:
    /// <list type="bullet">
    /// <item><c>vsNamespace/H</c> for every VirtualService visible to the caller with a host matching H
    /// (virtualservice.go <c>SelectVirtualServices</c> selects a VirtualService by its own namespace's entry in the
    /// egress hosts, never by H's namespace);</item>
    /// <item>each destination of those VirtualServices that applies to the caller (route, mirror, mirrors, tcp/tls,
    /// delegates; push_context.go <c>virtualServiceDestinationsFilteredBySourceNamespace</c>). istiod adds them as
    /// clusters itself (sidecar.go <c>collectImportedServices</c>, every release since 1.10), but only for ports the
    /// VirtualService names and only from the first visible namespace; importing them keeps the routing exact;</item>
    /// <item>for an ExternalName Service aliasing a registry service T: T, and the alias in T's namespace, because
    /// sidecar.go <c>matchingAliasService</c> keeps an alias only when T's namespace entry imports it too.</item>
    /// </list>
    /// </summary>
    public static SortedSet<string> Expand(MeshIndex index, string callerNamespace, IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(hosts);
        var result = new SortedSet<string>(hosts, StringComparer.Ordinal);
        foreach (var entry in result.ToArray())
        {
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            var ns = slash < 0 ? string.Empty : entry[..slash];
            var host = entry[(slash + 1)..];
            if (slash <= 0 || host.Contains('*', StringComparison.Ordinal) || ns is "*" or "~")
            {
                continue;
            }

            foreach (var vs in index.VirtualServicesFor(host, callerNamespace))
            {
                result.Add($"{vs.Namespace}/{host}");
                foreach (var destination in vs.Destinations)
                {
                    if (destination.AppliesTo(callerNamespace) && Visible(index, destination.Host, callerNamespace) is { } target)
                    {
                        result.Add(target.SidecarHost);
                    }
                }
            }

            if (index.FindByHost(host) is { Kind: MeshServiceKind.ExternalNameService, ExternalName: { Length: > 0 } externalName } alias
                && index.FindByHost(externalName) is { } concrete && concrete.Kind != MeshServiceKind.ExternalNameService)
            {
                result.Add(concrete.SidecarHost);
                result.Add($"{concrete.Namespace}/{alias.Host}");
            }
        }

        return result;
    }

    /// <summary>
    /// Hosts a workload must import before its first call, because that call could not reach the fallback or be
    /// learned otherwise:
    /// <list type="bullet">
    /// <item>ServiceEntry hosts only Istio's DNS answers. With DNS capture, Istio's DNS proxy answers only the services
    /// in the sidecar's scope (pkg/dns/server/name_table.go <c>BuildNameTable</c>) and forwards the rest to cluster
    /// DNS, so such a host gets NXDOMAIN until imported: no call, nothing to learn. LazyMesh counts as such every exact
    /// ServiceEntry host visible to the namespace that declares <c>addresses</c> (VIPs no real DNS serves), is
    /// <c>MESH_INTERNAL</c>, or lies under the cluster domain without being a Kubernetes Service.</item>
    /// <item>With a fallback (<paramref name="fallbackNamespace"/>): every exact service visible to the caller but not
    /// to the fallback's namespace (exportTo, MeshConfig <c>defaultServiceExportTo: ["."]</c>). The fallback's sidecar
    /// cannot see it (pilot/pkg/model/push_context.go <c>servicesExportedToNamespace</c>), so the forwarded first call
    /// would end in <c>allow_any</c>/<c>block_all</c> instead of on the service.</item>
    /// <item>Under REGISTRY_ONLY (<paramref name="registryOnly"/>): every exact ServiceEntry host visible to the caller
    /// with no port Istio routes as HTTP (TLS, HTTPS, TCP, ...). A call there never enters an HTTP route, so it cannot be
    /// sent to the fallback: an unimported host ends in <c>BlackHoleCluster</c> (listener.go
    /// <c>buildSidecarOutboundListeners</c>, the virtual outbound listener's default) and fails.</item>
    /// </list>
    /// </summary>
    public static IEnumerable<string> FromStart(MeshIndex index, string callerNamespace, string? fallbackNamespace = null, bool registryOnly = false)
    {
        ArgumentNullException.ThrowIfNull(index);
        var clusterSuffix = "." + index.Options.ClusterDomain;
        var defaultExportTo = index.MeshConfig.DefaultServiceExportTo;
        foreach (var service in index.Services)
        {
            if (service.Host.StartsWith('*')
                || !ExportTo.IsVisible(service.ExportTo, defaultExportTo, service.Namespace, callerNamespace)
                || !SidecarHosts.IsValid(service.SidecarHost))
            {
                continue;
            }

            var hiddenFromFallback = fallbackNamespace is not null
                && !string.Equals(service.Namespace, fallbackNamespace, StringComparison.Ordinal)
                && !ExportTo.IsVisible(service.ExportTo, defaultExportTo, service.Namespace, fallbackNamespace);
            if (hiddenFromFallback && service.Kind != MeshServiceKind.ExternalNameService)
            {
                yield return service.SidecarHost;
                continue;
            }

            if (service.Kind != MeshServiceKind.ServiceEntry || index.FindByHost(service.Host)?.Kind != MeshServiceKind.ServiceEntry)
            {
                continue;
            }

            var onlyIstio = service.HasDeclaredAddresses
                || string.Equals(service.Location, MeshInternal, StringComparison.OrdinalIgnoreCase)
                || service.Host.EndsWith(clusterSuffix, StringComparison.OrdinalIgnoreCase);
            var blockedUnlessImported = registryOnly && !service.Ports.Any(static p => p.HasHttpRoutes);
            if (onlyIstio || blockedUnlessImported)
            {
                yield return service.SidecarHost;
            }
        }
    }

    private static MeshService? Visible(MeshIndex index, string host, string callerNamespace) =>
        index.FindByHost(host) is { } service
        && !host.StartsWith('*')
        && ExportTo.IsVisible(service.ExportTo, index.MeshConfig.DefaultServiceExportTo, service.Namespace, callerNamespace)
            ? service
            : null;
}
