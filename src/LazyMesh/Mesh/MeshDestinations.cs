namespace LazyMesh.Mesh;

/// <summary>
/// The destinations of an index while it is built: every <see cref="MeshService"/> in order, by address (exact and
/// CIDR), by host and by wildcard suffix. The first claim of a host or an address wins; a second is warned and counted.
/// </summary>
internal sealed class MeshDestinations(List<string> warnings)
{
    public List<MeshService> Services { get; } = [];

    public Dictionary<AddressPort, MeshService> ByAddress { get; } = [];

    public List<CidrRange> Cidrs { get; } = [];

    public Dictionary<string, MeshService> Hosts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, MeshService> Wildcards { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Hosts and addresses claimed twice.</summary>
    public int Conflicts { get; private set; }

    public List<string> Warnings { get; } = warnings;

    public void AddHost(Dictionary<string, MeshService> map, string host, MeshService service)
    {
        if (!map.TryAdd(host, service))
        {
            Conflicts++;
            Warnings.Add($"host {host} is defined by {map[host]} and {service}; using {map[host]}");
        }
    }

    public void AddAddress(AddressPort key, MeshService service)
    {
        if (!ByAddress.TryAdd(key, service) && !ReferenceEquals(ByAddress[key], service))
        {
            Conflicts++;
            Warnings.Add($"address {key.Address}:{key.Port} is claimed by {ByAddress[key]} and {service}; using {ByAddress[key]}");
        }
    }
}
