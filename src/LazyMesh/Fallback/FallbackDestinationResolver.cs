using System.Globalization;
using System.Net;
using LazyMesh.Mesh;
using LazyMesh.Routing;

namespace LazyMesh.Fallback;

/// <summary>
/// Maps a call that reached the fallback onto a mesh destination. Pure. Precedence: the original destination
/// (<c>x-lazymesh-original-dst</c>, a ClusterIP, ServiceEntry address or headless pod IP and port); otherwise the
/// Host / :authority resolved in the caller's namespace, which is <c>x-lazymesh-source-namespace</c>, else the
/// namespace of the pod with IP <c>x-lazymesh-source-ip</c>, else that of the pod at the connection's remote IP.
/// </summary>
public static class FallbackDestinationResolver
{
    private const int DefaultHttpPort = 80;

    public static FallbackResolution Resolve(MeshIndex index, in FallbackRequest request, FallbackRoutingOptions routing)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(routing);

        IpKey originalIp = default;
        var originalPort = 0;
        var hasOriginal = !string.IsNullOrEmpty(request.OriginalDestination)
            && IpKey.TryParseEndpoint(request.OriginalDestination, out originalIp, out originalPort) && originalPort > 0;

        MeshService? service = null;
        int port;
        var byAddress = false;
        if (hasOriginal && (service = index.FindByAddress(originalIp, originalPort)) is not null)
        {
            port = originalPort;
            byAddress = true;
        }
        else
        {
            var authority = request.Authority;
            if (string.IsNullOrWhiteSpace(authority))
            {
                return FallbackResolution.Unresolved(hasOriginal
                    ? $"no mesh service at the original destination {request.OriginalDestination} and the request has no Host"
                    : "the request has neither an original destination nor a Host");
            }

            var callerNamespace = CallerNamespace(index, request);
            service = index.ResolveName(authority, callerNamespace);
            if (service is null)
            {
                return FallbackResolution.Unresolved(
                    $"{(hasOriginal ? $"no mesh service at the original destination {request.OriginalDestination}, and " : string.Empty)}" +
                    $"Host \"{authority}\" names no mesh service{(callerNamespace is null ? " (caller's namespace unknown)" : $" from namespace {callerNamespace}")}");
            }

            port = AuthorityPort(authority) ?? (hasOriginal ? originalPort : DefaultHttpPort);
        }

        if (string.Equals(service.Namespace, routing.Namespace, StringComparison.Ordinal)
            && string.Equals(service.Name, routing.ServiceName, StringComparison.Ordinal))
        {
            return FallbackResolution.Loop($"the destination {service.Host} is the fallback itself");
        }

        // Only declared ports, for every kind (issue 11 item 4): a ServiceEntry, headless or ExternalName name with an
        // undeclared port is not a mesh destination (Host: localhost:<any port> on a ServiceEntry "localhost" must not
        // reach the pod's own ports). By address, FindByAddress already matched a declared port (or target port).
        if (!byAddress && !DeclaresPort(service, port))
        {
            return FallbackResolution.Unresolved(service.Ports.Count == 0
                ? $"{KindName(service.Kind)} {service.Host} declares no ports"
                : $"{KindName(service.Kind)} {service.Host} has no port {port}");
        }

        var portText = port.ToString(CultureInfo.InvariantCulture);
        switch (service.Kind)
        {
            case MeshServiceKind.Service:
                var address = byAddress ? originalIp : service.Addresses.Count > 0 ? service.Addresses[0] : default;
                if (address == default)
                {
                    return FallbackResolution.Unresolved($"service {service.Host} has no ClusterIP");
                }

                return Found(service, port, address.ToString(), $"{service.Host}:{portText}", service.Host);
            case MeshServiceKind.ServiceEntry:
                // A wildcard entry keeps the name the caller used; the sidecar resolves it (DNS or its own proxy).
                var name = service.Host.StartsWith("*.", StringComparison.Ordinal) ? AuthorityHost(request.Authority) ?? service.Host : service.Host;
                if (name.StartsWith("*.", StringComparison.Ordinal) && !byAddress)
                {
                    return FallbackResolution.Unresolved($"wildcard ServiceEntry host {service.Host} needs a concrete Host or original destination");
                }

                return Found(service, port, byAddress ? originalIp.ToString() : name, name, service.Host);
            default:
                // Headless and ExternalName services: by their DNS name (a headless pod by its IP when known).
                return Found(service, port, byAddress ? originalIp.ToString() : service.Host, $"{service.Host}:{portText}", service.Host);
        }

        FallbackResolution Found(MeshService s, int p, string upstreamHost, string hostHeader, string clusterHost) =>
            FallbackResolution.Found(new FallbackDestination(s, p, upstreamHost, p, hostHeader, $"outbound|{portText}||{clusterHost}"));
    }

    private static bool DeclaresPort(MeshService service, int port)
    {
        foreach (var declared in service.Ports)
        {
            if (declared.Port == port)
            {
                return true;
            }
        }

        return false;
    }

    private static string KindName(MeshServiceKind kind) => kind switch
    {
        MeshServiceKind.ServiceEntry => "ServiceEntry host",
        MeshServiceKind.HeadlessService => "headless service",
        MeshServiceKind.ExternalNameService => "ExternalName service",
        _ => "service",
    };

    /// <summary>
    /// True for a destination that is the fallback's own host rather than a mesh destination: the name
    /// <c>localhost</c> (and <c>*.localhost</c>, RFC 6761 6.3), a loopback or unspecified IP address.
    /// </summary>
    public static bool IsLocalHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.AsSpan().TrimEnd('.');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(name, out var ip))
        {
            return false;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any);
    }

    /// <summary>The caller's namespace: the header, else the pod with the source IP, else the pod at the remote address.</summary>
    public static string? CallerNamespace(MeshIndex index, in FallbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (!string.IsNullOrEmpty(request.SourceNamespace))
        {
            return request.SourceNamespace;
        }

        if (!string.IsNullOrEmpty(request.SourceAddress) && IpKey.TryParseEndpoint(request.SourceAddress, out var source, out _)
            && index.FindPod(source, out var pod) == PodIpMatch.Pod)
        {
            return pod!.Namespace;
        }

        if (request.RemoteAddress is { } remote && index.FindPod(IpKey.From(remote), out pod) == PodIpMatch.Pod)
        {
            return pod!.Namespace;
        }

        return null;
    }

    /// <summary>The caller's IP as reported: <c>x-lazymesh-source-ip</c>, else the connection's remote address.</summary>
    public static string? CallerAddress(in FallbackRequest request) =>
        !string.IsNullOrEmpty(request.SourceAddress) ? request.SourceAddress
        : request.RemoteAddress is { } remote ? (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString()
        : null;

    private static int? AuthorityPort(string authority)
    {
        var span = authority.AsSpan().Trim();
        var close = span.LastIndexOf(']');
        var colon = span.LastIndexOf(':');
        if (colon < 0 || colon < close || (close < 0 && span[..colon].Contains(':')))
        {
            return null;
        }

        return IpKey.TryParsePort(span[(colon + 1)..], out var port) && port > 0 ? port : null;
    }

    private static string? AuthorityHost(string? authority)
    {
        if (string.IsNullOrWhiteSpace(authority))
        {
            return null;
        }

        var span = authority.AsSpan().Trim();
        return AuthorityPort(authority) is null ? span.TrimEnd('.').ToString() : span[..span.LastIndexOf(':')].TrimEnd('.').ToString();
    }

    /// <summary>Formats a host and port for a URI (IPv6 addresses in brackets).</summary>
    public static string FormatHostPort(string host, int port) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
}
