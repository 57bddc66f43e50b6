using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace LazyMesh.Hosting;

/// <summary>
/// The small HTTP/1.1 Kestrel app behind the admin endpoints (<c>/healthz</c>, <c>/metrics</c>, <c>/ui</c>): no server
/// header, routing only, bound to one address. <see cref="DisposeAsync"/> stops it.
/// </summary>
public sealed class Http1App : IAsyncDisposable
{
    private WebApplication? _app;

    private Http1App(WebApplication app, IPEndPoint bound)
    {
        _app = app;
        BoundEndPoint = bound;
    }

    /// <summary>The address actually bound (port 0 resolved).</summary>
    public IPEndPoint BoundEndPoint { get; }

    /// <summary>Builds the app on <paramref name="endpoint"/>, lets <paramref name="map"/> add its routes, and starts it.</summary>
    public static async Task<Http1App> StartAsync(IPEndPoint endpoint, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new Http1App(app, new IPEndPoint(endpoint.Address, new Uri(app.Urls.First()).Port));
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
