using System.Net;
using k8s;
using LazyMesh.Als;
using LazyMesh.Controller;
using LazyMesh.Hosting;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.Kubernetes.State;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace LazyMesh.Kubernetes.Hosting;

/// <summary>
/// The controller on Kubernetes: informers feed the mesh index, ALS streams feed the learner, and the
/// sink keeps each lazy workload's LazySidecar and Sidecar in the API. Same pipeline as on files; only
/// the inventory source and the sink differ. <c>/healthz</c> answers from the start, <c>/readyz</c> once the
/// informers are synced and ALS listens.
/// </summary>
public sealed partial class KubernetesControllerHost : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly KubernetesHostOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private KubernetesInventory? _inventory;
    private Informer<LazySidecarResource>? _lazySidecars;
    private KubernetesSinkController? _controller;
    private MeterPrometheusBridge? _meters;
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
            IsPendingWrite = Controller.IsPendingWrite,
        },
        DateTimeOffset.UtcNow);

    /// <summary>How long <see cref="DisposeAsync"/> spends on the final flush.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Liveness first: /healthz answers while informers sync (which takes seconds at 50k pods).
        StandardMetrics.Register(_registry, "controller");
        _meters = new MeterPrometheusBridge(_registry);
        _health = new HealthServer(_options.HttpEndPoint, () => _ready, _registry);
        await _health.StartAsync(cancellationToken).ConfigureAwait(false);
        LogStarting(_logger, _health.BoundEndPoint.ToString());

        _inventory = new KubernetesInventory(_client, new KubernetesInventoryOptions { Mesh = _options.Mesh }, _loggerFactory.CreateLogger("LazyMesh.Informers"));
        _inventory.Start();
        await _inventory.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        var index = _inventory.Holder.Current;
        LogSynced(_logger, index.Workloads.Count, index.Services.Count, index.Pods.Count);

        var controller = _controller = new KubernetesSinkController(_client, _inventory.Holder, _options.Controller, source: null, time: null, _loggerFactory);

        // A generated Sidecar edited or deleted by hand is applied again; the echo of our own apply is not.
        _inventory.Sidecars.ObjectChanged += change =>
        {
            if (controller.Sink.OnSidecarChanged(change.Type, change.Object)
                && change.Object.Metadata.Annotations?.TryGetValue(Rendering.LazyMeshMetadata.WorkloadAnnotation, out var workload) == true)
            {
                controller.Enqueue(workload);
            }
        };
        _inventory.Reloaded += _ => controller.OnInventoryChanged();

        // A LazySidecar's spec edit (paused, ttl) takes effect at once; status merges (same generation) are echoes.
        _lazySidecars = new Informer<LazySidecarResource>(
            ResourceClients.LazySidecars<LazySidecarResource>(_client), InformerOptions.Default, _loggerFactory.CreateLogger("LazyMesh.Informers"), MetadataSlimmer.Slim);
        _lazySidecars.ObjectChanged += change =>
        {
            if (controller.Sink.OnLazySidecarChanged(change.Type, change.Object))
            {
                controller.Enqueue(change.Object.WorkloadKey);
            }
        };
        await controller.StartAsync(cancellationToken).ConfigureAwait(false);
        _lazySidecars.Start();

        _options.Als.Mesh ??= () => _inventory.Holder.Current;
        _als = new AlsServer(_options.AlsEndPoint, _options.Als, controller.Learner, _loggerFactory);
        var metrics = new ControllerMetrics(controller.Learner.Stats, _als.Stats, controller.Store, writes: null, _inventory, registry: _registry);
        KubernetesMetrics.Register(metrics.Registry, controller.Sink.Stats, controller.Budget, _inventory);
        KubernetesMetrics.RegisterLeadership(metrics.Registry, controller.Leadership);
        controller.LearnedToApplied += metrics.ObserveLearnToApi;
        metrics.TrackWriteQueue(() => controller.Queue.Depth + controller.Queue.Waiting);
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

        if (_lazySidecars is not null)
        {
            await _lazySidecars.DisposeAsync().ConfigureAwait(false);
        }

        if (_controller is not null)
        {
            // Whatever was learned last is merged into status and applied before the process goes.
            await _controller.StopAsync(ShutdownTimeout).ConfigureAwait(false);
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

        _meters?.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "LazyMesh controller starting: http={HttpEndPoint} (healthz now, readyz once informers are synced)")]
    private static partial void LogStarting(ILogger logger, string httpEndPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "informers synced: {Workloads} workloads, {Services} services, {Pods} pods")]
    private static partial void LogSynced(ILogger logger, int workloads, int services, int pods);

    [LoggerMessage(Level = LogLevel.Information, Message = "LazyMesh controller ready: als={AlsEndPoint} http={HttpEndPoint} output={ApiServer}")]
    private static partial void LogReady(ILogger logger, string alsEndPoint, string httpEndPoint, string apiServer);
}
