using System.Net;
using LazyMesh.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LazyMesh.Demo;

/// <summary>
/// Bookinfo's applications as real HTTP servers, one per pod on its 127.0.0.x address: productpage
/// calls details and reviews; reviews v2 and v3 call ratings. Outbound calls go through each pod's
/// <see cref="DemoSidecar"/>.
/// </summary>
public sealed class BookinfoApp : IAsyncDisposable
{
    private readonly List<WebApplication> _servers = [];

    public async Task StartAsync(DemoTopology topology, Func<DemoPod, DemoSidecar> sidecarFor, CancellationToken cancellationToken)
    {
        foreach (var pod in topology.Pods)
        {
            var sidecar = sidecarFor(pod);
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Listen(new IPEndPoint(pod.Ip, topology.PodPort), l => l.Protocols = HttpProtocols.Http1);
            });
            builder.Services.AddRoutingCore();
            var app = builder.Build();
            app.UseRouting();
            app.MapGet("/{**path}", async (HttpContext context) =>
            {
                var parts = new List<string> { $"{pod.Workload} ({pod.Ip})" };
                foreach (var callee in pod.Calls)
                {
                    parts.Add(await sidecar.GetAsync(callee, $"/{callee}/0", context.RequestAborted).ConfigureAwait(false));
                }

                return Results.Text(string.Join(" -> ", parts));
            });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            _servers.Add(app);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.StopAndDisposeAsync().ConfigureAwait(false);
        }

        _servers.Clear();
    }
}
