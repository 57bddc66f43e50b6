using System.Net;
using LazyMesh.AccessLogs;
using LazyMesh.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LazyMesh.Als;

/// <summary>
/// A standalone Envoy ALS server: Kestrel, HTTP/2 cleartext only, on one endpoint (port 0 picks a free port;
/// see <see cref="BoundEndPoint"/>).
/// </summary>
public sealed class AlsServer : IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly AlsServerOptions _options;
    private readonly Func<IAccessEventSink> _sinkFactory;
    private readonly ILoggerFactory _loggerFactory;
    private WebApplication? _app;
    private AlsService? _service;
    private IPEndPoint? _bound;

    /// <param name="sinkFactory">Called once per stream; return one thread-safe sink for all streams, or one per stream.</param>
    public AlsServer(IPEndPoint endpoint, AlsServerOptions options, Func<IAccessEventSink> sinkFactory, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sinkFactory);
        _endpoint = endpoint;
        _options = options;
        _sinkFactory = sinkFactory;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Stats = new AlsServerStats();
    }

    /// <param name="sink">Shared by all streams: must be thread-safe.</param>
    public AlsServer(IPEndPoint endpoint, AlsServerOptions options, IAccessEventSink sink, ILoggerFactory? loggerFactory = null)
        : this(endpoint, options, SinkFactory(sink), loggerFactory)
    {
    }

    public AlsServerStats Stats { get; }

    /// <summary>The address actually listened on; available after <see cref="StartAsync"/>.</summary>
    public IPEndPoint BoundEndPoint => _bound ?? throw new InvalidOperationException("The ALS server is not started.");

    /// <summary>Raised after a stream's counters were updated at its end, whatever the reason.</summary>
    public event Action? StreamClosed;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The ALS server is already started.");
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.ApplyAlsLimits(_options);
            kestrel.Listen(_endpoint, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddSingleton(Stats);
        builder.Services.AddLazyMeshAls(_options, _sinkFactory);

        var app = builder.Build();
        app.MapLazyMeshAls();
        _service = app.Services.GetRequiredService<AlsService>();
        _service.StreamClosed += OnStreamClosed;
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;

        var address = app.Urls.First();
        _bound = new IPEndPoint(_endpoint.Address, new Uri(address).Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var app = _app;
        if (app is null)
        {
            return;
        }

        _app = null;
        try
        {
            await app.StopAndDisposeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _service!.StreamClosed -= OnStreamClosed;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static Func<IAccessEventSink> SinkFactory(IAccessEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return () => sink;
    }

    private void OnStreamClosed() => StreamClosed?.Invoke();
}
