using System.Diagnostics;
using System.Globalization;
using System.Net;
using LazyMesh.BenchShared;
using LazyMesh.Fallback;
using LazyMesh.Inventory;
using LazyMesh.Load;
using LazyMesh.Mesh;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// client -> fallback -> server vs client -> server (and vs the fallback without identity and authorization checks), in one
// process on 127.0.0.1:
// 1. open loop: all paths side by side at --rate requests/s each for --duration s (keep-alive), latency percentiles;
// 2. closed loop: --concurrency workers for --max-duration s, the highest sustained requests/s through the fallback (and direct).
var rate = Arg("--rate", 2000);
var duration = Arg("--duration", 10);
var concurrency = Arg("--concurrency", 64);
var maxDuration = Arg("--max-duration", 5);

var upstream = await StartUpstreamAsync();
var upstreamPort = new Uri(upstream.Urls.First()).Port;

// The service's ClusterIP is 127.0.0.1, so the fallback's default resolver (ClusterIP:port) reaches the local server
// (loopback destinations allowed for that reason only). The fallback verifies the caller's certificate (XFCC) against
// the pod at its source IP and evaluates echo's policies for every call (FallbackBenchMesh).
var inventory = FallbackBenchMesh.Inventory("127.0.0.1", upstreamPort);
var index = MeshIndexBuilder.Build(InventoryLoader.LoadText(inventory), MeshOptions.Default);
await using var proxy = new FallbackProxy(
    new MeshIndexHolder(index),
    new FallbackProxyOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), AdminListen = new IPEndPoint(IPAddress.Loopback, 0), AllowLoopbackDestinations = true });
await proxy.StartAsync();

// The same fallback without the checks (source header believed, no AuthorizationPolicy evaluation): what the checks cost.
await using var noChecks = new FallbackProxy(
    new MeshIndexHolder(index),
    new FallbackProxyOptions
    {
        Listen = new IPEndPoint(IPAddress.Loopback, 0),
        AdminListen = new IPEndPoint(IPAddress.Loopback, 0),
        AllowLoopbackDestinations = true,
        CallerIdentity = FallbackCallerIdentity.SourceHeader,
        EnforceAuthorization = false,
    });
await noChecks.StartAsync();

var direct = new Target("direct", $"http://127.0.0.1:{upstreamPort}/", null);
var viaFallback = new Target("via fallback", $"http://{proxy.BoundEndPoint}/", $"echo.bench:{upstreamPort}");
var viaUnchecked = new Target("no checks", $"http://{noChecks.BoundEndPoint}/", $"echo.bench:{upstreamPort}");
foreach (var target in new[] { viaFallback, viaUnchecked })
{
    target.Client.DefaultRequestHeaders.TryAddWithoutValidation("x-forwarded-client-cert", FallbackBenchMesh.Xfcc);
    target.Client.DefaultRequestHeaders.TryAddWithoutValidation("x-lazymesh-source-ip", FallbackBenchMesh.CallerIp);
}

