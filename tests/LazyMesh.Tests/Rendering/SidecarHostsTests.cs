using LazyMesh.Rendering;

namespace LazyMesh.Tests.Rendering;

public sealed class SidecarHostsTests
{
    [Theory]
    [InlineData("istio-system/*")]
    [InlineData("*/*")]
    [InlineData("./*")]
    [InlineData("~/*")]
    [InlineData("default/reviews.default.svc.cluster.local")]
    [InlineData("default/reviews.default.svc.cluster.local.")]
    [InlineData("external/*.example.com")]
    [InlineData("*/API.Example.com")]
    [InlineData("ns-1/a-b.c9")]
    public void Accepts_valid_hosts(string host) => Assert.Null(SidecarHosts.Validate(host));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("reviews.default.svc.cluster.local", "namespace/dnsName")]
    [InlineData("/reviews.default.svc.cluster.local", "empty")]
    [InlineData("default/", "empty")]
    [InlineData("Default/a.b", "namespace \"Default\"")]
    [InlineData("my_ns/a.b", "namespace \"my_ns\"")]
    [InlineData("default/reviews", "short name")]
    [InlineData("default/*foo.example.com", "wildcard")]
    [InlineData("default/foo.*.example.com", "wildcard")]
    [InlineData("default/a..b", "invalid label")]
    [InlineData("default/-a.b", "invalid label")]
    [InlineData("default/a.b/c", "invalid label")]
    [InlineData("default/10.0.0.1", "all-numeric")]
    [InlineData("default/a_b.example.com", "invalid label")]
    public void Rejects_invalid_hosts_with_a_reason(string host, string reason)
    {
        var error = SidecarHosts.Validate(host);

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(SidecarHosts.IsValid(host));
    }

    [Fact]
    public void Rejects_over_long_dns_names()
    {
        var label = new string('a', 63);
        var dnsName = string.Join('.', label, label, label, label, "com");

        Assert.Contains("longer than 255", SidecarHosts.Validate("default/" + dnsName), StringComparison.Ordinal);
        Assert.Contains("invalid label", SidecarHosts.Validate("default/" + new string('a', 64) + ".com"), StringComparison.Ordinal);
    }
}
