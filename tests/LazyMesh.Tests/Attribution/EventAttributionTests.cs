using LazyMesh.AccessLogs;
using LazyMesh.Attribution;
using LazyMesh.Mesh;
using static LazyMesh.Tests.Mesh.MeshYaml;

namespace LazyMesh.Tests.Attribution;

public sealed class EventAttributionTests
{
    private static readonly MeshIndex Index = LazyMesh.Tests.Mesh.MeshYaml.Index(
        Pod("web-1", "10.0.0.1", ns: "shop", labels: "{app: web}"),
        Pod("web-6", "fd00::1", ns: "shop", labels: "{app: web6}"),
        Pod("agent", "172.18.0.3", ns: "kube-system", hostNetwork: true),
        Service("cart", "10.96.0.5", ns: "shop", ports: "[{name: http, port: 8080}]", selector: null),
        Service("cart6", "fd00:96::5", ns: "shop", ports: "[{name: http, port: 8080}]", selector: null),
        ServiceEntry("ext", "[\"*.example.com\"]", ns: "shop"));

    private static SkipReason Attribute(AccessEvent e, out Workload? source, out MeshService? destination) =>
        EventAttribution.Attribute(Index, in e, out source, out destination);

    [Theory]
    [InlineData("outbound|8080||cart.shop.svc.cluster.local", "cart")]
    [InlineData("outbound|8080|v1|cart.shop.svc.cluster.local", "cart")]
    [InlineData("outbound|443||api.example.com", "ext")]
    public void Outbound_cluster_names_the_destination(string cluster, string expected)
    {
        var reason = Attribute(new AccessEvent { UpstreamCluster = cluster, SourceAddress = "10.0.0.1" }, out var source, out var destination);

        Assert.Equal(SkipReason.None, reason);
        Assert.Equal("shop/Pod/web-1", source?.Key);
        Assert.Equal(expected, destination?.Name);
    }

    [Fact]
    public void Outbound_cluster_for_an_unknown_host_is_an_unknown_destination()
    {
        var reason = Attribute(new AccessEvent { UpstreamCluster = "outbound|80||gone.shop.svc.cluster.local", SourceAddress = "10.0.0.1" }, out var source, out var destination);

        Assert.Equal(SkipReason.UnknownDestination, reason);
        Assert.NotNull(source);
        Assert.Null(destination);
    }

    [Fact]
    public void Passthrough_uses_the_original_destination_address_and_port()
    {
        var e = new AccessEvent
        {
            UpstreamCluster = "PassthroughCluster",
            SourceAddress = "10.0.0.1",
            OriginalDestinationAddress = "10.96.0.5",
            OriginalDestinationPort = 8080,
            Authority = "something-else",
        };

        Assert.Equal(SkipReason.None, Attribute(e, out _, out var destination));
        Assert.Equal("cart", destination?.Name);
    }

    [Fact]
    public void Passthrough_falls_back_to_the_authority_in_the_callers_namespace()
    {
        var e = new AccessEvent
        {
            UpstreamCluster = "PassthroughCluster",
            SourceAddress = "10.0.0.1",
            OriginalDestinationAddress = "10.1.2.3",
            OriginalDestinationPort = 8080,
            Authority = "cart:8080",
        };

        Assert.Equal(SkipReason.None, Attribute(e, out _, out var destination));
        Assert.Equal("cart", destination?.Name);
    }

    [Fact]
    public void Passthrough_to_an_unknown_address_without_authority_is_an_unknown_destination()
    {
        var e = new AccessEvent { UpstreamCluster = "PassthroughCluster", SourceAddress = "10.0.0.1", OriginalDestinationAddress = "93.184.216.34", OriginalDestinationPort = 443 };

        Assert.Equal(SkipReason.UnknownDestination, Attribute(e, out var source, out _));
        Assert.NotNull(source);
    }

    [Theory]
    [InlineData("inbound|8080||")]
    [InlineData("inbound|9080|http|reviews.default.svc.cluster.local")]
    [InlineData("InboundPassthroughCluster")]
    [InlineData("InboundPassthroughClusterIpv4")]
    [InlineData("InboundPassthroughClusterIpv6")]
    public void Inbound_entries_are_skipped(string cluster) =>
        Assert.Equal(SkipReason.Inbound, Attribute(new AccessEvent { UpstreamCluster = cluster, SourceAddress = "10.0.0.1" }, out _, out _));

    [Theory]
    [InlineData("agent")]
    [InlineData("envoy_accesslog_service")]
    [InlineData("sds-grpc;")]
    [InlineData("prometheus_stats")]
    [InlineData("sds-grpc")]
    [InlineData("xds-grpc")]
    [InlineData("outbound|8080|")]
    public void Special_clusters_are_skipped(string cluster) =>
        Assert.Equal(SkipReason.SpecialCluster, Attribute(new AccessEvent { UpstreamCluster = cluster, SourceAddress = "10.0.0.1" }, out _, out _));

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    public void Missing_cluster_is_skipped(string cluster) =>
        Assert.Equal(SkipReason.NoUpstreamCluster, Attribute(new AccessEvent { UpstreamCluster = cluster, SourceAddress = "10.0.0.1", Authority = "cart" }, out _, out _));

