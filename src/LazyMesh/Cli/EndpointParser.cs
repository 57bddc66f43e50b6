using System.Net;

namespace LazyMesh.Cli;

/// <summary>
/// Every <c>HOST:PORT</c> option is parsed here, the same way: a listen address is an IP literal (IPv6 in brackets),
/// <c>localhost</c>, or <c>*</c> for any (<see cref="Parse"/>, <see cref="ParseListen"/>); a target to connect to may
/// also be a host name (<see cref="ParseTarget"/>). Errors name the option and say what is expected.
/// </summary>
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

    /// <summary>
    /// A target to connect to, <c>HOST:PORT</c> with HOST a host name (<c>lazymesh.lazymesh-system</c>), an IP address
    /// (IPv6 in brackets) or <c>localhost</c>, and a port 1-65535; as the <c>http://HOST:PORT</c> URI to call.
    /// </summary>
    public static Uri ParseTarget(string option, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.LastIndexOf(':');
        var host = colon > 0 ? value[..colon] : string.Empty;
        var port = colon > 0 ? value[(colon + 1)..] : string.Empty;
        var hostOk = host.StartsWith('[')
            ? host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            : !host.Contains(':', StringComparison.Ordinal) && (IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns);
        if (!hostOk || !int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new UsageException($"{option}: '{value}' is not HOST:PORT (a host name or IP address, IPv6 in brackets, and a port 1-65535)");
        }

        return new Uri($"http://{host}:{number}");
    }
}
