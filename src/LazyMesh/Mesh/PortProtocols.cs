using k8s.Models;
using LazyMesh.Istio;

namespace LazyMesh.Mesh;

/// <summary>
/// Istio's protocol selection for Service and ServiceEntry ports, exactly as istio/istio decides it:
/// <c>pkg/config/kube/conversion.go ConvertProtocol</c> for Kubernetes Services,
/// <c>pilot/pkg/serviceregistry/serviceentry/conversion.go convertPort</c> for ServiceEntries, and
/// <c>pkg/config/protocol/instance.go Parse</c> for the names (checked identical in 1.22, 1.24 and 1.28).
/// </summary>
public static class PortProtocols
{
    /// <summary>SMTP, DNS, MySQL, MongoDB: TCP when nothing names a protocol (<c>ConvertProtocol</c>'s <c>wellKnownPorts</c>).</summary>
    public static readonly IReadOnlySet<int> WellKnownTcpPorts = new HashSet<int> { 25, 53, 3306, 27017 };

    private const string GrpcWebPrefix = "grpc-web";

    /// <summary>
    /// A Kubernetes Service port: UDP by <c>protocol</c>; else the <c>appProtocol</c> when set (the Kubernetes names
    /// <c>kubernetes.io/h2c|ws|wss</c>, else parsed like a port name) and then the port name is never looked at,
    /// even when the <c>appProtocol</c> is unknown; else the port name's prefix; an unknown result on the well-known
    /// ports 25/53/3306/27017 is TCP; otherwise <see cref="PortProtocol.Unknown"/> (auto-detected).
    /// </summary>
    public static PortProtocol FromServicePort(int port, string? protocol, string? appProtocol, string? name)
    {
        if (string.Equals(protocol, "UDP", StringComparison.Ordinal))
        {
            return PortProtocol.Udp;
        }

        var text = name;
        if (appProtocol is not null)
        {
            switch (appProtocol)
            {
                case "kubernetes.io/h2c":
                    return PortProtocol.Http2;
                case "kubernetes.io/ws":
                    return PortProtocol.Http;
                case "kubernetes.io/wss":
                    return PortProtocol.Https;
            }

            text = appProtocol;
        }

        var parsed = FromPortName(text);
        return parsed == PortProtocol.Unknown && WellKnownTcpPorts.Contains(port) ? PortProtocol.Tcp : parsed;
    }

    public static PortProtocol FromServicePort(V1ServicePort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        return FromServicePort(port.Port, port.Protocol, port.AppProtocol, port.Name);
    }

    /// <summary>
    /// A ServiceEntry port: its <c>protocol</c> field only (<c>convertPort</c>: <c>protocol.Parse(port.Protocol)</c>);
    /// the name is not read, and no well-known-port rule applies. Unset or unknown = auto-detected.
    /// </summary>
    public static PortProtocol FromServiceEntryPort(ServiceEntryPort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        return port.Protocol is null ? PortProtocol.Unknown : FromIstioName(port.Protocol);
    }

    /// <summary>
    /// Name rule of <c>ConvertProtocol</c>: a name starting with <c>grpc-web</c> (any case, no separator needed) is
    /// gRPC-Web; otherwise the part before the first <c>-</c> is parsed as a protocol name.
    /// </summary>
    public static PortProtocol FromPortName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return PortProtocol.Unknown;
        }

        if (name.Length >= GrpcWebPrefix.Length && name.StartsWith(GrpcWebPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return PortProtocol.GrpcWeb;
        }

        var dash = name.IndexOf('-');
        return FromIstioName(dash < 0 ? name : name[..dash]);
    }

    /// <summary>An Istio protocol name (<c>HTTP</c>, <c>http2</c>, <c>GRPC-WEB</c>, ...), case-insensitive (<c>protocol.Parse</c>).</summary>
    public static PortProtocol FromIstioName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "http" => PortProtocol.Http,
            "http2" => PortProtocol.Http2,
            "grpc" => PortProtocol.Grpc,
            "grpc-web" => PortProtocol.GrpcWeb,
            "https" => PortProtocol.Https,
            "tls" => PortProtocol.Tls,
            "tcp" => PortProtocol.Tcp,
            "mongo" => PortProtocol.Mongo,
            "mysql" => PortProtocol.Mysql,
            "redis" => PortProtocol.Redis,
            "udp" => PortProtocol.Udp,
            _ => PortProtocol.Unknown,
        };
    }
}
