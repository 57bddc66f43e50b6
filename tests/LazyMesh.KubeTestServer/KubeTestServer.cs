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
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, KubeIdentity> _tokens = new(StringComparer.Ordinal);
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
        Authorizer = new RbacAuthorizer(Store, Registry);
        _handler = new ApiHandler(this);
        _port = Options.Port;
    }

    /// <summary>The address clients connect to, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress => BaseAddressUnset ? throw new InvalidOperationException("The server has not been started.") : new Uri($"http://127.0.0.1:{_port}/");

    /// <summary>Fault switches.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Request counters.</summary>
    public RequestStats Stats { get; } = new();

    /// <summary>Writes that changed nothing on the server (no new resourceVersion): what a controller should never send.</summary>
    public long NoOpWrites => Store.NoOpWrites;

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

    /// <summary>The administrator's bearer token (RBAC does not apply to it); <see cref="CreateClient"/> and <see cref="WriteKubeconfig"/> use it.</summary>
    public const string AdminToken = "kube-test-token";

    /// <summary>A client for this server, authenticated with <paramref name="token"/> (default: the administrator's).</summary>
    public Kubernetes CreateClient(string token = AdminToken) => new(new KubernetesClientConfiguration { Host = BaseAddress.ToString(), AccessToken = token });

    /// <summary>
    /// A bearer token for the ServiceAccount <paramref name="ns"/>/<paramref name="name"/>, which must exist (as the
    /// TokenRequest API requires). Requests with it are authorized by the RBAC objects in the store, and stop being
    /// accepted (401) once the ServiceAccount is deleted.
    /// </summary>
    public string MintServiceAccountToken(string ns, string name)
    {
        var type = Registry.Find("", "serviceaccounts")!;
        if (Store.Snapshot(type, ns, name) is null)
        {
            throw new InvalidOperationException($"ServiceAccount {ns}/{name} does not exist");
        }

        var token = $"sa-{ns}-{name}-{Guid.NewGuid():N}";
        _tokens[token] = KubeIdentity.ServiceAccount(ns, name);
        return token;
    }

    internal RbacAuthorizer Authorizer { get; }

    /// <summary>The identity of an <c>Authorization</c> header, or null (401).</summary>
    internal KubeIdentity? Authenticate(string authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return Options.AllowAnonymous ? KubeIdentity.Admin : null;
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization["Bearer ".Length..].Trim();
        if (token == AdminToken)
        {
            return KubeIdentity.Admin;
        }

        return _tokens.TryGetValue(token, out var identity)
            && Store.Snapshot(Registry.Find("", "serviceaccounts")!, identity.ServiceAccountNamespace, identity.ServiceAccountName!) is not null
            ? identity
            : null;
    }

    /// <summary>
    /// Writes a kubeconfig whose current context points at this server; returns <paramref name="path"/>. The user has
    /// <paramref name="token"/> (default: the administrator's), or no credentials at all (<c>user: {}</c>, as behind
    /// <c>kubectl proxy</c>) when it is null.
    /// </summary>
    public string WriteKubeconfig(string path, string defaultNamespace = "default", string? token = AdminToken)
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
              user: {(token is null ? "{}" : "\n    token: " + token)}
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

    /// <summary>Copies of every stored object of every served resource (for "nothing left behind" assertions).</summary>
    public IReadOnlyList<JsonObject> AllObjects() => [.. Registry.All.SelectMany(t => Store.Objects(t, null))];

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
