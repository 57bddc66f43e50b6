using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using LazyMesh.AccessLogs;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using LazyMesh.Fallback;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using LazyMesh.Tests.Als;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Fallback.FallbackTestMesh;

namespace LazyMesh.Tests.Fallback;

public sealed class FallbackProxyTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Http11_call_is_forwarded_with_host_rewritten_lazymesh_headers_removed_and_body_intact()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var proxy = await StartProxyAsync(new() { [ShopReviewsIp] = upstream.Port });
        using var client = new HttpClient();
        var body = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{proxy.BoundEndPoint}/api/v1?x=1") { Content = new ByteArrayContent(body) };
        request.Headers.Host = "reviews:9080";
        request.Headers.Add(FallbackHeaderNames.SourceNamespace, "shop");
        request.Headers.Add(FallbackHeaderNames.SourceAddress, ShopCallerIp);
        request.Headers.Add("x-lazymesh-anything", "secret");
        request.Headers.Add("x-app", "kept");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("test", response.Headers.GetValues("x-upstream").Single());
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(await response.Content.ReadAsByteArrayAsync()));
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("reviews.shop.svc.cluster.local:9080", seen.Host);
        Assert.Equal(("POST", "/api/v1", "HTTP/1.1"), (seen.Method, seen.Path, seen.Protocol));
        Assert.Equal(body.Length, seen.BodyLength);
        Assert.Equal("kept", seen.Headers["x-app"]);
        Assert.Equal(["x-lazymesh-hop"], seen.Headers.Keys.Where(k => k.StartsWith("x-lazymesh-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Response_is_streamed_not_buffered()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var proxy = await StartProxyAsync(new() { [ShopReviewsIp] = upstream.Port });
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}/stream");
        request.Headers.Add(FallbackHeaderNames.OriginalDestination, ShopReviewsIp + ":9080");

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var first = new byte[5];
        await stream.ReadExactlyAsync(first);

        // The upstream writes "second" only after the client has read "first" through the proxy.
        Assert.Equal("first", Encoding.ASCII.GetString(first));
        upstream.ReleaseSecondChunk();
        Assert.Equal("second", await new StreamReader(stream).ReadToEndAsync());
    }

    [Fact]
    public async Task Grpc_client_streaming_call_over_h2c_goes_through_with_trailers()
    {
        var received = new RecordingSink();
        await using var grpcUpstream = new AlsServer(AnyLoopbackPort, new AlsServerOptions(), received);
        await grpcUpstream.StartAsync();
        await using var proxy = await StartProxyAsync(new() { [RatingsIp] = grpcUpstream.BoundEndPoint.Port });
        using var channel = GrpcChannel.ForAddress($"http://{proxy.BoundEndPoint}");
        var client = new AccessLogService.AccessLogServiceClient(channel);

        using var call = client.StreamAccessLogs(new Grpc.Core.Metadata { { FallbackHeaderNames.OriginalDestination, RatingsIp + ":7070" } });
        for (var i = 0; i < 3; i++)
        {
            await call.RequestStream.WriteAsync(AlsTestMessages.HttpMessage(
                i == 0 ? AlsTestMessages.Identifier(AlsTestMessages.SidecarNodeId) : null,
                AlsTestMessages.Http($"outbound|80||s{i}.ns.svc.cluster.local", $"s{i}", "10.1.2.3", "10.96.0.10", 80)));
        }

        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;

        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(3, received.Count);
        Assert.Equal(["s0", "s1", "s2"], received.Events.Select(e => e.Authority));
    }

    [Fact]
    public async Task Websocket_upgrade_is_forwarded()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var proxy = await StartProxyAsync(new() { [ShopReviewsIp] = upstream.Port });
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(FallbackHeaderNames.OriginalDestination, ShopReviewsIp + ":9080");

        await socket.ConnectAsync(new Uri($"ws://{proxy.BoundEndPoint}/ws"), CancellationToken.None);
        await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, result.Count));
        Assert.Equal("reviews.shop.svc.cluster.local:9080", Assert.Single(upstream.Requests).Host);
    }

    [Fact]
    public async Task Unknown_destination_gets_502_with_the_reason()
    {
        await using var proxy = await StartProxyAsync([]);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}/");
        request.Headers.Host = "nosuch:9080";
        request.Headers.Add(FallbackHeaderNames.SourceNamespace, "shop");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("lazymesh-fallback: Host \"nosuch:9080\" names no mesh service from namespace shop\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, proxy.Metrics.RequestsUnresolved.Value);
    }

    [Fact]
    public async Task Loops_are_refused_with_508()
    {
        await using var proxy = await StartProxyAsync([]);
        using var client = new HttpClient();

        // 1. The request already passed through a fallback.
        using var hop = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}/");
        hop.Headers.Add(FallbackHeaderNames.Hop, "1");
        hop.Headers.Add(FallbackHeaderNames.OriginalDestination, ShopReviewsIp + ":9080");
        using var hopResponse = await client.SendAsync(hop);

        // 2. The destination is the fallback's own Service.
        using var self = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}/");
        self.Headers.Add(FallbackHeaderNames.OriginalDestination, FallbackIp + ":9080");
        using var selfResponse = await client.SendAsync(self);

        Assert.Equal((HttpStatusCode)508, hopResponse.StatusCode);
        Assert.Contains("loop detected", await hopResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)508, selfResponse.StatusCode);
        Assert.Contains("is the fallback itself", await selfResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, proxy.Metrics.RequestsLoop.Value);
    }

    [Fact]
    public async Task A_destination_resolving_to_the_proxys_own_address_is_refused()
    {
        var holder = new MeshIndexHolder(Build());
        var selfResolver = new SelfResolver();
        await using var proxy = new FallbackProxy(holder, Options(), selfResolver);
        await proxy.StartAsync();
        selfResolver.Port = proxy.BoundEndPoint.Port;
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}/");
        request.Headers.Add(FallbackHeaderNames.OriginalDestination, ShopReviewsIp + ":9080");

        using var response = await client.SendAsync(request);

        Assert.Equal((HttpStatusCode)508, response.StatusCode);
        Assert.Contains("fallback's own address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_readiness_and_metrics_are_served_on_the_admin_port_only()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var proxy = await StartProxyAsync(new() { [ShopReviewsIp] = upstream.Port });
        using var client = new HttpClient();
        using var call = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}/healthz");
        call.Headers.Add(FallbackHeaderNames.OriginalDestination, ShopReviewsIp + ":9080");
        (await client.SendAsync(call)).Dispose();
        using var unknown = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}/");
        unknown.Headers.Host = "nosuch";
        (await client.SendAsync(unknown)).Dispose();

        var admin = $"http://{proxy.AdminEndPoint}";
        Assert.Equal("ok\n", await client.GetStringAsync(admin + "/healthz"));
        Assert.StartsWith("ready", await client.GetStringAsync(admin + "/readyz"), StringComparison.Ordinal);
        var metrics = await client.GetStringAsync(admin + "/metrics");

        // /healthz on the proxy port is a call like any other: it went to the upstream.
        Assert.Equal("/healthz", Assert.Single(upstream.Requests).Path);
        // Counted before the 502 is written, so deterministic here (a forwarded call is counted after its response ends).
        Assert.Contains("lazymesh_fallback_requests_total{result=\"unresolved\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("component=\"fallback\"", metrics, StringComparison.Ordinal);
        Assert.Matches("process_working_set_bytes [1-9]", metrics);
        Assert.Contains("lazymesh_fallback_forward_duration_seconds_bucket{le=\"0.00025\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("lazymesh_fallback_reports_sent_total 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forwarded_calls_are_reported_once_per_caller_and_destination_per_batch()
    {
        var controller = new RecordingSink();
        await using var als = new AlsServer(AnyLoopbackPort, new AlsServerOptions(), controller);
        await als.StartAsync();
        await using var upstream = await TestUpstream.StartAsync();
        var metrics = new FallbackMetrics();
        await using var reporter = new FallbackReporter(new Uri($"http://{als.BoundEndPoint}"), new FallbackReporterOptions { NodeId = "lazymesh-fallback~test" }, metrics);
        await using var proxy = await StartProxyAsync(new() { [ShopReviewsIp] = upstream.Port, [RatingsIp] = upstream.Port }, reporter, metrics);
        using var client = new HttpClient();

        async Task CallAsync(string caller, string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{proxy.BoundEndPoint}/");
            request.Headers.Host = host;
            request.Headers.Add(FallbackHeaderNames.SourceAddress, caller);
            request.Headers.Add("x-forwarded-client-cert", Xfcc(caller == ShopCallerIp ? "shop" : "other"));
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        for (var i = 0; i < 5; i++)
        {
            await CallAsync(ShopCallerIp, "reviews:9080");
            await CallAsync(OtherCallerIp, "ratings:9080");
        }

        await CallAsync(ShopCallerIp, "ratings.other:9080");
        Assert.Equal(3, await reporter.FlushAsync());
        await controller.WaitForCountAsync(3);

        await CallAsync(ShopCallerIp, "reviews:9080");
        Assert.Equal(1, await reporter.FlushAsync());
        await controller.WaitForCountAsync(4);

        Assert.Equal(
            [
                new RecordedEvent(AccessProtocol.Http, "outbound|9080||ratings.other.svc.cluster.local", "ratings.other:9080", ShopCallerIp, string.Empty, 0, 0, string.Empty, true),
                new RecordedEvent(AccessProtocol.Http, "outbound|9080||ratings.other.svc.cluster.local", "ratings:9080", OtherCallerIp, string.Empty, 0, 0, string.Empty, true),
                new RecordedEvent(AccessProtocol.Http, "outbound|9080||reviews.shop.svc.cluster.local", "reviews:9080", ShopCallerIp, string.Empty, 0, 0, string.Empty, true),
            ],
            controller.Events.Take(3).Select(e => e with { StartTimeUnixMs = 0 }).OrderBy(e => e.UpstreamCluster, StringComparer.Ordinal).ThenBy(e => e.SourceAddress, StringComparer.Ordinal));
        Assert.Equal("outbound|9080||reviews.shop.svc.cluster.local", controller.Events.Last().UpstreamCluster);
        Assert.All(controller.Events, e => Assert.True(e.StartTimeUnixMs > 0));
        Assert.Equal((4, 0L), (reporter.Sent, reporter.Dropped));
        Assert.Equal(4, metrics.ReportsSent.Value);
        Assert.Equal(1, als.Stats.StreamsOpened);
    }

    private static async Task<FallbackProxy> StartProxyAsync(Dictionary<string, int> upstreams, FallbackReporter? reporter = null, FallbackMetrics? metrics = null)
    {
        var proxy = new FallbackProxy(new MeshIndexHolder(Build()), Options(), new LoopbackUpstreamResolver(upstreams), reporter, metrics);
        await proxy.StartAsync();
        return proxy;
    }

    private static FallbackProxyOptions Options() => new() { Listen = AnyLoopbackPort, AdminListen = AnyLoopbackPort, ActivityTimeout = TimeSpan.FromSeconds(30) };

    private sealed class SelfResolver : IUpstreamResolver
    {
        public int Port { get; set; }

        public (string Host, int Port) Resolve(FallbackDestination destination) => ("127.0.0.1", Port);
    }
}
