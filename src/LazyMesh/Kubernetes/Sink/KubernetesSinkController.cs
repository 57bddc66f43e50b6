using k8s;
using LazyMesh.Controller;
using LazyMesh.Kubernetes.Leadership;
using LazyMesh.Kubernetes.State;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// The online pipeline on a cluster, mirroring <see cref="LazyMeshController"/>: <see cref="Learner"/> (give it to the
/// ALS server) → <see cref="DependencyStore"/> → <see cref="CoalescingWriteScheduler"/> → <see cref="LazySidecarSink"/>.
/// On start the store is rebuilt from every LazySidecar's status, and everything is reconciled once. Every replica
/// learns and merges; the leader (Lease) also expires hosts and deletes LazySidecars of vanished workloads.
/// </summary>
public sealed partial class KubernetesSinkController : IAsyncDisposable
{
    private const string ReconcileAllKey = "\0all";

    private readonly MeshIndexHolder _index;
    private readonly ILazySidecarSource _source;
    private readonly KubernetesControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SyncedHosts _synced = new();
    private readonly CoalescingWriteScheduler _scheduler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private volatile bool _expireNext;

    public KubernetesSinkController(
        IKubernetes client,
        MeshIndexHolder index,
        KubernetesControllerOptions? options = null,
        ILazySidecarSource? source = null,
        TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null)
    {
        _index = index;
        _options = options ?? new KubernetesControllerOptions();
        _source = source ?? new ApiLazySidecarSource(client);
        _time = time ?? TimeProvider.System;
        var factory = loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        _logger = factory.CreateLogger("LazyMesh.Kubernetes");
        Store = new DependencyStore(_options.MaxHostsPerWorkload);
        Budget = new WriteBudget(_options.WritesPerSecond, _options.WriteBurst, _time);
        var writer = new KubeWriter(client, Budget, _options.Retry, _time, _logger, _options.FieldManager);
        Sink = new LazySidecarSink(writer, Store, _synced, _options.Sink, _time, _logger);
        Learner = new EdgeLearner(index, Store, OnNewEdge, _time);
        _scheduler = new CoalescingWriteScheduler(_options.MinWriteInterval, FlushAsync, _time);
        Leadership = _options.Leadership is { } lo ? new ControllerLeadership(client, lo, _logger) : null;
    }

    public DependencyStore Store { get; }

    /// <summary>The ALS server's sink (<see cref="LazyMesh.AccessLogs.IAccessEventSink"/>).</summary>
    public EdgeLearner Learner { get; }

    public LazySidecarSink Sink { get; }

    public WriteBudget Budget { get; }

    public ControllerLeadership? Leadership { get; }

    public bool IsLeader => Leadership?.IsLeader ?? true;

    /// <summary>The write queue (workloads with a change waiting for its write).</summary>
    public CoalescingWriteScheduler WriteQueue => _scheduler;

    /// <summary>Restores learned state from the LazySidecars, reconciles everything once, and starts the loops.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var restored = await LearnedStateRestorer.RestoreAsync(_source, Store, _synced, cancellationToken).ConfigureAwait(false);
        LogRestored(_logger, restored, Store.WorkloadCount);
        await FlushAsync([ReconcileAllKey], cancellationToken).ConfigureAwait(false);
        _loops.Add(Task.Run(() => _scheduler.RunAsync(_stopping.Token), CancellationToken.None));
        _loops.Add(Task.Run(PeriodicAsync, CancellationToken.None));
        if (Leadership is not null)
        {
            Leadership.StartedLeading += () =>
            {
                _expireNext = true;
                _scheduler.MarkDirty(ReconcileAllKey);
            };
            _loops.Add(Task.Run(() => Leadership.RunAsync(_stopping.Token), CancellationToken.None));
        }
    }

    /// <summary>Call when the inventory changed (e.g. <see cref="IInventorySource.Reloaded"/>): reconciles every workload.</summary>
    public void OnInventoryChanged() => _scheduler.MarkDirty(ReconcileAllKey);

    /// <summary>Runs the leader's duties (expiry of every workload's hosts, cleanup) now, if leader.</summary>
    public async Task RunLeaderDutiesAsync(CancellationToken cancellationToken)
    {
        if (!IsLeader)
        {
            return;
        }

        var index = _index.Current;
        await Sink.ReconcileAllAsync(index, expire: true, cancellationToken).ConfigureAwait(false);
        await Sink.CleanupAsync(index, _source, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in _loops)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stopping.Dispose();
    }

    private void OnNewEdge(Workload source, MeshService destination, long seenUnixMs) => _scheduler.MarkDirty(source.Key);

    /// <summary>Learns an edge from a source other than access logs (Istio metrics): the same store and writes.</summary>
    public LearnResult LearnEdge(Workload source, MeshService destination, long seenUnixMs)
    {
        var result = Store.Learn(source, destination, seenUnixMs, LearnedVia.Metrics);
        if (result == LearnResult.New)
        {
            OnNewEdge(source, destination, seenUnixMs);
        }

        return result;
    }

    private async Task FlushAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var index = _index.Current;
        if (keys.Contains(ReconcileAllKey))
        {
            var expire = _expireNext && IsLeader;
            _expireNext = false;
            await Sink.ReconcileAllAsync(index, expire, cancellationToken).ConfigureAwait(false);
            return;
        }

        var workloads = keys.Select(index.FindWorkload).OfType<Workload>().ToList();
        await Sink.ReconcileAsync(index, workloads, expire: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task PeriodicAsync()
    {
        var tick = TimeSpan.FromSeconds(1);
        var nextDuty = _time.GetUtcNow() + _options.LeaderDutyInterval;
        var nextResync = _time.GetUtcNow() + _options.ResyncInterval;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(tick, _time, _stopping.Token).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                try
                {
                    await Sink.FlushEventsAsync(_stopping.Token).ConfigureAwait(false);
                    if (now >= nextResync)
                    {
                        nextResync = now + _options.ResyncInterval;
                        Sink.Writer.ForgetAppliedContent();
                        _scheduler.MarkDirty(ReconcileAllKey);
                    }

                    if (now >= nextDuty)
                    {
                        nextDuty = now + _options.LeaderDutyInterval;
                        await RunLeaderDutiesAsync(_stopping.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPeriodicFailed(_logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "restored {Hosts} learned hosts of {Workloads} workloads from LazySidecar status")]
    private static partial void LogRestored(ILogger logger, int hosts, int workloads);

    [LoggerMessage(Level = LogLevel.Warning, Message = "periodic duties failed (will retry): {Reason}")]
    private static partial void LogPeriodicFailed(ILogger logger, string reason);
}
