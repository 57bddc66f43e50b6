using System.Net;
using LazyMesh.Mesh;

namespace LazyMesh.Tests.Mesh;

public sealed class IpKeyTests
{
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("fd00::1")]
    [InlineData("2001:db8::ff00:42:8329")]
    public void Parses_and_round_trips(string text)
    {
        Assert.True(IpKey.TryParse(text, out var key));
        Assert.Equal(IPAddress.Parse(text), key.ToIPAddress());
        Assert.Equal(IpKey.From(IPAddress.Parse(text)), key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.1.")]
    [InlineData("1000.0.0.1")]
    [InlineData("reviews")]
    [InlineData("-")]
    public void Rejects_non_addresses(string text) => Assert.False(IpKey.TryParse(text, out _));

    [Theory]
    [InlineData("10.0.0.1:9080", "10.0.0.1", 9080)]
    [InlineData("[fd00::1]:443", "fd00::1", 443)]
    [InlineData("10.0.0.1", "10.0.0.1", 0)]
    [InlineData("fd00::1", "fd00::1", 0)]
    public void Parses_endpoints(string text, string ip, int port)
    {
        Assert.True(IpKey.TryParseEndpoint(text, out var key, out var parsedPort));
        Assert.Equal(IPAddress.Parse(ip), key.ToIPAddress());
        Assert.Equal(port, parsedPort);
    }

    [Theory]
    [InlineData("10.0.0.1:99999")]
    [InlineData("10.0.0.1:")]
    [InlineData("[fd00::1]:x")]
    [InlineData("[fd00::1")]
    public void Rejects_bad_endpoints(string text) => Assert.False(IpKey.TryParseEndpoint(text, out _, out _));

    [Fact]
    public void Ipv4_mapped_v6_equals_v4() =>
        Assert.Equal(IpKey.From(IPAddress.Parse("10.1.2.3")), IpKey.From(IPAddress.Parse("::ffff:10.1.2.3")));
}
