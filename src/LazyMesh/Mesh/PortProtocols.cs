using k8s.Models;
using LazyMesh.Istio;

namespace LazyMesh.Mesh;

/// <summary>Istio's protocol selection rules for Service and ServiceEntry ports.</summary>
public static class PortProtocols
{
    /// <summary>
    /// A Kubernetes Service port: UDP by <c>protocol</c>; else <c>appProtocol</c> when Istio knows it; else the
    /// port name's prefix (<c>http</c>, <c>http-web</c>); else <see cref="PortProtocol.Unknown"/> (sniffed).
    /// </summary>
    public static PortProtocol FromServicePort(string? protocol, string? appProtocol, string? name)
    {
        if (string.Equals(protocol, "UDP", StringComparison.OrdinalIgnoreCase))
        {
            return PortProtocol.Udp;
        }

        if (appProtocol is not null)
        {
            var fromApp = appProtocol.ToLowerInvariant() switch
            {
                "kubernetes.io/h2c" => PortProtocol.Http2,
                "kubernetes.io/ws" => PortProtocol.Http,
                "kubernetes.io/wss" => PortProtocol.Https,
                var p => FromIstioName(p),
            };
            if (fromApp != PortProtocol.Unknown)
            {
                return fromApp;
            }
        }

        return FromPortName(name);
    }

    public static PortProtocol FromServicePort(V1ServicePort port) => FromServicePort(port.Protocol, port.AppProtocol, port.Name);

    /// <summary>A ServiceEntry port: its <c>protocol</c> field, else the name's prefix, else sniffed.</summary>
    public static PortProtocol FromServiceEntryPort(ServiceEntryPort port)
    {
        var fromProtocol = port.Protocol is null ? PortProtocol.Unknown : FromIstioName(port.Protocol);
        return fromProtocol != PortProtocol.Unknown ? fromProtocol : FromPortName(port.Name);
    }

    /// <summary>Name-prefix rule: the name is exactly the protocol or starts with <c>protocol-</c> (case-insensitive).</summary>
    public static PortProtocol FromPortName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return PortProtocol.Unknown;
        }

        if (name.StartsWith("grpc-web", StringComparison.OrdinalIgnoreCase) &&
            (name.Length == 8 || name[8] == '-'))
        {
            return PortProtocol.GrpcWeb;
        }

        var dash = name.IndexOf('-');
        return FromIstioName(dash < 0 ? name : name[..dash]);
    }

    /// <summary>An Istio protocol name (<c>HTTP</c>, <c>http2</c>, <c>GRPC-WEB</c>, ...), case-insensitive.</summary>
    public static PortProtocol FromIstioName(string name) => name.ToLowerInvariant() switch
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
