using System.Net;
using LazyMesh.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prometheus;

namespace LazyMesh.Controller;

/// <summary><c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> on their own HTTP/1.1 port.</summary>
public sealed class HealthServer : IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly Func<bool> _ready;
    private readonly CollectorRegistry _registry;
    private readonly Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>? _routes;
    private WebApplication? _app;

    public HealthServer(IPEndPoint endpoint, Func<bool> ready, CollectorRegistry registry, Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>? routes = null)
    {
        _endpoint = endpoint;
        _ready = ready;
        _registry = registry;
        _routes = routes;
    }

    public IPEndPoint BoundEndPoint { get; private set; } = new(IPAddress.None, 0);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(_endpoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => _ready() ? Results.Text("ready\n") : Results.Text("not ready\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await _registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        _routes?.Invoke(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        BoundEndPoint = new IPEndPoint(_endpoint.Address, new Uri(app.Urls.First()).Port);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAndDisposeAsync().ConfigureAwait(false);
        }
    }
}
