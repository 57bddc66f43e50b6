using System.Net;
using LazyMesh.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace LazyMesh.Ui;

/// <summary><c>lazymesh ui</c>'s own HTTP/1.1 server: the page and the graph of offline results; <c>/</c> redirects to the page.</summary>
public sealed class UiServer : IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly Func<GraphDocument> _graph;
    private WebApplication? _app;

    public UiServer(IPEndPoint endpoint, Func<GraphDocument> graph)
    {
        _endpoint = endpoint;
        _graph = graph;
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
        GraphEndpoints.Map(app, _graph);
        app.MapGet("/", () => Results.Redirect(GraphEndpoints.UiPath));
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
