using k8s.Models;

namespace LazyMesh.Mesh;

/// <summary>
/// A Kubernetes Service as a destination: its FQDN, ClusterIPs by port, ports with their ready endpoints, and for a
/// headless Service its ready pods' IPs (by port and target port).
/// </summary>
internal static class KubernetesServiceIndexer
{
    /// <summary>A Kubernetes Service's exportTo (kube/controller conversion.go <c>ConvertService</c>).</summary>
    private const string ServiceExportToAnnotation = "networking.istio.io/exportTo";

    /// <summary>
    /// The Service and the addresses it claims, in order. <paramref name="namespacePods"/> are the pods of its
    /// namespace; <paramref name="sourceOf"/> gives a pod's object (for named target ports); the selector is kept as
    /// <paramref name="labelSets"/>' shared copy.
    /// </summary>
    public static (MeshService Service, List<AddressPort> Addresses) Create(
        V1Service service, IEnumerable<PodInfo> namespacePods, Func<PodInfo, V1Pod?> sourceOf, MeshOptions options, LabelSets labelSets)
    {
        var ns = service.Metadata.NamespaceProperty;
        var name = service.Metadata.Name;
        var spec = service.Spec ?? new V1ServiceSpec();
        var selector = spec.Selector is { Count: > 0 } s ? labelSets.Get(s) : null;
        var selected = selector is null ? [] : namespacePods.Where(p => Labels.Matches(selector, p.Labels)).ToList();
        var ready = selected.Where(p => p.Ready && !p.Terminating).ToList();

        var kind = spec.Type == "ExternalName" ? MeshServiceKind.ExternalNameService
            : spec.ClusterIP == "None" ? MeshServiceKind.HeadlessService
            : MeshServiceKind.Service;
        var addresses = new List<IpKey>();
        if (kind == MeshServiceKind.Service)
        {
            foreach (var text in (spec.ClusterIPs ?? []).Append(spec.ClusterIP))
            {
                if (!string.IsNullOrEmpty(text) && IpKey.TryParse(text, out var ip) && !addresses.Contains(ip))
                {
                    addresses.Add(ip);
                }
            }
        }

        var ports = (spec.Ports ?? [])
            .Select(p => new MeshServicePort(p.Port, p.Name, PortProtocols.FromServicePort(p), ready.Count) { TargetPort = NumericTargetPort(p) })
            .ToArray();
        var meshService = new MeshService(ns, name, $"{name}.{ns}.svc.{options.ClusterDomain}", kind)
        {
            Ports = ports,
            Addresses = addresses.ToArray(),
            ExternalName = spec.ExternalName,
            Selector = selector,
            ExportTo = service.Metadata.Annotations?.TryGetValue(ServiceExportToAnnotation, out var exportTo) == true
                ? [.. exportTo.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
                : [],
        };

        var claimed = new List<AddressPort>();
        foreach (var ip in addresses)
        {
            foreach (var port in ports)
            {
                claimed.Add(new AddressPort(ip, port.Port));
            }
        }

        if (kind == MeshServiceKind.HeadlessService)
        {
            foreach (var pod in ready)
            {
                foreach (var port in spec.Ports ?? [])
                {
                    var target = TargetPort(port, sourceOf(pod));
                    foreach (var ip in pod.Ips)
                    {
                        if (target is { } t)
                        {
                            claimed.Add(new AddressPort(ip, t));
                        }

                        claimed.Add(new AddressPort(ip, port.Port));
                    }
                }
            }
        }

        return (meshService, claimed);
    }

    /// <summary>Creates the Service's destination and adds it, its host and its addresses to <paramref name="destinations"/>.</summary>
    public static (MeshService Service, List<AddressPort> Addresses) Add(
        V1Service service, IEnumerable<PodInfo> namespacePods, Func<PodInfo, V1Pod?> sourceOf, MeshOptions options, LabelSets labelSets, MeshDestinations destinations)
    {
        var (meshService, addresses) = Create(service, namespacePods, sourceOf, options, labelSets);
        destinations.Services.Add(meshService);
        destinations.AddHost(destinations.Hosts, meshService.Host, meshService);
        foreach (var address in addresses)
        {
            destinations.AddAddress(address, meshService);
        }

        return (meshService, addresses);
    }

    /// <summary>The port the workload listens on when the Service names it by number (a named one differs per pod).</summary>
    private static int? NumericTargetPort(V1ServicePort port) =>
        string.IsNullOrEmpty(port.TargetPort) ? port.Port : int.TryParse(port.TargetPort, out var number) ? number : null;

    private static int? TargetPort(V1ServicePort port, V1Pod? pod)
    {
        string? target = port.TargetPort;
        if (string.IsNullOrEmpty(target))
        {
            return port.Port;
        }

        if (int.TryParse(target, out var number))
        {
            return number;
        }

        var containerPort = pod?.Spec?.Containers?.SelectMany(c => c.Ports ?? []).FirstOrDefault(c => c.Name == target);
        return containerPort?.ContainerPort;
    }
}
