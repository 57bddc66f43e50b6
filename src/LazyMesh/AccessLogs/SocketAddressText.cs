namespace LazyMesh.AccessLogs;

/// <summary>Splits Envoy's printed socket addresses (<c>10.0.0.1:9080</c>, <c>[fd00::1]:443</c>) without allocating.</summary>
internal static class SocketAddressText
{
    /// <summary>
    /// Splits <paramref name="text"/> into host and port. <c>-</c> or empty gives an empty host and port 0; an address
    /// without a usable port (a bare IPv6 address, a pipe path, an internal address) is returned whole with port 0.
    /// </summary>
    public static void Split(ReadOnlySpan<char> text, out ReadOnlySpan<char> host, out int port)
    {
        port = 0;
        if (text.IsEmpty || text is "-")
        {
            host = default;
            return;
        }

        if (text[0] == '[')
        {
            int close = text.IndexOf(']');
            if (close < 0)
            {
                host = text;
                return;
            }

            host = text[1..close];
            if (close + 1 < text.Length && text[close + 1] == ':' && TryParsePort(text[(close + 2)..], out int bracketedPort))
            {
                port = bracketedPort;
            }

            return;
        }

        int colon = text.LastIndexOf(':');
        if (colon < 0 || text.IndexOf(':') != colon || !TryParsePort(text[(colon + 1)..], out int parsedPort))
        {
            host = text;
            return;
        }

        host = text[..colon];
        port = parsedPort;
    }

    private static bool TryParsePort(ReadOnlySpan<char> s, out int port)
    {
        port = 0;
        if (s.IsEmpty || s.Length > 5)
        {
            return false;
        }

        foreach (char c in s)
        {
            int digit = c - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            port = (port * 10) + digit;
        }

        return port <= 65535;
    }
}