    [Theory]
    [InlineData("")]
    [InlineData("web-1")]
    [InlineData("10.0.0")]
    public void Source_that_is_not_an_ip_is_skipped(string address) =>
        Assert.Equal(SkipReason.NoSourceAddress, Attribute(new AccessEvent { UpstreamCluster = "outbound|8080||cart.shop.svc.cluster.local", SourceAddress = address }, out _, out _));

    [Fact]
    public void Unknown_source_ip_is_skipped() =>
        Assert.Equal(SkipReason.UnknownSource, Attribute(new AccessEvent { UpstreamCluster = "outbound|8080||cart.shop.svc.cluster.local", SourceAddress = "10.9.9.9" }, out _, out _));

    [Fact]
    public void Host_network_source_is_skipped_distinctly() =>
        Assert.Equal(SkipReason.HostNetworkSource, Attribute(new AccessEvent { UpstreamCluster = "outbound|8080||cart.shop.svc.cluster.local", SourceAddress = "172.18.0.3" }, out _, out _));

    [Fact]
    public void Sender_pod_address_wins_over_the_source_address_on_outbound_entries()
    {
        var e = new AccessEvent { UpstreamCluster = "outbound|8080||cart.shop.svc.cluster.local", SourceAddress = "127.0.0.6", SenderPodAddress = "10.0.0.1" };

        Assert.Equal(SkipReason.None, Attribute(e, out var source, out _));
        Assert.Equal("shop/Pod/web-1", source?.Key);
    }

    [Fact]
    public void Source_address_with_a_port_is_accepted()
    {
        var e = new AccessEvent { UpstreamCluster = "outbound|8080||cart.shop.svc.cluster.local", SourceAddress = "10.0.0.1:43210" };

        Assert.Equal(SkipReason.None, Attribute(e, out _, out _));
    }

    [Fact]
    public void Ipv6_source_and_destination_work()
    {
        var e = new AccessEvent { UpstreamCluster = "PassthroughCluster", SourceAddress = "fd00::1", OriginalDestinationAddress = "fd00:96::5", OriginalDestinationPort = 8080 };

        Assert.Equal(SkipReason.None, Attribute(e, out var source, out var destination));
        Assert.Equal("shop/Pod/web-6", source?.Key);
        Assert.Equal("cart6", destination?.Name);
    }

    [Fact]
    public void Fallback_entry_resolves_the_authority_in_the_callers_namespace_and_ignores_the_cluster_kind()
    {
        var e = new AccessEvent { ViaFallback = true, UpstreamCluster = "inbound|80||", SourceAddress = "10.0.0.1", SenderPodAddress = "10.7.7.7", Authority = "cart:8080" };

        Assert.Equal(SkipReason.None, Attribute(e, out var source, out var destination));
        Assert.Equal("shop/Pod/web-1", source?.Key);
        Assert.Equal("cart", destination?.Name);
    }

    [Fact]
    public void Fallback_entry_without_a_known_authority_falls_back_to_the_outbound_clusters_host()
    {
        var e = new AccessEvent { ViaFallback = true, UpstreamCluster = "outbound|443||api.example.com", SourceAddress = "10.0.0.1", Authority = "nope" };

        Assert.Equal(SkipReason.None, Attribute(e, out _, out var destination));
        Assert.Equal("*.example.com", destination?.Host);
    }

    [Fact]
    public void Fallback_entry_without_cluster_or_known_authority_is_an_unknown_destination()
    {
        var e = new AccessEvent { ViaFallback = true, SourceAddress = "10.0.0.1", Authority = "nope" };

        Assert.Equal(SkipReason.UnknownDestination, Attribute(e, out _, out var destination));
        Assert.Null(destination);
    }

    [Fact]
    public void Success_path_allocates_nothing_for_ipv4()
    {
        var outbound = new AccessEvent { UpstreamCluster = "outbound|8080||cart.shop.svc.cluster.local", SourceAddress = "10.0.0.1" };
        var wildcard = new AccessEvent { UpstreamCluster = "outbound|443||api.example.com", SourceAddress = "10.0.0.1", SenderPodAddress = "10.0.0.1" };
        var passthrough = new AccessEvent { UpstreamCluster = "PassthroughCluster", SourceAddress = "10.0.0.1", OriginalDestinationAddress = "10.96.0.5", OriginalDestinationPort = 8080 };
        var byAuthority = new AccessEvent { UpstreamCluster = "PassthroughCluster", SourceAddress = "10.0.0.1", Authority = "cart.shop:8080" };
        var fallback = new AccessEvent { ViaFallback = true, SourceAddress = "10.0.0.1", Authority = "cart" };

        var ok = 0;
        for (var round = 0; round < 2; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 2000; i++)
            {
                ok += EventAttribution.Attribute(Index, in outbound, out _, out _) == SkipReason.None ? 1 : 0;
                ok += EventAttribution.Attribute(Index, in wildcard, out _, out _) == SkipReason.None ? 1 : 0;
                ok += EventAttribution.Attribute(Index, in passthrough, out _, out _) == SkipReason.None ? 1 : 0;
                ok += EventAttribution.Attribute(Index, in byAuthority, out _, out _) == SkipReason.None ? 1 : 0;
                ok += EventAttribution.Attribute(Index, in fallback, out _, out _) == SkipReason.None ? 1 : 0;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.Equal(2 * 2000 * 5, ok);
    }
}
