using System.Net;
using k8s;
using LazyMesh.Als;
using LazyMesh.Controller;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.Sink;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Hosting;

/// <summary>
/// The controller on Kubernetes: informers feed the mesh index, ALS streams feed the learner, and the
/// sink keeps each lazy workload's LazySidecar and Sidecar in the API. Same pipeline as on files; only
/// the inventory source and the sink differ.
/// </summary>
public sealed partial class KubernetesControllerHost : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly KubernetesHostOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private KubernetesInventory? _inventory;
    private KubernetesSinkController? _controller;
    private AlsServer? _als;
    private HealthServer? _health;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _metricsLoop;
    private volatile bool _ready;

    public KubernetesControllerHost(IKubernetes client, KubernetesHostOptions options, ILoggerFactory loggerFactory)
    {
        _client = client;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("LazyMesh.Controller");
    }

    public IPEndPoint AlsEndPoint => _als?.BoundEndPoint ?? throw new InvalidOperationException("not started");

    public IPEndPoint HttpEndPoint => _health?.BoundEndPoint ?? throw new InvalidOperationException("not started");

    public KubernetesSinkController Controller => _controller ?? throw new InvalidOperationException("not started");

    public bool IsReady => _ready;

    /// <summary>The learned dependency graph now (what <c>/api/v1/graph</c> returns).</summary>
    public Ui.GraphDocument Graph() => Ui.GraphBuilder.FromMesh(
        _inventory?.Holder.Current ?? Mesh.MeshIndex.Empty,
        Controller.Store,
        new Ui.GraphOptions
        {
            Source = "controller (kubernetes)",
            Render = _options.Controller.Sink.EffectiveRender,
            EnabledByDefault = _options.Controller.Sink.EnabledByDefault,
            IsPendingWrite = Controller.WriteQueue.IsPending,
        },
        DateTimeOffset.UtcNow);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _inventory = new KubernetesInventory(_client, new KubernetesInventoryOptions { Mesh = _options.Mesh }, _loggerFactory.CreateLogger("LazyMesh.Informers"));
        _inventory.Start();
        await _inventory.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        var index = _inventory.Holder.Current;
        LogSynced(_logger, index.Workloads.Count, index.Services.Count, index.Pods.Count);

        _controller = new KubernetesSinkController(_client, _inventory.Holder, _options.Controller, source: null, time: null, _loggerFactory);
        // A generated Sidecar edited or deleted by hand: forget what was last applied, so the reconcile the
        // index rebuild triggers applies it again.
        _inventory.Sidecars.ObjectChanged += change => _controller.Sink.OnSidecarChanged(change.Object.Metadata.NamespaceProperty, change.Object.Metadata.Name);
        _inventory.Reloaded += _ => _controller.OnInventoryChanged();
        await _controller.StartAsync(cancellationToken).ConfigureAwait(false);

        _options.Als.Mesh ??= () => _inventory.Holder.Current;
        _als = new AlsServer(_options.AlsEndPoint, _options.Als, _controller.Learner, _loggerFactory);
        var metrics = new ControllerMetrics(_controller.Learner.Stats, _als.Stats, _controller.Store, writes: null, _inventory);
        KubernetesMetrics.Register(metrics.Registry, _controller.Sink.Stats, _controller.Budget, _inventory);
        KubernetesMetrics.RegisterLeadership(metrics.Registry, _controller.Leadership);
        metrics.TrackWriteQueue(_controller.WriteQueue);
        _health = new HealthServer(_options.HttpEndPoint, () => _ready && _inventory.IsReady, metrics.Registry, routes => Ui.GraphEndpoints.Map(routes, Graph));
        await _health.StartAsync(cancellationToken).ConfigureAwait(false);
        await _als.StartAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Prometheus is { } prometheus)
        {
            var inventory = _inventory;
            var poller = new MetricsSource.MetricsPoller(prometheus, () => inventory.Holder.Current, _controller.LearnEdge, _loggerFactory.CreateLogger("LazyMesh.Prometheus"));
            _metricsLoop = Task.Run(() => poller.RunAsync(_stopping.Token), CancellationToken.None);
        }

        _ready = true;
        LogReady(_logger, _als.BoundEndPoint.ToString(), _health.BoundEndPoint.ToString(), _client is k8s.Kubernetes k ? k.BaseUri.ToString() : "kubernetes");
    }

    public async ValueTask DisposeAsync()
    {
        _ready = false;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_metricsLoop is not null)
        {
            try
            {
                await _metricsLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (_als is not null)
        {
            await _als.DisposeAsync().ConfigureAwait(false);
        }

        if (_controller is not null)
        {
            await _controller.DisposeAsync().ConfigureAwait(false);
        }

        if (_inventory is not null)
        {
            await _inventory.DisposeAsync().ConfigureAwait(false);
        }

        if (_health is not null)
        {
            await _health.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "informers synced: {Workloads} workloads, {Services} services, {Pods} pods")]
    private static partial void LogSynced(ILogger logger, int workloads, int services, int pods);

    [LoggerMessage(Level = LogLevel.Information, Message = "LazyMesh controller ready: als={AlsEndPoint} http={HttpEndPoint} output={ApiServer}")]
    private static partial void LogReady(ILogger logger, string alsEndPoint, string httpEndPoint, string apiServer);
}
