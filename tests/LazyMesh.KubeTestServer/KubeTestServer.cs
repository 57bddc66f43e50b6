using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LazyMesh.KubeTesting;

/// <summary>
/// An in-process Kubernetes API server for tests: Kestrel on 127.0.0.1 (plain HTTP/1.1) serving the REST API
/// with real resourceVersion, watch, optimistic-concurrency, server-side apply, status-subresource and garbage
/// collection semantics, plus fault injection. Test code only.
/// </summary>
public sealed class KubeTestServer : IAsyncDisposable
{
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ApiHandler _handler;
    private WebApplication? _app;
    private int _port;
    private bool _outage;
    private OutageMode _outageMode;
    private TaskCompletionSource _outageEnded = CompletedSource();

    /// <summary>Creates a server; call <see cref="StartAsync"/> before use.</summary>
    public KubeTestServer(KubeTestServerOptions? options = null)
    {
        Options = options ?? new KubeTestServerOptions();
        Registry = new ResourceRegistry();
        Store = new ObjectStore(Options);
        Faults = new FaultInjector(this);
        _handler = new ApiHandler(this);
        _port = Options.Port;
    }

    /// <summary>The address clients connect to, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress => BaseAddressUnset ? throw new InvalidOperationException("The server has not been started.") : new Uri($"http://127.0.0.1:{_port}/");

    /// <summary>Fault switches.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Request counters.</summary>
    public RequestStats Stats { get; } = new();

    /// <summary>The current (latest) global resourceVersion.</summary>
    public long ResourceVersion => Store.ResourceVersion;

    /// <summary>Number of open watch streams.</summary>
    public int OpenWatches => Store.OpenWatches;

    internal KubeTestServerOptions Options { get; }

    internal ResourceRegistry Registry { get; }

    internal ObjectStore Store { get; }

    internal bool ServiceUnavailable => _outage && _outageMode == OutageMode.ServiceUnavailable;

    internal bool InOutage => _outage;

    internal CancellationToken Stopping => _stopping.Token;

    internal Task OutageEnded => _outageEnded.Task;

    private bool BaseAddressUnset { get; set; } = true;

    /// <summary>Starts listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            await ListenAsync(_port, cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>A client for this server.</summary>
    public Kubernetes CreateClient() => new(new KubernetesClientConfiguration { Host = BaseAddress.ToString() });

    /// <summary>Writes a kubeconfig whose current context points at this server; returns <paramref name="path"/>.</summary>
    public string WriteKubeconfig(string path, string defaultNamespace = "default")
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: kube-test-server
              cluster:
                server: {BaseAddress.ToString().TrimEnd('/')}
            users:
            - name: kube-test-user
              user:
                token: kube-test-token
            contexts:
            - name: kube-test-server
              context:
                cluster: kube-test-server
                user: kube-test-user
                namespace: {defaultNamespace}
            current-context: kube-test-server

            """);
        return path;
    }

    /// <summary>Adds (or replaces) a served resource, e.g. one a test's CRD defines.</summary>
    public void RegisterResource(KubeResourceType type) => Registry.Register(type);

    /// <summary>Drops the watch history: a watch from any resourceVersion older than the current one gets 410 Gone.</summary>
    public void Compact() => Store.Compact();

    /// <summary>Sends a BOOKMARK now to every open watch that allowed bookmarks.</summary>
    public void SendBookmarks() => Store.BookmarkAll();

    /// <summary>A copy of a stored object (storage version), or null. <paramref name="ns"/> is ignored for cluster-scoped resources.</summary>
    public JsonObject? GetStoredObject(string group, string plural, string? ns, string name)
    {
        var type = Registry.Find(group, plural) ?? throw new ArgumentException($"unknown resource {plural}.{group}", nameof(plural));
        return Store.Snapshot(type, ns, name);
    }

    /// <summary>Stops the server and ends open watches.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        Store.StopWatches(abort: false);
        await _lifecycle.WaitAsync();
        try
        {
            await StopAppAsync();
        }
        finally
        {
            _lifecycle.Release();
        }

        _outageEnded.TrySetResult();
    }

    internal async Task StartOutageAsync(TimeSpan? duration, OutageMode mode)
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_outage)
            {
                throw new InvalidOperationException("An outage is already in progress.");
            }

            _outage = true;
            _outageMode = mode;
            _outageEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Store.StopWatches(abort: true);
            if (mode == OutageMode.ConnectionRefused)
            {
                await StopAppAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }

        if (duration is { } d)
        {
            _ = EndOutageAfterAsync(d);
        }
    }

    internal async Task EndOutageAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (!_outage || _stopping.IsCancellationRequested)
            {
                return;
            }

            if (_outageMode == OutageMode.ConnectionRefused)
            {
                await ListenAsync(_port, CancellationToken.None);
            }

            _outage = false;
            _outageEnded.TrySetResult();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task EndOutageAfterAsync(TimeSpan duration)
    {
        try
        {
            await Task.Delay(duration, _stopping.Token);
            await EndOutageAsync();
        }
        catch (OperationCanceledException)
        {
            // Server disposed during the outage.
        }
    }

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.Run(_handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _port = new Uri(address).Port;
        BaseAddressUnset = false;
        _app = app;
    }

    private async Task StopAppAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}
