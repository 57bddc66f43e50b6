using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LazyMesh.Mesh;

/// <summary>
/// An IPv4 or IPv6 address as two 64-bit halves (IPv4 is stored IPv4-mapped, ::ffff:a.b.c.d),
/// so that the hot path can parse and look up addresses without allocating.
/// </summary>
public readonly record struct IpKey(ulong Hi, ulong Lo)
{
    private const ulong V4MappedHi = 0;
    private const ulong V4MappedLoPrefix = 0x0000_FFFF_0000_0000UL;

    public bool IsV4 => Hi == V4MappedHi && (Lo & 0xFFFF_FFFF_0000_0000UL) == V4MappedLoPrefix;

    public static IpKey FromV4(uint address) => new(V4MappedHi, V4MappedLoPrefix | address);

    public static IpKey From(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b4 = stackalloc byte[4];
            address.TryWriteBytes(b4, out _);
            return FromV4(BinaryPrimitives.ReadUInt32BigEndian(b4));
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return From(address.MapToIPv4());
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        return new IpKey(BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b[8..]));
    }

    public IPAddress ToIPAddress()
    {
        if (IsV4)
        {
            Span<byte> b4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b4, (uint)Lo);
            return new IPAddress(b4);
        }

        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(b, Hi);
        BinaryPrimitives.WriteUInt64BigEndian(b[8..], Lo);
        return new IPAddress(b);
    }

    /// <summary>Parses a bare address (no port). IPv4 without allocation; IPv6 through <see cref="IPAddress"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out IpKey key)
    {
        if (TryParseV4(s, out var v4))
        {
            key = FromV4(v4);
            return true;
        }

        if (s.Length > 1 && s[0] == '[' && s[^1] == ']')
        {
            s = s[1..^1];
        }

        if (s.IndexOf(':') >= 0 && IPAddress.TryParse(s, out var address))
        {
            key = From(address);
            return true;
        }

        key = default;
        return false;
    }

    /// <summary>Parses <c>a.b.c.d:port</c>, <c>[v6]:port</c>, or a bare address (port 0).</summary>
    public static bool TryParseEndpoint(ReadOnlySpan<char> s, out IpKey key, out int port)
    {
        port = 0;
        if (s.Length > 0 && s[0] == '[')
        {
            var close = s.IndexOf(']');
            if (close < 0)
            {
                key = default;
                return false;
            }

            var rest = s[(close + 1)..];
            if (rest.Length > 0 && (rest[0] != ':' || !TryParsePort(rest[1..], out port)))
            {
                key = default;
                return false;
            }

            return TryParse(s[1..close], out key);
        }

        var colon = s.LastIndexOf(':');
        if (colon > 0 && s[..colon].IndexOf(':') < 0)
        {
            // a.b.c.d:port
            if (!TryParsePort(s[(colon + 1)..], out port))
            {
                key = default;
                return false;
            }

            return TryParse(s[..colon], out key);
        }

        return TryParse(s, out key);
    }

    public static bool TryParsePort(ReadOnlySpan<char> s, out int port)
    {
        port = 0;
        if (s.Length is 0 or > 5)
        {
            return false;
        }

        foreach (var c in s)
        {
            if ((uint)(c - '0') > 9)
            {
                port = 0;
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= 65535;
    }

    private static bool TryParseV4(ReadOnlySpan<char> s, out uint value)
    {
        value = 0;
        var octets = 0;
        var i = 0;
        while (octets < 4)
        {
            var start = i;
            uint octet = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                octet = (octet * 10) + (uint)(s[i] - '0');
                i++;
                if (i - start > 3)
                {
                    return false;
                }
            }

            if (i == start || octet > 255)
            {
                return false;
            }

            value = (value << 8) | octet;
            octets++;
            if (octets < 4)
            {
                if (i >= s.Length || s[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        return i == s.Length;
    }

    public override string ToString() => ToIPAddress().ToString();
}
