namespace LazyMesh.Mesh;

/// <summary>A ServiceEntry address given as a CIDR, matched after the exact address lookup misses.</summary>
internal sealed record CidrRange(IpKey Network, int PrefixBits, int Port, MeshService Service)
{
    /// <summary>Parses <c>10.0.0.0/8</c> or <c>fd00::/64</c>; <paramref name="prefixBits"/> counts in the 128-bit (IPv4-mapped) space.</summary>
    public static bool TryParse(string text, out IpKey network, out int prefixBits)
    {
        network = default;
        prefixBits = 0;
        var slash = text.IndexOf('/');
        if (slash < 0 || !IpKey.TryParse(text.AsSpan(0, slash), out network) ||
            !int.TryParse(text.AsSpan(slash + 1), out var bits))
        {
            return false;
        }

        var max = network.IsV4 ? 32 : 128;
        if (bits < 0 || bits > max)
        {
            return false;
        }

        prefixBits = network.IsV4 ? bits + 96 : bits;
        return true;
    }

    public bool Contains(IpKey address, int port) => port == Port && InPrefix(address, Network, PrefixBits);

    private static bool InPrefix(IpKey address, IpKey network, int bits)
    {
        if (bits <= 64)
        {
            return bits == 0 || ((address.Hi ^ network.Hi) >> (64 - bits)) == 0;
        }

        return address.Hi == network.Hi && ((address.Lo ^ network.Lo) >> (128 - bits)) == 0;
    }
}
