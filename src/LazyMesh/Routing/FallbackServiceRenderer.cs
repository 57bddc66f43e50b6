using k8s.Models;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Routing;

/// <summary>
/// Renders the fallback's Service: one port per HTTP port used anywhere in the mesh (plus the route port), each
/// with targetPort = the fallback's listen port. Pure.
/// </summary>
/// <remarks>
/// A lazy sidecar has an outbound route configuration <c>"&lt;port&gt;"</c> (and so an <c>allow_any</c> virtual
/// host to patch) only when some service in its scope has an HTTP port with that number; this Service, imported by
/// every generated Sidecar, provides them all. Ports are named <c>lazymesh-&lt;port&gt;</c>, which carries no
/// protocol: Istio sniffs them, so they still get HTTP route configurations, and a sidecar's clusters for a sniffed
/// port use the downstream's protocol (<c>use_downstream_protocol_config</c>) both on the caller's outbound and the
/// fallback's inbound side. HTTP/1.1 stays HTTP/1.1 (upgrades work) and h2c/gRPC stays HTTP/2 end to end; an
/// <c>http-</c> name would force HTTP/1.1 to the fallback and break gRPC.
/// </remarks>
public static class FallbackServiceRenderer
{
    public const string PortNamePrefix = "lazymesh-";

    /// <summary>Every distinct port number, across the mesh's services, for which Istio builds HTTP routes.</summary>
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