Console.WriteLine($"upstream 127.0.0.1:{upstreamPort}, fallback {proxy.BoundEndPoint} (XFCC identity + AuthorizationPolicies), "
    + $"fallback without checks {noChecks.BoundEndPoint}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Target[] targets = [direct, viaFallback, viaUnchecked];

// Warm-up: JIT, connection pools.
await ClosedLoopAsync(targets, 16, TimeSpan.FromSeconds(2));

Console.WriteLine($"\nOpen loop, {rate} req/s per path for {duration} s, side by side (latency from send to full response):");
var recorders = await OpenLoopAsync(targets, rate, TimeSpan.FromSeconds(duration));
double[] ps = [50, 90, 99, 99.9, 100];
Console.WriteLine($"{"path",-14}{"requests",10}{"failed",8}{"p50 ms",9}{"p90 ms",9}{"p99 ms",9}{"p99.9 ms",10}{"max ms",9}");
var results = recorders.Select(r => r.Percentiles(ps)).ToArray();
for (var i = 0; i < recorders.Length; i++)
{
    var r = results[i];
    Console.WriteLine($"{targets[i].Name,-14}{recorders[i].Count,10}{recorders[i].Failures,8}{r[0],9:0.000}{r[1],9:0.000}{r[2],9:0.000}{r[3],10:0.000}{r[4],9:0.000}");
}

Console.WriteLine($"added by the fallback with checks: p50 {results[1][0] - results[0][0]:0.000} ms, p90 {results[1][1] - results[0][1]:0.000} ms, p99 {results[1][2] - results[0][2]:0.000} ms");
Console.WriteLine($"added by the checks alone:        p50 {results[1][0] - results[2][0]:0.000} ms, p90 {results[1][1] - results[2][1]:0.000} ms, p99 {results[1][2] - results[2][2]:0.000} ms");

Console.WriteLine($"\nClosed loop, {concurrency} concurrent keep-alive requests for {maxDuration} s (max sustained throughput):");
foreach (var target in new[] { viaFallback, viaUnchecked, direct })
{
    var (count, failed, elapsed) = await ClosedLoopAsync([target], concurrency, TimeSpan.FromSeconds(maxDuration));
    Console.WriteLine($"{target.Name,-14}{count / elapsed.TotalSeconds,10:0} req/s  ({count} ok, {failed} failed)");
}

// The checks did run: every call above was a verified caller allowed by echo-allow; a call to /admin is denied by the mesh-wide DENY.
using (var admin = new HttpRequestMessage(HttpMethod.Get, viaFallback.Url + "admin"))
{
    admin.Headers.Host = viaFallback.Host;
    using var denied = await viaFallback.Client.SendAsync(admin);
    Console.WriteLine($"\nprobe: GET /admin via fallback -> {(int)denied.StatusCode} {await denied.Content.ReadAsStringAsync()}");
}

Console.WriteLine($"fallback counters: forwarded {proxy.Metrics.RequestsForwarded.Value}, denied {proxy.Metrics.RequestsDenied.Value}, " +
    $"unverified callers {proxy.Metrics.UnverifiedCalls("no_identity").Value + proxy.Metrics.UnverifiedCalls("unknown_source").Value + proxy.Metrics.UnverifiedCalls("source_mismatch").Value}");
await upstream.StopAsync();
return 0;

static async Task<WebApplication> StartUpstreamAsync()
{
    var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
    builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
    {
        k.AddServerHeader = false;
        k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1);
    });
    var app = builder.Build();
    var body = "ok\n"u8.ToArray();
    app.Run(context =>
    {
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    });
    await app.StartAsync();
    return app;
}

static async Task<LatencyRecorder[]> OpenLoopAsync(Target[] targets, int perSecond, TimeSpan length)
{
    var total = (int)(perSecond * length.TotalSeconds);
    var recorders = targets.Select(_ => new LatencyRecorder(total)).ToArray();
    var pending = new List<Task>(total * targets.Length);
    var interval = Stopwatch.Frequency / (double)perSecond;
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < total; i++)
    {
        // Fixed schedule: request i is due at start + i * interval, whatever happened to earlier requests.
        var due = start + (long)(i * interval);
        while (Stopwatch.GetTimestamp() < due)
        {
            var wait = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (wait >= 2)
            {
                await Task.Delay((int)wait - 1);
            }
            else
            {
                Thread.Yield();
            }
        }

        for (var t = 0; t < targets.Length; t++)
        {
            pending.Add(SendAsync(targets[t], recorders[t]));
        }
    }

    await Task.WhenAll(pending);
    return recorders;
}

static async Task<(long Count, long Failed, TimeSpan Elapsed)> ClosedLoopAsync(Target[] targets, int workers, TimeSpan length)
{
    var recorder = new LatencyRecorder(1 << 20);
    var stopAt = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
    {
        var target = targets[w % targets.Length];
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            await SendAsync(target, recorder);
        }
    }));
    return (recorder.Count, recorder.Failures, Stopwatch.GetElapsedTime(started));
}

static async Task SendAsync(Target target, LatencyRecorder recorder)
{
    var begin = Stopwatch.GetTimestamp();
    try
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target.Url);
        if (target.Host is not null)
        {
            request.Headers.Host = target.Host;
            request.Headers.Add("x-lazymesh-source-namespace", "bench");
        }

        using var response = await target.Client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            recorder.Fail();
            return;
        }

        recorder.Record(Stopwatch.GetTimestamp() - begin);
    }
    catch (HttpRequestException)
    {
        recorder.Fail();
    }
}

int Arg(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
