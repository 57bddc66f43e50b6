using System.Net;

namespace LazyMesh.Cli;

/// <summary>Parses <c>HOST:PORT</c> for listen and target options: an IP literal (IPv6 in brackets), <c>localhost</c>, or <c>*</c> for any.</summary>
public static class EndpointParser
{
    public static IPEndPoint Parse(string option, string value)
    {
        var text = value.StartsWith("*:", StringComparison.Ordinal) ? "0.0.0.0" + value[1..] : value;
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1" + text["localhost".Length..];
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal) && !text.EndsWith(']'))
        {
            return endpoint;
        }

        throw new UsageException($"{option}: '{value}' is not HOST:PORT (an IP address, localhost or *, and a port)");
    }

    /// <summary>
    /// A listen address: parsed, and checked to be bindable now, so that a port in use or an address not on this
    /// machine is a usage error (exit 2) before anything is started or written.
    /// </summary>
    public static IPEndPoint ParseListen(string option, string value)
    {
        var endpoint = Parse(option, value);
        return Hosting.ListenProbe.Check(endpoint) is { } problem
            ? throw new UsageException($"{option}: cannot listen on {value}: {problem}")
            : endpoint;
    }
}
