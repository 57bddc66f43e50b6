using LazyMesh.AccessLogs;
using LazyMesh.Attribution;
using LazyMesh.Mesh;
using static LazyMesh.Tests.Mesh.MeshYaml;

namespace LazyMesh.Tests.Attribution;

/// <summary>
/// The calls a too-narrow Sidecar breaks, and what only Istio resolves (issue 8 points 3 and 5, issue 12): NR, NC,
/// <c>block_all</c> and BlackHoleCluster entries, TLS through PassthroughCluster named by its SNI, alternate stat names,
/// and gateway entries, which are never their client's dependencies.
/// </summary>
public sealed class EventAttributionCutOffTests
{
    private static readonly MeshIndex Index = LazyMesh.Tests.Mesh.MeshYaml.Index(
        Pod("web-1", "10.0.0.1", ns: "shop", labels: "{app: web}"),
        Pod("istio-ingressgateway-5d8f", "10.0.0.9", ns: "istio-system", labels: "{app: istio-ingressgateway, istio: ingressgateway}"),
        Pod("egress-gw-1", "10.0.0.10", ns: "istio-system", labels: "{gateway.networking.k8s.io/gateway-name: egress}"),
        Service("cart", "10.96.0.5", ns: "shop", ports: "[{name: http, port: 8080}]", selector: null),
        ServiceEntry("ext", "[\"api.example.com\"]", ns: "shop"));

    private static SkipReason Attribute(AccessEvent e, out MeshService? destination) =>
        EventAttribution.Attribute(Index, in e, out _, out destination);

    [Fact]
    public void Tls_through_passthrough_to_a_service_entry_host_is_learned_from_the_sni()
    {
        var e = new AccessEvent
        {
            Protocol = AccessProtocol.Tcp,
            UpstreamCluster = "PassthroughCluster",
            SourceAddress = "10.0.0.1",
            OriginalDestinationAddress = "93.184.216.34",
            OriginalDestinationPort = 443,
            RequestedServerName = "api.example.com",
        };

        Assert.Equal(SkipReason.None, Attribute(e, out var destination));
        Assert.Equal("ext", destination?.Name);
    }

    [Theory]
    [InlineData(AccessResponseFlags.NoRouteFound, "-")]
    [InlineData(AccessResponseFlags.NoClusterFound, "-")]
    [InlineData(AccessResponseFlags.None, "block_all")]
    public void Calls_a_sidecar_cut_off_are_learned_from_the_authority(AccessResponseFlags flags, string route)
    {
        // 404 NR route_not_found, 503 NC cluster_not_found, 502 block_all (REGISTRY_ONLY's catch-all virtual host,
        // istio/istio pilot/pkg/networking/core/httproute.go buildCatchAllVirtualHost): no upstream cluster.
        var e = new AccessEvent
        {
            UpstreamCluster = default,
            SourceAddress = "10.0.0.1",
            Authority = "cart:8080",
            OriginalDestinationAddress = "10.1.2.3",
            OriginalDestinationPort = 8080,
            ResponseFlags = flags,
            RouteName = route == "-" ? default : route,
        };

        Assert.Equal(SkipReason.None, Attribute(e, out var destination));
        Assert.Equal("cart", destination?.Name);
    }

    [Fact]
    public void Without_a_cut_off_sign_a_missing_cluster_is_still_skipped()
    {
        var e = new AccessEvent { SourceAddress = "10.0.0.1", Authority = "cart:8080", RouteName = "default" };
        Assert.Equal(SkipReason.NoUpstreamCluster, Attribute(e, out _));
    }

    [Fact]
    public void BlackHole_is_learned_from_the_original_destination()
    {
        // TCP under REGISTRY_ONLY ends on BlackHoleCluster (istio/istio pilot/pkg/networking/util BlackHoleCluster).
        var e = new AccessEvent
        {
            Protocol = AccessProtocol.Tcp,
            UpstreamCluster = "BlackHoleCluster",
            SourceAddress = "10.0.0.1",
            OriginalDestinationAddress = "10.96.0.5",
            OriginalDestinationPort = 8080,
        };

        Assert.Equal(SkipReason.None, Attribute(e, out var destination));
        Assert.Equal("cart", destination?.Name);
    }

    [Theory]
    [InlineData("outbound|8080||cart.shop.svc.cluster.local;")]
    [InlineData("cart.shop_http_8080;")]
    [InlineData("BlackHoleCluster;")]
    public void Alternate_stat_names_resolve(string cluster)
    {
        // 1.23+: alt_stat_name = name + ";" (pilot/pkg/networking/util/util.go DelimitedStatsPrefix), or the MeshConfig
        // outboundClusterStatName pattern (pilot/pkg/networking/telemetry BuildStatPrefix) + ";": resolved by address.
        var e = new AccessEvent
        {
            UpstreamCluster = cluster,
            SourceAddress = "10.0.0.1",
            OriginalDestinationAddress = "10.96.0.5",
            OriginalDestinationPort = 8080,
        };

        Assert.Equal(SkipReason.None, Attribute(e, out var destination));
        Assert.Equal("cart", destination?.Name);
    }

    [Fact]
    public void A_gateway_alsstream_is_never_credited_to_the_client()
    {
        var e = new AccessEvent { UpstreamCluster = "outbound|8080||cart.shop.svc.cluster.local", SourceAddress = "10.0.0.1", SenderIsGateway = true };
        Assert.Equal(SkipReason.Gateway, Attribute(e, out _));
    }

    [Theory]
    [InlineData("10.0.0.9")]
    [InlineData("10.0.0.10")]
    public void A_line_whose_listener_is_a_gateway_pod_is_the_gateways(string gatewayIp)
    {
        // The client (web-1) called the gateway; the gateway's own line has the client as downstream remote and the
        // gateway pod as downstream local. Even a 403 there must not add the gateway's upstream to web's Sidecar.
        var e = new AccessEvent
        {
            UpstreamCluster = "outbound|8080||cart.shop.svc.cluster.local",
            SourceAddress = "10.0.0.1",
            OriginalDestinationAddress = gatewayIp,
            OriginalDestinationPort = 8080,
        };

        Assert.Equal(SkipReason.Gateway, Attribute(e, out _));
    }

    [Fact]
    public void A_line_from_a_gateway_pods_log_is_the_gateways()
    {
        var e = new AccessEvent { UpstreamCluster = "outbound|8080||cart.shop.svc.cluster.local", SourceAddress = "10.0.0.1", OriginPod = "istio-ingressgateway-5d8f" };
        Assert.Equal(SkipReason.Gateway, Attribute(e, out _));

        var fromWeb = e with { OriginPod = "web-1" };
        Assert.Equal(SkipReason.None, Attribute(fromWeb, out var destination));
        Assert.Equal("cart", destination?.Name);
    }
}
