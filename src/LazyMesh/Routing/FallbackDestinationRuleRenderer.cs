using System.Text.Json.Nodes;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Rendering;

namespace LazyMesh.Routing;

/// <summary>
/// Renders the fallback's DestinationRule: <c>connectionPool.http.useClientProtocol: true</c> on the fallback host,
/// exported to every namespace. Pure.
/// </summary>
/// <remarks>
/// The fallback Service's ports are explicit HTTP (<see cref="FallbackServiceRenderer"/>), so Istio would build the
/// clusters towards it as HTTP/1.1 (istio/istio <c>pilot/pkg/networking/core/cluster_builder.go setUpstreamProtocol</c>:
/// only sniffed ports get <c>use_downstream_protocol_config</c>) and gRPC/h2c through the fallback would break.
/// <c>useClientProtocol</c> makes <c>cluster_traffic_policy.go applyConnectionPool</c> call
/// <c>setUseDownstreamProtocol</c> on the caller's outbound cluster <c>outbound|P||fallback</c> (the rule is looked up
/// for the destination host, so it must be visible to every lazy namespace: <c>exportTo: ["*"]</c>) and, through
/// <c>buildInboundCluster</c> (which applies the DestinationRule of the instance's own service), on the fallback pod's
/// inbound cluster: HTTP/1.1 stays HTTP/1.1, h2c/gRPC stays HTTP/2 end to end. It also stops
/// <c>shouldH2Upgrade</c> from upgrading HTTP/1.1 callers when the mesh sets <c>h2UpgradePolicy: UPGRADE</c>. No
/// <c>tls</c> is set, so auto mTLS still applies.
/// </remarks>
public static class FallbackDestinationRuleRenderer
{
    public const string Kind = "DestinationRule";
    public const string ApiVersion = SidecarResource.Group + "/v1";

    public static IstioJsonResource Render(FallbackRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new IstioJsonResource
        {
            ApiVersion = ApiVersion,
            Kind = Kind,
            Metadata = new V1ObjectMeta
            {
                Name = options.ServiceName,
                NamespaceProperty = options.Namespace,
                Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    [LazyMeshMetadata.ManagedByLabel] = LazyMeshMetadata.ManagedByValue,
                },
            },
            Spec = new JsonObject
            {
                ["host"] = options.Fqdn,
                ["exportTo"] = new JsonArray("*"),
                ["trafficPolicy"] = new JsonObject
                {
                    ["connectionPool"] = new JsonObject
                    {
                        ["http"] = new JsonObject { ["useClientProtocol"] = true },
                    },
                },
            },
        };
    }
}
