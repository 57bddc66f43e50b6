using LazyMesh.Authorization;

namespace LazyMesh.Tests.Authorization;

/// <summary>
/// XFCC as Envoy writes it on an Istio sidecar's inbound (APPEND_FORWARD with Subject, URI, DNS: istio 1.28
/// pilot/pkg/networking/core/listener_inbound.go <c>buildSidecarInboundHTTPOpts</c>; Envoy conn_manager_utility.cc
/// <c>mutateXfccRequestHeader</c> appends after a comma).
/// </summary>
public sealed class ForwardedClientCertTests
{
    [Theory]
    [InlineData("By=spiffe://cluster.local/ns/x/sa/fb;Hash=ab12;Subject=\"\";URI=spiffe://cluster.local/ns/shop/sa/web", "shop", "web")]
    [InlineData("URI=spiffe://cluster.local/ns/evil/sa/forged;By=x,By=spiffe://cluster.local/ns/x/sa/fb;Hash=ab;Subject=\"CN=a, O=b\";URI=spiffe://cluster.local/ns/shop/sa/web;DNS=web", "shop", "web")]
    [InlineData("By=spiffe://td/ns/x/sa/fb;Subject=\"a,URI=spiffe://td/ns/evil/sa/x\";URI=spiffe://td/ns/shop/sa/web", "shop", "web")]
    public void The_last_element_names_the_peer(string header, string ns, string sa)
    {
        Assert.True(ForwardedClientCert.TryGetPeerIdentity(header, out var id));
        Assert.Equal((ns, sa), (id!.Namespace, id.ServiceAccount));
    }

    [Theory]
    [InlineData("")]
    [InlineData("By=spiffe://cluster.local/ns/x/sa/fb;Hash=ab;Subject=\"\";URI=")]
    [InlineData("URI=spiffe://cluster.local/ns/shop/sa/web,By=spiffe://cluster.local/ns/x/sa/fb;Hash=ab")]
    [InlineData("By=x;URI=spiffe://cluster.local/ns/shop/web")]
    [InlineData("By=x;URI=https://example.com/ns/shop/sa/web")]
    public void No_identity_without_a_valid_uri_in_the_last_element(string header) =>
        Assert.False(ForwardedClientCert.TryGetPeerIdentity(header, out _));

    [Fact]
    public void Spiffe_identity_round_trips() =>
        Assert.Equal("spiffe://td/ns/a/sa/b", SpiffeId.TryParse("spiffe://td/ns/a/sa/b", out var id) ? id!.Uri : null);
}
