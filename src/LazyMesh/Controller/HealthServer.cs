using System.Net;
using LazyMesh.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Prometheus;

namespace LazyMesh.Controller;

/// <summary><c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> on their own HTTP/1.1 port.</summary>
public sealed class HealthServer : IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly Func<bool> _ready;
    private readonly CollectorRegistry _registry;
    private readonly Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>? _routes;
    private Http1App? _app;

    public HealthServer(IPEndPoint endpoint, Func<bool> ready, CollectorRegistry registry, Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>? routes = null)
    {
        _endpoint = endpoint;
        _ready = ready;
        _registry = registry;
        _routes = routes;
    }

    public IPEndPoint BoundEndPoint => _app?.BoundEndPoint ?? new(IPAddress.None, 0);

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _app = await Http1App.StartAsync(_endpoint, app =>
        {
            app.MapGet("/healthz", () => Results.Text("ok\n"));
            app.MapGet("/readyz", () => _ready() ? Results.Text("ready\n") : Results.Text("not ready\n", statusCode: StatusCodes.Status503ServiceUnavailable));
            app.MapGet("/metrics", async context =>
            {
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await _registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            });
            _routes?.Invoke(app);
        }, cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
