using System.Net;
using System.Net.Sockets;
using System.Text;
using LazyMesh.Als;
using LazyMesh.Fallback;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using LazyMesh.Tests.Mesh;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Fallback.FallbackTestMesh;

namespace LazyMesh.Tests.Fallback;

/// <summary>Issue 11 items 2, 3, 4 and 7 at the fallback: identity from the mesh, destination authorization, only declared destinations, bounded connections.</summary>
public sealed class FallbackTrustTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_source_ip_consistent_with_the_certificate_is_learned_a_forged_one_is_served_but_not()
    {
        var controller = new RecordingSink();
        await using var als = new AlsServer(AnyLoopbackPort, new AlsServerOptions(), controller);
        await als.StartAsync();
        await using var upstream = await TestUpstream.StartAsync();
        var metrics = new FallbackMetrics();
        await using var reporter = new FallbackReporter(new Uri($"http://{als.BoundEndPoint}"), new FallbackReporterOptions { NodeId = "lazymesh-fallback~test" }, metrics);
        await using var proxy = await StartAsync(Build(), new() { [ShopReviewsIp] = upstream.Port }, reporter: reporter, metrics: metrics);
        using var client = new HttpClient();

        // shop/default claims to be the pod of other/default: served, not learned.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, proxy, "reviews.shop:9080", OtherCallerIp, Xfcc("shop")));

        // An earlier XFCC element is the caller's own text; only the last one (the sidecar's) counts.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, proxy, "reviews.shop:9080", OtherCallerIp, $"URI=spiffe://cluster.local/ns/other/sa/default,{Xfcc("shop")}"));

        // No certificate at all (plaintext to the fallback's sidecar): served, not learned.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, proxy, "reviews.shop:9080", ShopCallerIp, null));

        // A claimed source that is no pod.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, proxy, "reviews.shop:9080", "10.200.0.1", Xfcc("shop")));
        Assert.Equal(0, await reporter.FlushAsync());
        Assert.Equal(2, metrics.UnverifiedCalls("source_mismatch").Value);
        Assert.Equal(1, metrics.UnverifiedCalls("no_identity").Value);
        Assert.Equal(1, metrics.UnverifiedCalls("unknown_source").Value);

        // The real caller, consistent with its certificate: learned.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, proxy, "reviews:9080", ShopCallerIp, Xfcc("shop")));
        Assert.Equal(1, await reporter.FlushAsync());
        await controller.WaitForCountAsync(1);
        Assert.Equal(ShopCallerIp, Assert.Single(controller.Events).SourceAddress);
        Assert.Equal(5, upstream.Requests.Count);
    }

    [Fact]
    public async Task The_trust_source_header_escape_hatch_learns_without_a_certificate()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var metrics = new FallbackMetrics();
        await using var reporter = new FallbackReporter(new Uri("http://127.0.0.1:9"), new FallbackReporterOptions(), metrics);
        await using var proxy = await StartAsync(Build(), new() { [ShopReviewsIp] = upstream.Port }, o => o.CallerIdentity = FallbackCallerIdentity.SourceHeader, reporter, metrics);
        using var client = new HttpClient();

        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, proxy, "reviews.shop:9080", OtherCallerIp, null));
        Assert.Equal(0, metrics.UnverifiedCalls("no_identity").Value);
    }

    [Fact]
    public async Task The_destinations_authorization_policies_are_enforced_for_the_real_caller_with_envoys_403()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var metrics = new FallbackMetrics();
        var mesh = Build(
            MeshYaml.Pod("reviews-1", "10.1.0.20", ns: "shop", labels: "{app: reviews}", serviceAccount: "reviews"),
            MeshYaml.AuthorizationPolicy("reviews-allow", "shop", "{selector: {matchLabels: {app: reviews}}, rules: [{from: [{source: {principals: [cluster.local/ns/other/sa/default]}}]}]}"),
            MeshYaml.AuthorizationPolicy("deny-admin", "istio-system", "{action: DENY, rules: [{to: [{operation: {paths: [\"/admin/*\"]}}]}]}"));
        await using var proxy = await StartAsync(mesh, new() { [ShopReviewsIp] = upstream.Port }, metrics: metrics);
        using var client = new HttpClient();

        using var denied = await SendAsync(client, proxy, "reviews.shop:9080", ShopCallerIp, Xfcc("shop"), "/");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("RBAC: access denied", await denied.Content.ReadAsStringAsync());
        Assert.Empty(upstream.Requests);

        using var allowed = await SendAsync(client, proxy, "reviews.shop:9080", OtherCallerIp, Xfcc("other"), "/");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        // The mesh-wide DENY in the root namespace wins over the ALLOW.
        using var admin = await SendAsync(client, proxy, "reviews.shop:9080", OtherCallerIp, Xfcc("other"), "/admin/users");
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);

        // Without a certificate there is no principal, as for a plaintext call: the ALLOW does not match.
        using var plaintext = await SendAsync(client, proxy, "reviews.shop:9080", OtherCallerIp, null, "/");
        Assert.Equal(HttpStatusCode.Forbidden, plaintext.StatusCode);
        Assert.Single(upstream.Requests);
        Assert.Equal(3, metrics.RequestsDenied.Value);
    }

    [Theory]
    [InlineData("localhost:9090", "has no port 9090")]
    [InlineData("localhost:8081", "has no port 8081")]
    [InlineData("localhost:80", "not a mesh destination")]
    [InlineData("api.example.com:8443", "has no port 8443")]
    [InlineData("db.other:9999", "has no port 9999")]
    public async Task Only_declared_ports_of_mesh_destinations_are_forwarded(string host, string reason)
    {
        var metrics = new FallbackMetrics();
        var mesh = Build(MeshYaml.ServiceEntry("local", "[localhost]", ns: "shop", ports: "[{number: 80, name: http, protocol: HTTP}]"));
        await using var proxy = await StartAsync(mesh, [], metrics: metrics);
        using var client = new HttpClient();

        using var response = await SendAsync(client, proxy, host, ShopCallerIp, Xfcc("shop"), "/metrics");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, metrics.RequestsForwarded.Value);
    }

    [Fact]
    public async Task Headers_named_in_connection_are_not_forwarded()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var proxy = await StartAsync(Build(), new() { [ShopReviewsIp] = upstream.Port });
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}/");
        request.Headers.Host = "reviews.shop:9080";
        request.Headers.Connection.Add("x-hop-secret");
        request.Headers.Add("x-hop-secret", "1");
        request.Headers.Add("x-end-to-end", "2");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(upstream.Requests);
        Assert.False(seen.Headers.ContainsKey("x-hop-secret"));
        Assert.Equal("2", seen.Headers["x-end-to-end"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("PRI * HTTP/2.0\r\n")]
    public async Task A_silent_or_half_sent_first_read_is_closed_after_the_timeout(string sent)
    {
        var metrics = new FallbackMetrics();
        await using var proxy = await StartAsync(Build(), [], o => o.FirstReadTimeout = TimeSpan.FromMilliseconds(200), metrics: metrics);
        using var socket = new TcpClient();
        await socket.ConnectAsync(proxy.BoundEndPoint);
        var stream = socket.GetStream();
        if (sent.Length > 0)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(sent));
        }

        Assert.True(await ClosedAsync(stream));
        Assert.Equal(1, metrics.FirstReadTimeouts.Value);
    }

    [Fact]
    public async Task Connections_beyond_the_limit_are_closed()
    {
        await using var proxy = await StartAsync(Build(), [], o => o.MaxConnections = 2);
        using var first = new TcpClient();
        using var second = new TcpClient();
        using var third = new TcpClient();
        await first.ConnectAsync(proxy.BoundEndPoint);
        await second.ConnectAsync(proxy.BoundEndPoint);
        await third.ConnectAsync(proxy.BoundEndPoint);

        Assert.True(await ClosedAsync(third.GetStream()));

        // The first two are still served.
        var stream = first.GetStream();
        await stream.WriteAsync("GET /x HTTP/1.1\r\nHost: nowhere.invalid\r\n\r\n"u8.ToArray());
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound);
        Assert.StartsWith("HTTP/1.1 502", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    /// <summary>True once the server closed or reset the connection; fails the test after <see cref="Bound"/>.</summary>
    private static async Task<bool> ClosedAsync(NetworkStream stream)
    {
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, FallbackProxy proxy, string host, string sourceIp, string? xfcc)
    {
        using var response = await SendAsync(client, proxy, host, sourceIp, xfcc, "/");
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, FallbackProxy proxy, string host, string sourceIp, string? xfcc, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}{path}");
        request.Headers.Host = host;
        request.Headers.Add(FallbackHeaderNames.SourceAddress, sourceIp);
        if (xfcc is not null)
        {
            request.Headers.Add("x-forwarded-client-cert", xfcc);
        }

        return client.SendAsync(request);
    }

    private static async Task<FallbackProxy> StartAsync(
        MeshIndex mesh,
        Dictionary<string, int> upstreams,
        Action<FallbackProxyOptions>? configure = null,
        FallbackReporter? reporter = null,
        FallbackMetrics? metrics = null)
    {
        var options = new FallbackProxyOptions { Listen = AnyLoopbackPort, AdminListen = AnyLoopbackPort, ActivityTimeout = TimeSpan.FromSeconds(30) };
        configure?.Invoke(options);
        var proxy = new FallbackProxy(new MeshIndexHolder(mesh), options, new LoopbackUpstreamResolver(upstreams), reporter, metrics);
        await proxy.StartAsync();
        return proxy;
    }
}
