using System.Net;
using Grpc.Core;
using LazyMesh.Als;
using LazyMesh.Fallback;
using LazyMesh.Tests.Als;
using LazyMesh.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static LazyMesh.Tests.Fallback.FallbackTestMesh;

namespace LazyMesh.Tests.Fallback;

public sealed class FallbackReporterTests
{
    private static readonly FallbackDestination Reviews = new(
        Build().FindByHost("reviews.shop.svc.cluster.local")!, 9080, ShopReviewsIp, 9080, "reviews.shop.svc.cluster.local:9080", "outbound|9080||reviews.shop.svc.cluster.local");

    [Fact]
    public async Task A_failed_stream_keeps_the_batch_backs_off_and_reconnects()
    {
        // A port with nothing listening: start a server to get a free port, then stop it.
        int port;
        await using (var probe = new AlsServer(new IPEndPoint(IPAddress.Loopback, 0), new AlsServerOptions(), new RecordingSink()))
        {
            await probe.StartAsync();
            port = probe.BoundEndPoint.Port;
        }

        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var options = new FallbackReporterOptions { TimeProvider = time, InitialBackoff = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        await using var reporter = new FallbackReporter(new Uri($"http://127.0.0.1:{port}"), options);
        reporter.Report(ShopCallerIp, Reviews, "reviews:9080", ShopReviewsIp + ":9080", 200);

        Assert.Equal(0, await reporter.FlushAsync());
        Assert.Equal(1, reporter.StreamFailures);
        Assert.Equal(0, await reporter.FlushAsync());
        Assert.Equal(1, reporter.StreamFailures);

        var controller = new RecordingSink();
        await using var server = new AlsServer(new IPEndPoint(IPAddress.Loopback, port), new AlsServerOptions(), controller);
        await server.StartAsync();
        time.Advance(TimeSpan.FromSeconds(1));

        // The channel may still be in its own reconnect backoff: give the connect the time that takes.
        options.ConnectTimeout = TimeSpan.FromSeconds(30);

        Assert.Equal(1, await reporter.FlushAsync());
        await controller.WaitForCountAsync(1);
        var e = Assert.Single(controller.Events);
        Assert.Equal((ShopCallerIp, ShopReviewsIp, 9080, "reviews:9080", true), (e.SourceAddress, e.OriginalDestinationAddress, e.OriginalDestinationPort, e.Authority, e.ViaFallback));
        Assert.Equal(time.GetUtcNow().AddSeconds(-1).ToUnixTimeMilliseconds(), e.StartTimeUnixMs);
    }

    [Fact]
    public async Task A_stream_the_controller_refuses_is_counted_and_logged_with_the_controllers_status()
    {
        var controller = new RecordingSink();
        await using var server = new AlsServer(new IPEndPoint(IPAddress.Loopback, 0), new AlsServerOptions { AllowedSenders = [IPNetwork.Parse("10.0.0.0/8")] }, controller);
        await server.StartAsync();
        using var metrics = new FallbackMetrics();
        using var logs = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var options = new FallbackReporterOptions { TimeProvider = time, ConnectTimeout = TimeSpan.FromSeconds(30) };
        var reporter = new FallbackReporter(new Uri($"http://{server.BoundEndPoint}"), options, metrics, loggerFactory);
        reporter.Report(ShopCallerIp, Reviews, "reviews:9080", ShopReviewsIp + ":9080", 200);

        // The server ends the call without reading (127.0.0.1 is not an allowed sender): the write either fails, and
        // raises the server's status instead of the transport's, or is buffered before the answer arrives, and the
        // stream's status is read when it is completed at dispose. Either way: one failure, PermissionDenied.
        await reporter.FlushAsync();
        await reporter.DisposeAsync();

        Assert.Equal(1, reporter.StreamFailures);
        Assert.Equal(1, metrics.ReportStreamFailures(StatusCode.PermissionDenied));
        Assert.Equal(0, metrics.ReportStreamFailures(StatusCode.Cancelled));
        Assert.Equal(0, metrics.ReportStreamFailures(null));
        var text = await metrics.ScrapeAsync();
        Assert.Contains("lazymesh_fallback_report_stream_failures_total{status=\"permission_denied\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("lazymesh_fallback_report_stream_failures_total{status=\"transport\"} 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("status=\"cancelled\"", text, StringComparison.Ordinal);
        Assert.Contains(logs.Messages, m => m.Contains("with permission_denied", StringComparison.Ordinal));
        Assert.Equal(1, server.Stats.RejectedNotAllowed);
        Assert.Empty(controller.Events);
    }

    [Fact]
    public async Task Pending_reports_are_bounded_and_drops_counted()
    {
        await using var reporter = new FallbackReporter(new Uri("http://127.0.0.1:9"), new FallbackReporterOptions { MaxPending = 2, ConnectTimeout = TimeSpan.FromMilliseconds(100) });

        reporter.Report("10.1.0.1", Reviews, "reviews", null, 200);
        reporter.Report("10.1.0.1", Reviews, "reviews", null, 200);
        reporter.Report("10.1.0.2", Reviews, "reviews", null, 200);
        reporter.Report("10.1.0.3", Reviews, "reviews", null, 200);
        reporter.Report("10.1.0.4", Reviews, "reviews", null, 200);

        Assert.Equal(2, reporter.Dropped);
    }
}
