using System.Diagnostics;
using System.Net;
using LazyMesh.AccessLogs;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace LazyMesh.Tests.Als;

public sealed class AlsReplayClientTests
{
    [Fact]
    public async Task Sends_the_identifier_only_first_and_never_mixes_protocols_in_a_message()
    {
        var recorder = new RecordingAccessLogService();
        await using var app = await StartRecorderAsync(recorder);
        using var client = new AlsReplayClient(new Uri(app.Urls.First()), new AlsReplayOptions { BatchSize = 3 });
        var protocols = "HHHHTTHTTTTH";

        var result = await client.ReplayAsync(protocols.Select((p, i) => new ReplayEntry
        {
            Protocol = p == 'H' ? AccessProtocol.Http : AccessProtocol.Tcp,
            UpstreamCluster = $"outbound|80||s{i}.ns.svc.cluster.local",
            Authority = $"s{i}.ns",
            SourceAddress = "10.0.0.1",
            SourcePort = 40000 + i,
            DestinationAddress = "fd00::1",
            DestinationPort = 80,
            StartTimeUnixMs = 1_700_000_000_000 + i,
            ResponseCode = 200 + i,
        }));

        // HHH | H | TT | H | TTT | T | H
        Assert.Equal(new AlsReplayResult(7, 6, 6), result);
        var messages = recorder.Messages;
        Assert.Equal(7, messages.Count);
        Assert.Equal("lazymesh-replay", messages[0].Identifier.Node.Id);
        Assert.Equal("lazymesh-replay", messages[0].Identifier.LogName);
        Assert.All(messages.Skip(1), m => Assert.Null(m.Identifier));
        Assert.Equal(
            [3, 1, 2, 1, 3, 1, 1],
            messages.Select(m => m.LogEntriesCase == StreamAccessLogsMessage.LogEntriesOneofCase.HttpLogs ? m.HttpLogs.LogEntry.Count : m.TcpLogs.LogEntry.Count));
        Assert.Equal("HHTHTTH", string.Concat(messages.Select(m => m.LogEntriesCase == StreamAccessLogsMessage.LogEntriesOneofCase.HttpLogs ? 'H' : 'T')));

        var firstHttp = messages[0].HttpLogs.LogEntry[0];
        Assert.Equal("outbound|80||s0.ns.svc.cluster.local", firstHttp.CommonProperties.UpstreamCluster);
        Assert.Equal("s0.ns", firstHttp.Request.Authority);
        Assert.Equal(200u, firstHttp.Response.ResponseCode);
        Assert.Equal(("10.0.0.1", 40000u), (firstHttp.CommonProperties.DownstreamRemoteAddress.SocketAddress.Address, firstHttp.CommonProperties.DownstreamRemoteAddress.SocketAddress.PortValue));
        Assert.Equal(("fd00::1", 80u), (firstHttp.CommonProperties.DownstreamLocalAddress.SocketAddress.Address, firstHttp.CommonProperties.DownstreamLocalAddress.SocketAddress.PortValue));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), firstHttp.CommonProperties.StartTime.ToDateTimeOffset());
        var firstTcp = messages[2].TcpLogs.LogEntry[0];
        Assert.Equal("outbound|80||s4.ns.svc.cluster.local", firstTcp.CommonProperties.UpstreamCluster);
    }

    [Fact]
    public async Task Rate_limit_spreads_the_entries_over_time()
    {
        var recorder = new RecordingAccessLogService();
        await using var app = await StartRecorderAsync(recorder);
        using var client = new AlsReplayClient(new Uri(app.Urls.First()), new AlsReplayOptions { BatchSize = 5, MaxEntriesPerSecond = 100 });
        var stopwatch = Stopwatch.StartNew();

        var result = await client.ReplayAsync(Enumerable.Range(0, 30).Select(i => new ReplayEntry { UpstreamCluster = $"c{i}" }));

        // 30 entries at 100/s: the last batch may only go out after 250 ms.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30));
        Assert.Equal(new AlsReplayResult(6, 30, 0), result);
        Assert.Equal(6, recorder.Messages.Count);
    }

    internal static async Task<WebApplication> StartRecorderAsync(RecordingAccessLogService recorder)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(recorder);
        var app = builder.Build();
        app.MapGrpcService<RecordingAccessLogService>();
        await app.StartAsync();
        return app;
    }
}
