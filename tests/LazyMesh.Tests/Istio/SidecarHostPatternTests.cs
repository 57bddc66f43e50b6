using LazyMesh.Istio;

namespace LazyMesh.Tests.Istio;

public sealed class SidecarHostPatternTests
{
    [Theory]
    [InlineData("*/*", "web", "shop", "cart.shop.svc.cluster.local", true)]
    [InlineData("shop/*", "web", "shop", "cart.shop.svc.cluster.local", true)]
    [InlineData("shop/*", "web", "other", "cart.other.svc.cluster.local", false)]
    [InlineData("./*", "shop", "shop", "cart.shop.svc.cluster.local", true)]
    [InlineData("./*", "web", "shop", "cart.shop.svc.cluster.local", false)]
    [InlineData("~/*", "web", "shop", "cart.shop.svc.cluster.local", false)]
    [InlineData("shop/cart.shop.svc.cluster.local", "web", "shop", "cart.shop.svc.cluster.local", true)]
    [InlineData("shop/CART.shop.svc.cluster.local", "web", "shop", "cart.shop.svc.cluster.local", true)]
    [InlineData("shop/cart.shop.svc.cluster.local", "web", "shop", "carts.shop.svc.cluster.local", false)]
    [InlineData("ext/*.example.com", "web", "ext", "api.example.com", true)]
    [InlineData("ext/*.example.com", "web", "ext", "*.example.com", true)]
    [InlineData("ext/*.example.com", "web", "ext", "example.com", false)]
    [InlineData("*/api.example.com", "web", "ext", "api.example.com", true)]
    public void Matches_like_istio(string entry, string sidecarNs, string hostNs, string host, bool expected)
    {
        Assert.True(SidecarHostPattern.TryParse(entry, out var pattern, out _));
        Assert.Equal(expected, pattern.Matches(sidecarNs, hostNs, host));
    }

    [Theory]
    [InlineData("reviews")]
    [InlineData("/reviews")]
    [InlineData("ns/")]
    [InlineData("a/b/c")]
    public void Rejects_malformed_entries(string entry)
    {
        Assert.False(SidecarHostPattern.TryParse(entry, out _, out var error));
        Assert.Contains(entry, error);
    }

    [Fact]
    public void A_sidecar_without_egress_imports_everything_and_bad_entries_are_skipped()
    {
        var none = new SidecarResource();
        var everything = Assert.Single(SidecarHostPattern.EgressOf(none));
        Assert.True(everything.Matches("web", "any", "x.any.svc.cluster.local"));

        var scoped = new SidecarResource
        {
            Spec = new SidecarSpec { Egress = [new IstioEgressListener { Hosts = ["shop/*", "not-a-host"] }, new IstioEgressListener { Hosts = ["./*"] }] },
        };
        var patterns = SidecarHostPattern.EgressOf(scoped);
        Assert.Equal(["shop/*", "./*"], patterns.Select(p => p.ToString()));
        Assert.DoesNotContain(patterns, p => p.Matches("web", "other", "x.other.svc.cluster.local"));
    }
}
