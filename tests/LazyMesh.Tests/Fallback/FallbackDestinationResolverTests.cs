using System.Net;
using LazyMesh.Fallback;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using static LazyMesh.Tests.Fallback.FallbackTestMesh;

namespace LazyMesh.Tests.Fallback;

public sealed class FallbackDestinationResolverTests
{
    private static readonly MeshIndex Index = Build();

    [Fact]
    public void Original_destination_wins_over_the_host()
    {
        var destination = Resolve(new FallbackRequest("reviews:9080", OtherReviewsIp + ":9080", ShopCallerIp, "shop", null));

        Assert.Equal(("reviews.other.svc.cluster.local", OtherReviewsIp, 9080), (destination.Service.Host, destination.UpstreamHost, destination.UpstreamPort));
        Assert.Equal("reviews.other.svc.cluster.local:9080", destination.HostHeader);
        Assert.Equal("outbound|9080||reviews.other.svc.cluster.local", destination.Cluster);
    }

    [Fact]
    public void An_original_destination_outside_the_mesh_falls_back_to_the_host() =>
        Assert.Equal("reviews.shop.svc.cluster.local", Resolve(new FallbackRequest("reviews:9080", "93.184.216.34:9080", null, "shop", null)).Service.Host);

    [Theory]
    [InlineData("shop", null, null, "reviews.shop.svc.cluster.local")]
    [InlineData("other", ShopCallerIp, ShopCallerIp, "reviews.other.svc.cluster.local")]
    [InlineData(null, OtherCallerIp, ShopCallerIp, "reviews.other.svc.cluster.local")]
    [InlineData(null, ShopCallerIp, OtherCallerIp, "reviews.shop.svc.cluster.local")]
    [InlineData(null, null, OtherCallerIp, "reviews.other.svc.cluster.local")]
    [InlineData(null, "10.9.9.9", ShopCallerIp, "reviews.shop.svc.cluster.local")]
    public void Host_is_resolved_in_the_namespace_from_header_then_source_ip_then_remote_ip(string? sourceNamespace, string? sourceIp, string? remoteIp, string expected)
    {
        var request = new FallbackRequest("reviews:9080", null, sourceIp, sourceNamespace, remoteIp is null ? null : IPAddress.Parse(remoteIp));

        Assert.Equal(expected, Resolve(request).Service.Host);
    }

    [Fact]
    public void Without_a_port_in_the_host_the_original_port_then_80_is_used()
    {
        Assert.Equal(7070, Resolve(new FallbackRequest("ratings.other", "10.9.9.9:7070", null, null, null)).Port);
        var error = FallbackDestinationResolver.Resolve(Index, new FallbackRequest("ratings.other", null, null, null, null), FallbackRoutingOptions.Default);
        Assert.Equal((502, "service ratings.other.svc.cluster.local has no port 80"), (error.StatusCode, error.Error));
    }

    [Fact]
    public void Headless_services_go_by_dns_name_or_the_pod_ip()
    {
        var byName = Resolve(new FallbackRequest("db.other:8081", null, null, null, null));
        Assert.Equal(("db.other.svc.cluster.local", 8081, "db.other.svc.cluster.local:8081"), (byName.UpstreamHost, byName.UpstreamPort, byName.HostHeader));

        var byPod = Resolve(new FallbackRequest("db-0.db.other:8081", "10.1.0.9:8081", null, null, null));
        Assert.Equal(("10.1.0.9", 8081, "db.other.svc.cluster.local:8081"), (byPod.UpstreamHost, byPod.UpstreamPort, byPod.HostHeader));
    }

    [Fact]
    public void Service_entry_hosts_are_used_as_they_are()
    {
        var destination = Resolve(new FallbackRequest("api.example.com", null, null, "shop", null));

        Assert.Equal(("api.example.com", 80, "api.example.com", "outbound|80||api.example.com"), (destination.UpstreamHost, destination.UpstreamPort, destination.HostHeader, destination.Cluster));
    }

    [Fact]
    public void Unresolvable_calls_say_why()
    {
        var noHost = FallbackDestinationResolver.Resolve(Index, new FallbackRequest(null, null, null, null, null), FallbackRoutingOptions.Default);
        var unknown = FallbackDestinationResolver.Resolve(Index, new FallbackRequest("nosuch", "10.9.9.9:80", null, null, null), FallbackRoutingOptions.Default);

        Assert.Equal((502, "the request has neither an original destination nor a Host"), (noHost.StatusCode, noHost.Error));
        Assert.Equal((502, "no mesh service at the original destination 10.9.9.9:80, and Host \"nosuch\" names no mesh service (caller's namespace unknown)"), (unknown.StatusCode, unknown.Error));
    }

    [Fact]
    public void The_fallback_itself_is_a_loop()
    {
        var result = FallbackDestinationResolver.Resolve(Index, new FallbackRequest("lazymesh-fallback.lazymesh-system:9080", null, null, "shop", null), FallbackRoutingOptions.Default);

        Assert.Equal(508, result.StatusCode);
    }

    [Fact]
    public void The_caller_is_the_source_ip_header_else_the_remote_address()
    {
        Assert.Equal(ShopCallerIp, FallbackDestinationResolver.CallerAddress(new FallbackRequest(null, null, ShopCallerIp, null, IPAddress.Loopback)));
        Assert.Equal("127.0.0.6", FallbackDestinationResolver.CallerAddress(new FallbackRequest(null, null, null, null, IPAddress.Parse("127.0.0.6").MapToIPv6())));
    }

    private static FallbackDestination Resolve(FallbackRequest request)
    {
        var result = FallbackDestinationResolver.Resolve(Index, request, FallbackRoutingOptions.Default);
        Assert.True(result.Succeeded, result.Error);
        return result.Destination!;
    }
}
