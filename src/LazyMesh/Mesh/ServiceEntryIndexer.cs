using LazyMesh.Istio;

namespace LazyMesh.Mesh;

/// <summary>
/// A ServiceEntry as destinations: one per host (wildcards by suffix), its addresses and CIDR ranges by port, all
/// resolving to its first host.
/// </summary>
internal static class ServiceEntryIndexer
{
    public static void Add(ServiceEntryResource entry, MeshDestinations destinations)
    {
        var warnings = destinations.Warnings;
        var ns = entry.Metadata.NamespaceProperty;
        var name = entry.Metadata.Name;
        var spec = entry.Spec ?? new ServiceEntrySpec();
        if (spec.Hosts is not { Count: > 0 })
        {
            warnings.Add($"ServiceEntry {ns}/{name} has no hosts; ignored");
            return;
        }

        var resolution = spec.Resolution?.ToUpperInvariant() ?? "NONE";
        var endpoints = spec.Endpoints?.Count ?? 0;
        var ready = endpoints > 0 ? endpoints : resolution is "DNS" or "DNS_ROUND_ROBIN" ? 1 : 0;
        var ports = (spec.Ports ?? []).Select(p => new MeshServicePort(p.Number, p.Name, PortProtocols.FromServiceEntryPort(p), ready)).ToArray();

        var addresses = new List<IpKey>();
        var ranges = new List<(IpKey Network, int Bits)>();
        foreach (var text in spec.Addresses ?? [])
        {
            if (IpKey.TryParse(text, out var ip))
            {
                addresses.Add(ip);
            }
            else if (CidrRange.TryParse(text, out var network, out var bits))
            {
                ranges.Add((network, bits));
            }
            else
            {
                warnings.Add($"ServiceEntry {ns}/{name}: address '{text}' is neither an IP nor a CIDR; ignored");
            }
        }

        MeshService? first = null;
        foreach (var host in spec.Hosts)
        {
            if (string.IsNullOrEmpty(host) || host == "*")
            {
                warnings.Add($"ServiceEntry {ns}/{name}: host '{host}' ignored");
                continue;
            }

            var meshService = new MeshService(ns, name, host, MeshServiceKind.ServiceEntry)
            {
                Ports = ports,
                Addresses = addresses,
                ExportTo = spec.ExportTo?.ToArray() ?? [],
                Location = spec.Location,
                Resolution = resolution,
                HasDeclaredAddresses = (spec.Addresses?.Count ?? 0) > 0,
            };
            destinations.Services.Add(meshService);
            first ??= meshService;
            if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                destinations.AddHost(destinations.Wildcards, host[1..], meshService);
            }
            else
            {
                destinations.AddHost(destinations.Hosts, host, meshService);
            }
        }

        if (first is null)
        {
            return;
        }

        // Addresses belong to the entry, not to one host: they resolve to its first host.
        foreach (var port in ports)
        {
            foreach (var ip in addresses)
            {
                destinations.AddAddress(new AddressPort(ip, port.Port), first);
            }

            foreach (var (network, bits) in ranges)
            {
                destinations.Cidrs.Add(new CidrRange(network, bits, port.Port, first));
            }
        }
    }
}
