using System.Globalization;
using System.Net;
using System.Text;
using LazyMesh.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace LazyMesh.Tests.MetricsSource;

/// <summary>
/// A /metrics endpoint on 127.0.0.1 serving series shaped like Istio's standard metrics (the labels Istio's stats
/// plugin sets). Growing series grow by 10 per scrape; constant series never change (no increase: not learned).
/// </summary>
public sealed class IstioShapedExporter : IAsyncDisposable
{
    private readonly List<(string Metric, string Labels, bool Grows)> _series = [];
    private WebApplication? _app;
    private long _scrapes;

    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.None, 0);

    public IstioShapedExporter Add(string metric, string reporter, string sourceWorkload, string sourceNamespace, string destinationService, string destinationNamespace, bool grows = true)
    {
        _series.Add((metric, $"reporter=\"{reporter}\",source_workload=\"{sourceWorkload}\",source_workload_namespace=\"{sourceNamespace}\",source_app=\"{sourceWorkload}\"," +
            $"destination_service=\"{destinationService}\",destination_service_name=\"{destinationService.Split('.')[0]}\",destination_service_namespace=\"{destinationNamespace}\"," +
            $"destination_workload=\"unknown\",request_protocol=\"http\",response_code=\"200\",connection_security_policy=\"mutual_tls\"", grows));
        return this;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        app.MapGet("/metrics", context =>
        {
            var n = Interlocked.Increment(ref _scrapes);
            var text = new StringBuilder();
            foreach (var metric in _series.Select(static s => s.Metric).Distinct())
            {
                text.Append("# TYPE ").Append(metric).Append(" counter\n");
                foreach (var (_, labels, grows) in _series.Where(s => s.Metric == metric))
                {
                    text.Append(metric).Append('{').Append(labels).Append("} ").Append((grows ? 10 * n : 5).ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }

            context.Response.ContentType = "text/plain; version=0.0.4";
            return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        _app = app;
        EndPoint = new IPEndPoint(IPAddress.Loopback, new Uri(app.Urls.First()).Port);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.StopAndDisposeAsync();
        }
    }
}
