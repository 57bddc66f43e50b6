using System.Net;
using LazyMesh.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LazyMesh.Ui;

/// <summary><c>lazymesh ui</c>'s own HTTP/1.1 server: the page and the graph of offline results; <c>/</c> redirects to the page.</summary>
public sealed class UiServer : IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly Func<GraphDocument> _graph;
    private Http1App? _app;

    public UiServer(IPEndPoint endpoint, Func<GraphDocument> graph)
    {
        _endpoint = endpoint;
        _graph = graph;
    }

    public IPEndPoint BoundEndPoint => _app?.BoundEndPoint ?? new(IPAddress.None, 0);

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _app = await Http1App.StartAsync(_endpoint, app =>
        {
            GraphEndpoints.Map(app, _graph);
            app.MapGet("/", () => Results.Redirect(GraphEndpoints.UiPath));
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
