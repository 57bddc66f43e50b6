using System.Net;

namespace LazyMesh.Cli;

/// <summary>Parses <c>HOST:PORT</c> for listen and target options (<c>localhost</c>, IPv4, <c>[IPv6]</c>).</summary>
public static class EndpointParser
{
    public static IPEndPoint Parse(string option, string value)
    {
        var text = value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" + value["localhost".Length..] : value;
        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal) && !text.EndsWith(']'))
        {
            return endpoint;
        }

        throw new UsageException($"{option}: '{value}' is not HOST:PORT (an IP address or localhost, and a port)");
    }
}
