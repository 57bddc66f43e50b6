using LazyMesh.Istio;

namespace LazyMesh.Mesh;

/// <summary>
/// VirtualServices and Gateway API mesh routes of an inventory -> the <see cref="MeshVirtualService"/>s that bind to
/// sidecars (gateway <c>mesh</c>), following istiod: short names resolved in the object's namespace
/// (<c>ResolveShortnameToFQDN</c>), delegates merged into their root when exported to it
/// (<c>mergeVirtualServicesIfNeeded</c>), HTTPRoute/GRPCRoute with a Service parent converted per parent
/// (<c>route_collections.go</c>). Problems go to <paramref name="warnings"/>.
/// </summary>
internal static class MeshVirtualServiceBuilder
{
    private const string MeshGateway = "mesh";

    public static List<MeshVirtualService> Build(
        IEnumerable<VirtualServiceResource> virtualServices,
        IEnumerable<GatewayApiRouteResource> routes,
        MeshOptions options,
        MeshConfig meshConfig,
        Dictionary<string, string[]> serviceEntryHosts,
        List<string> warnings)
    {
        var all = virtualServices
            .OrderBy(v => v.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(v => v.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var delegates = all
            .Where(v => v.Spec?.Hosts is not { Count: > 0 })
            .ToDictionary(v => $"{v.Metadata.NamespaceProperty}/{v.Metadata.Name}", StringComparer.Ordinal);
        var result = new List<MeshVirtualService>();
        foreach (var vs in all)
        {
            var spec = vs.Spec ?? new VirtualServiceSpec();
            if (spec.Hosts is not { Count: > 0 })
            {
                continue;
            }

            var gateways = spec.Gateways is { Count: > 0 } g ? g : [MeshGateway];
            if (!gateways.Contains(MeshGateway, StringComparer.Ordinal))
            {
                continue;
            }

            var ns = vs.Metadata.NamespaceProperty;
            var destinations = new List<RouteDestination>();
            var merged = new List<string>();
            foreach (var http in spec.Http ?? [])
            {
                var sources = SourceNamespaces(http);
                if (http.Delegate is { Name: { Length: > 0 } delegateName } d)
                {
                    var delegateNs = string.IsNullOrEmpty(d.Namespace) ? ns : d.Namespace;
                    var key = $"{delegateNs}/{delegateName}";
                    if (!delegates.TryGetValue(key, out var delegateVs))
                    {
                        warnings.Add($"VirtualService {ns}/{vs.Metadata.Name}: delegate {key} not found");
                        continue;
                    }

                    if (!ExportTo.IsVisible(delegateVs.Spec?.ExportTo?.ToArray() ?? [], meshConfig.DefaultVirtualServiceExportTo, delegateNs, ns))
                    {
                        warnings.Add($"VirtualService {ns}/{vs.Metadata.Name}: delegate {key} is not exported to {ns}");
                        continue;
                    }

                    merged.Add(key);
                    foreach (var inner in delegateVs.Spec?.Http ?? [])
                    {
                        var innerSources = SourceNamespaces(inner);
                        AddHttp(destinations, inner, delegateNs, sources.Count > 0 ? sources : innerSources, options);
                    }

                    continue;
                }

                AddHttp(destinations, http, ns, sources, options);
            }

            foreach (var l4 in (spec.Tcp ?? []).Concat(spec.Tls ?? []))
            {
                foreach (var r in l4.Route ?? [])
                {
                    Add(destinations, r.Destination, ns, [], options);
                }
            }

            result.Add(new MeshVirtualService
            {
                Namespace = ns,
                Name = vs.Metadata.Name,
                Kind = VirtualServiceResource.ResourceKind,
                Hosts = [.. spec.Hosts.Select(h => Fqdn(h, ns, options))],
                ExportTo = spec.ExportTo?.ToArray() ?? [],
                Destinations = destinations,
                Created = ToOffset(vs.Metadata.CreationTimestamp),
                Delegates = merged,
            });
        }

        foreach (var route in routes.OrderBy(r => r.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal))
        {
            AddGatewayApiRoute(result, route, options, serviceEntryHosts);
        }

        return result;
    }

    private static void AddGatewayApiRoute(List<MeshVirtualService> result, GatewayApiRouteResource route, MeshOptions options, Dictionary<string, string[]> serviceEntryHosts)
    {
        var ns = route.Metadata.NamespaceProperty;
        var destinations = new List<RouteDestination>();
        foreach (var rule in route.Spec?.Rules ?? [])
        {
            foreach (var backend in rule.BackendRefs ?? [])
            {
                if (BackendHost(backend, ns, options) is { } host)
                {
                    destinations.Add(new RouteDestination(host, backend.Port, []));
                }
            }
        }

        var index = 0;
        foreach (var parent in route.Spec?.ParentRefs ?? [])
        {
            var parentNs = string.IsNullOrEmpty(parent.Namespace) ? ns : parent.Namespace;
            string[] hosts;
            if (IsCore(parent.Group) && parent.Kind == "Service" && !string.IsNullOrEmpty(parent.Name))
            {
                hosts = [$"{parent.Name}.{parentNs}.svc.{options.ClusterDomain}"];
            }
            else if (parent.Group == SidecarResource.Group && parent.Kind == ServiceEntryResource.ResourceKind && !string.IsNullOrEmpty(parent.Name))
            {
                hosts = serviceEntryHosts.GetValueOrDefault($"{parentNs}/{parent.Name}") ?? [];
            }
            else
            {
                continue; // a Gateway parent: not a mesh route
            }

            foreach (var host in hosts)
            {
                result.Add(new MeshVirtualService
                {
                    Namespace = ns,
                    Name = $"{route.Metadata.Name}~{index++}",
                    Kind = route.Kind,
                    Hosts = [host],
                    GatewaySemantics = true,
                    Destinations = destinations,
                    Created = ToOffset(route.Metadata.CreationTimestamp),
                });
            }
        }
    }

    private static string? BackendHost(GatewayApiReference backend, string ns, MeshOptions options)
    {
        if (string.IsNullOrEmpty(backend.Name))
        {
            return null;
        }

        if (IsCore(backend.Group) && (backend.Kind ?? "Service") == "Service")
        {
            return $"{backend.Name}.{(string.IsNullOrEmpty(backend.Namespace) ? ns : backend.Namespace)}.svc.{options.ClusterDomain}";
        }

        // Istio's own backend kind: a hostname (a ServiceEntry host).
        return backend.Group == SidecarResource.Group && backend.Kind == "Hostname" ? backend.Name : null;
    }

    private static bool IsCore(string? group) => string.IsNullOrEmpty(group) || group == "core";

    private static List<string> SourceNamespaces(VirtualServiceHttpRoute http)
    {
        // virtualServiceDestinationsFilteredBySourceNamespace: one match without sourceNamespace admits every caller.
        var matches = http.Match ?? [];
        if (matches.Count == 0 || matches.Any(m => string.IsNullOrEmpty(m.SourceNamespace)))
        {
            return [];
        }

        return [.. matches.Select(m => m.SourceNamespace!).Distinct(StringComparer.Ordinal)];
    }

    private static void AddHttp(List<RouteDestination> destinations, VirtualServiceHttpRoute http, string ns, IReadOnlyList<string> sources, MeshOptions options)
    {
        foreach (var r in http.Route ?? [])
        {
            Add(destinations, r.Destination, ns, sources, options);
        }

        Add(destinations, http.Mirror, ns, sources, options);
        foreach (var m in http.Mirrors ?? [])
        {
            Add(destinations, m.Destination, ns, sources, options);
        }
    }

    private static void Add(List<RouteDestination> destinations, VirtualServiceDestination? destination, string ns, IReadOnlyList<string> sources, MeshOptions options)
    {
        if (destination?.Host is { Length: > 0 } host)
        {
            destinations.Add(new RouteDestination(Fqdn(host, ns, options), destination.Port?.Number, sources));
        }
    }

    /// <summary>pilot/pkg/model/config.go <c>ResolveShortnameToFQDN</c>: a name without a dot gets <c>.ns.svc.domain</c>.</summary>
    internal static string Fqdn(string host, string ns, MeshOptions options) =>
        host == "*" || host.Contains('.', StringComparison.Ordinal) || IpKey.TryParse(host, out _)
            ? host
            : $"{host}.{ns}.svc.{options.ClusterDomain}";

    private static DateTimeOffset? ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
