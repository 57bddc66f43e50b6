using k8s.Models;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Routing;

/// <summary>
/// Renders the fallback's Service: one explicit-HTTP port per port number on which the mesh has HTTP (explicit or
/// auto-detected), plus the route port, each with targetPort = the fallback's listen port, exported to every
/// namespace. Pure.
/// </summary>
/// <remarks>
/// <para>
/// Ports are named <c>http-&lt;port&gt;</c> with <c>appProtocol: http</c>, so Istio's protocol is HTTP
/// (istio/istio <c>pkg/config/kube/conversion.go ConvertProtocol</c>). An explicit-HTTP port gets a listener on
/// <c>0.0.0.0:&lt;port&gt;</c> with route configuration <c>"&lt;port&gt;"</c>
/// (<c>pilot/pkg/networking/core/listener.go buildSidecarOutboundListener</c>, <c>buildSidecarOutboundHTTPListenerOpts</c>),
/// and that route configuration ends with the catch-all virtual host <c>allow_any</c> / <c>block_all</c>
/// (<c>httproute.go buildSidecarOutboundHTTPRouteConfig</c>: <c>if !useSniffing</c>, <c>buildCatchAllVirtualHost</c>).
/// An auto-detected port (a name without protocol) would instead be bound to this Service's own ClusterIP with route
/// configuration <c>fqdn:port</c> and no catch-all, which a call to another, unimported service never reaches.
/// </para>
/// <para>
/// gRPC/h2c survives the explicit HTTP port through the DestinationRule (<see cref="FallbackDestinationRuleRenderer"/>,
/// <c>useClientProtocol</c>). <c>networking.istio.io/exportTo: "*"</c> keeps the Service visible in every lazy
/// namespace when MeshConfig sets <c>defaultServiceExportTo: ["."]</c>.
/// </para>
/// </remarks>
public static class FallbackServiceRenderer
{
    public const string PortNamePrefix = "http-";

    /// <summary>The Service's <c>appProtocol</c>: Istio reads it before the name (<c>ConvertProtocol</c>).</summary>
    public const string AppProtocol = "http";

    /// <summary>Istio's per-Service visibility annotation (istio/api <c>annotation.NetworkingExportTo</c>).</summary>
    public const string ExportToAnnotation = "networking.istio.io/exportTo";

    /// <summary>
    /// Every distinct port number, across the mesh's services, on which Istio builds HTTP routes (HTTP, HTTP2, gRPC,
    /// gRPC-Web, or auto-detected). Ports Istio treats as TCP (TLS, HTTPS, TCP, Mongo, MySQL, Redis, the well-known
    /// 25/53/3306/27017 without a protocol) and UDP are left out: an HTTP listener there would only add a filter chain.
    /// </summary>
    public static SortedSet<int> HttpPorts(MeshIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var ports = new SortedSet<int>();
        foreach (var service in index.Services)
        {
            foreach (var port in service.Ports)
            {
                if (port.HasHttpRoutes)
                {
                    ports.Add(port.Port);
                }
            }
        }

        return ports;
    }

    public static V1Service Render(MeshIndex index, FallbackRoutingOptions options) => Render(HttpPorts(index), options);

    public static V1Service Render(IEnumerable<int> httpPorts, FallbackRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpPorts);
        ArgumentNullException.ThrowIfNull(options);
        ValidatePort(options.TargetPort, nameof(options.TargetPort));
        ValidatePort(options.EffectiveRoutePort, nameof(options.RoutePort));

        var ports = new SortedSet<int>(httpPorts) { options.EffectiveRoutePort };
        foreach (var port in ports)
        {
            ValidatePort(port, nameof(httpPorts));
        }

        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = options.ServiceName,
                NamespaceProperty = options.Namespace,
                Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    [LazyMeshMetadata.ManagedByLabel] = LazyMeshMetadata.ManagedByValue,
                },
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    [ExportToAnnotation] = "*",
                },
            },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = new SortedDictionary<string, string>(options.PodLabels.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
                Ports = [.. ports.Select(p => new V1ServicePort
                {
                    Name = PortNamePrefix + p.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Port = p,
                    Protocol = "TCP",
                    AppProtocol = AppProtocol,
                    TargetPort = options.TargetPort,
                })],
            },
        };
    }

    private static void ValidatePort(int port, string what)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(what, port, "A port must be between 1 and 65535.");
        }
    }
}
