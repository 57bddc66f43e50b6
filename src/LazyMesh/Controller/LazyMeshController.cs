using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LazyMesh.Als;
using LazyMesh.Controller.Queue;
using LazyMesh.Hosting;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller;

/// <summary>
/// The one controller, on files and on Kubernetes: ALS streams → <see cref="EdgeLearner"/> → a keyed
/// <see cref="WorkQueue{TKey}"/> → per workload key: the new edges recorded where learned state lives
/// (<see cref="ILearnedState"/>), then the Sidecar written where objects go (<see cref="IObjectTarget"/>); the
/// routing objects follow on their own key (<see cref="Routing.FallbackRoutingReconciler"/>), and the duties of the
/// mode's parts (compaction, cleanup, expiry, events, resync) are keys too. An inventory change
/// (<see cref="IInventorySource"/>) queues only the workloads <see cref="MeshIndexChange.Between"/> names. Owns the
/// store, the ALS server, <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, <c>/api/v1/graph</c> and <c>/ui</c>
/// (health from the start), the <c>--prometheus</c> poller, and the final flush at shutdown.
/// </summary>
public sealed partial class LazyMeshController : IAsyncDisposable
{
    private readonly ControllerMode _mode;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<PendingEdge> _pending = new();
    private readonly ConcurrentDictionary<string, WorkloadOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<PendingEdge>> _notShown = new(StringComparer.Ordinal);
    private readonly Lock _recordGate = new();
    private readonly Lock _indexGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly WorkQueue<ControllerKey> _queue;
    private readonly ControllerContext _context;

    /// <summary>Edges the learned state refused: recorded first on the next pass (under <see cref="_recordGate"/>).</summary>
    private List<PendingEdge> _unrecorded = [];
    private MeshIndex _lastIndex = MeshIndex.Empty;
    private EdgeLearner? _learner;
    private AlsServer? _als;
    private HealthServer? _health;
    private bool _started;
    private bool _stopped;
    private volatile bool _ready;

    public LazyMeshController(ControllerMode mode, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _mode = mode;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("LazyMesh.Controller");
        _time = time ?? TimeProvider.System;
        Metrics = new ControllerMetrics(Store, mode.Inventory, mode.MeterFactory);
        _queue = new WorkQueue<ControllerKey>(new WorkQueueOptions { Name = mode.Name, Workers = mode.Workers, MinInterval = mode.MinWriteInterval, Meter = Metrics.Meter }, _time);
        _queue.Failed += (key, error, failures, delay) => ControllerLog.ReconcileFailed(_logger, key.ToString(), failures, (long)delay.TotalMilliseconds, error.Message);
        _context = new ControllerContext(() => Index, _outcomes, _queue.Add);
    }

    /// <summary>The controller on files (<see cref="Files.FilesMode"/>).</summary>
    public LazyMeshController(ControllerOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
        : this(Files.FilesMode.Create(options, loggerFactory, time), loggerFactory, time)
    {
    }

    /// <summary>Raised after a learned dependency is in a Sidecar where objects go (on the worker that wrote it).</summary>
    public event Action<DependencyPersisted>? DependencyPersisted;

    public ControllerMode Mode => _mode;

    public DependencyStore Store => _mode.Store;

    public ControllerMetrics Metrics { get; }

    public IPEndPoint AlsEndPoint => _als?.BoundEndPoint ?? throw new InvalidOperationException("not started");

    public IPEndPoint HttpEndPoint => _health?.BoundEndPoint ?? throw new InvalidOperationException("not started");

    /// <summary>The current mesh index (empty before the inventory is loaded).</summary>
    public MeshIndex Index => _mode.Inventory.Holder.Current;

    public WorkQueue<ControllerKey> Queue => _queue;

    /// <summary>Inventory loaded, learned state restored and the ALS port listening.</summary>
    public bool IsReady => _ready;

    /// <summary>True while a change of workload <paramref name="workloadKey"/> waits for its write.</summary>
    public bool IsPendingWrite(string workloadKey) => _queue.IsPending(ControllerKey.Workload(workloadKey));

    /// <summary>The learned dependency graph now (what <c>/api/v1/graph</c> returns).</summary>
    public Ui.GraphDocument Graph() => Ui.GraphBuilder.FromMesh(
        Index,
        Store,
        new Ui.GraphOptions { Source = $"controller ({_mode.Name})", Render = _mode.Render, EnabledByDefault = _mode.EnabledByDefault, IsPendingWrite = IsPendingWrite },
        _time.GetUtcNow());

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("already started");
        }

        _started = true;

        // Liveness first: /healthz answers while the inventory loads or the informers sync (seconds at 50k pods).
        _mode.State.AddMetrics(Metrics.Meter);
        _mode.Target.AddMetrics(Metrics.Meter);
        Metrics.TrackWriteQueue(() => _queue.Depth + _queue.Waiting);
        _health = new HealthServer(_mode.HttpEndPoint, () => _ready, Metrics.Registry, routes => Ui.GraphEndpoints.Map(routes, Graph));
        await _health.StartAsync(cancellationToken).ConfigureAwait(false);
        LogStarting(_logger, _health.BoundEndPoint.ToString());

        await _mode.StartInventoryAsync(cancellationToken).ConfigureAwait(false);
        var index = _mode.Inventory.Holder.Current;
        lock (_indexGate)
        {
            _lastIndex = index;
        }

        LogInventory(_logger, index.Workloads.Count, index.Services.Count, index.Pods.Count);
        _mode.Inventory.Reloaded += OnInventoryChanged;

        await _mode.State.RestoreAsync(Store, cancellationToken).ConfigureAwait(false);
        _learner = new EdgeLearner(_mode.Inventory.Holder, Store, OnNewEdge, _time);
        _mode.Als.Mesh ??= () => _mode.Inventory.Holder.Current;
        _als = new AlsServer(_mode.AlsEndPoint, _mode.Als, _learner, _loggerFactory);
        Metrics.Track(_learner.Stats, _als.Stats);

        await _mode.Target.StartAsync(_context, _stopping.Token).ConfigureAwait(false);
        _context.EnqueueAllWorkloads();
        foreach (var duty in Duties())
        {
            _queue.AddAfter(duty.Key, duty.FirstRun);
        }

        if (_mode.ReconcileBeforeListening)
        {
            // Everything already learned is written (or confirmed unchanged) before streams arrive.
            _loops.Add(_queue.RunAsync(ReconcileAsync, _stopping.Token));
            await _queue.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            await _als.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The port is claimed before the first write; edges arriving meanwhile simply queue their workloads.
            await _als.StartAsync(cancellationToken).ConfigureAwait(false);
            _loops.Add(_queue.RunAsync(ReconcileAsync, _stopping.Token));
        }

        if (_mode.Prometheus is { } prometheus)
        {
            var poller = new MetricsSource.MetricsPoller(prometheus, () => Index, LearnEdge, _loggerFactory.CreateLogger("LazyMesh.Prometheus"), _time);
            _loops.Add(Task.Run(() => poller.RunAsync(_stopping.Token), CancellationToken.None));
        }

        _ready = true;
        LogReady(_logger, _als.BoundEndPoint.ToString(), _health.BoundEndPoint.ToString(), _mode.Target.Description);
    }

    /// <summary>Learns an edge from a source other than access logs (Istio metrics): the same store, records and writes.</summary>
    public LearnResult LearnEdge(Workload source, MeshService destination, long seenUnixMs)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var result = Store.Learn(source, destination, seenUnixMs, LearnedVia.Metrics);
        if (result == LearnResult.New)
        {
            OnNewEdge(source, destination, seenUnixMs);
        }

        return result;
    }

    /// <summary>
    /// Stops: the ALS port closes, the loops end, then every workload and routing key still queued or waiting (and
    /// the duties that ask for it) is reconciled once more, for at most <see cref="ControllerMode.ShutdownTimeout"/>
    /// (the final flush), and the learned state gets its last write.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _ready = false;
        if (_als is not null)
        {
            await _als.DisposeAsync().ConfigureAwait(false);
        }

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

        if (_learner is not null)
        {
            await FinalFlushAsync().ConfigureAwait(false);
            List<PendingEdge> unrecorded;
            lock (_recordGate)
            {
                unrecorded = [.. _unrecorded, .. _pending];
                _unrecorded = [];
                _pending.Clear();
            }

            _mode.State.FlushAtExit(Store, unrecorded);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _mode.Inventory.Reloaded -= OnInventoryChanged;
        await _mode.Target.DisposeAsync().ConfigureAwait(false);
        await _mode.State.DisposeAsync().ConfigureAwait(false);
        if (_mode.Inventory is IAsyncDisposable asyncInventory)
        {
            await asyncInventory.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _mode.Inventory.Dispose();
        }

        if (_health is not null)
        {
            await _health.DisposeAsync().ConfigureAwait(false);
        }

        _queue.Dispose();
        Metrics.Dispose();
        _stopping.Dispose();
    }

    private async Task FinalFlushAsync()
    {
        var flushed = Duties().Where(static d => d.InFinalFlush).Select(static d => d.Key).ToHashSet();
        using var flush = new CancellationTokenSource(_mode.ShutdownTimeout, _time);
        try
        {
            await _queue.DrainAsync(
                (key, ct) => key.Kind is ControllerKeyKind.Workload or ControllerKeyKind.Routing || flushed.Contains(key)
                    ? ReconcileAsync(key, ct)
                    : ValueTask.FromResult(ReconcileResult.Done),
                flush.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ControllerLog.FlushTimedOut(_logger, (long)_mode.ShutdownTimeout.TotalMilliseconds);
        }
    }

    private IEnumerable<ControllerDuty> Duties() => _mode.State.Duties.Concat(_mode.Target.Duties);

    /// <summary>Hot path (ALS threads, once per new edge): remember it and queue its workload; nothing else.</summary>
    private void OnNewEdge(Workload source, MeshService destination, long seenUnixMs)
    {
        _pending.Enqueue(new PendingEdge(source.Key, destination.SidecarHost, seenUnixMs, _time.GetTimestamp()));
        _queue.Add(ControllerKey.Workload(source.Key));
    }

    /// <summary>The inventory changed: only the workloads (and routing objects) the change can affect are queued.</summary>
    private void OnInventoryChanged(MeshIndex current)
    {
        MeshIndexChange change;
        lock (_indexGate)
        {
            change = MeshIndexChange.Between(_lastIndex, current);
            _lastIndex = current;
        }

        if (change.IsEmpty)
        {
            return;
        }

        if (change.AffectedWorkloads is null)
        {
            _context.EnqueueAllWorkloads();
        }
        else
        {
            // The workloads whose own data changed, and those that import a changed destination host.
            foreach (var key in change.AffectedWorkloads.Concat(HostImporters.Of(current, Store, change.ChangedHosts)))
            {
                _queue.Add(ControllerKey.Workload(key));
            }

            if (change.RoutingAffected)
            {
                _queue.Add(ControllerKey.Routing);
            }
        }

        foreach (var duty in Duties().Where(static d => d.FollowsInventory))
        {
            _queue.Add(duty.Key);
        }
    }

    private async ValueTask<ReconcileResult> ReconcileAsync(ControllerKey key, CancellationToken cancellationToken)
    {
        switch (key.Kind)
        {
            case ControllerKeyKind.Workload:
                await ReconcileWorkloadAsync(key.Name, cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Done;
            case ControllerKeyKind.Routing:
                if (_mode.Target.Routing is { } routing)
                {
                    var index = Index;
                    foreach (var workloadKey in _outcomes.Keys.Where(k => index.FindWorkload(k) is null))
                    {
                        _outcomes.TryRemove(workloadKey, out _);
                    }

                    await routing.ReconcileAsync(index, _outcomes, cancellationToken).ConfigureAwait(false);
                }

                return ReconcileResult.Done;
            default:
                var owner = _mode.State.Duties.Any(d => d.Key == key) ? (IControllerDuties)_mode.State : _mode.Target;
                return await owner.RunDutyAsync(key, _context, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReconcileWorkloadAsync(string workloadKey, CancellationToken cancellationToken)
    {
        // 1. Recorded first: no Sidecar shows an edge before it is where learned state lives. The edges of this
        //    workload recorded by now are the ones this pass can show (a later one queues the workload again).
        Record();
        var recorded = _notShown.TryRemove(workloadKey, out var queued) ? queued : null;

        // 2. Rendered and written.
        var index = Index;
        if (index.FindWorkload(workloadKey) is not { } workload)
        {
            _mode.Target.Forget(workloadKey);
            if (_outcomes.TryRemove(workloadKey, out _))
            {
                _queue.Add(ControllerKey.Routing);
            }

            return;
        }

        WorkloadOutcome outcome;
        try
        {
            outcome = await _mode.Target.ReconcileAsync(index, workload, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Unknown now: routing leaves this namespace's EnvoyFilters as they are.
            _outcomes.TryRemove(workloadKey, out _);
            NotShownYet(workloadKey, recorded);
            throw;
        }

        if (WorkloadOutcomes.ShowsLearnedHosts(outcome))
        {
            Shown(index, workload, recorded);
        }
        else if (outcome is not (WorkloadOutcome.Disabled or WorkloadOutcome.NoSelector or WorkloadOutcome.Conflict))
        {
            // Observing, paused, gone meanwhile, not ours: shown by a later pass.
            NotShownYet(workloadKey, recorded);
        }

        var previous = _outcomes.TryGetValue(workloadKey, out var p) ? p : (WorkloadOutcome?)null;
        _outcomes[workloadKey] = outcome;
        if (_mode.Target.Routing is not null && WorkloadOutcomes.IsRouted(previous) != WorkloadOutcomes.IsRouted(outcome))
        {
            // Routing after the Sidecars it depends on: the workload's EnvoyFilter follows its Sidecar.
            _queue.Add(ControllerKey.Routing);
        }
    }

    private void NotShownYet(string workloadKey, ConcurrentQueue<PendingEdge>? edges)
    {
        if (edges is null)
        {
            return;
        }

        var into = _notShown.GetOrAdd(workloadKey, static _ => new ConcurrentQueue<PendingEdge>());
        while (edges.TryDequeue(out var edge))
        {
            into.Enqueue(edge);
        }
    }

    /// <summary>Records every pending edge (and those refused before) where learned state lives.</summary>
    private void Record()
    {
        lock (_recordGate)
        {
            var drained = _unrecorded;
            _unrecorded = [];
            while (_pending.TryDequeue(out var edge))
            {
                drained.Add(edge);
            }

            if (drained.Count == 0)
            {
                return;
            }

            if (!_mode.State.TryRecord(Store, drained))
            {
                // Kept and retried on a later pass; the Sidecars written meanwhile simply do not show these hosts yet.
                _unrecorded = drained;
                foreach (var workloadKey in drained.Select(static e => e.WorkloadKey).Distinct(StringComparer.Ordinal))
                {
                    _queue.Add(ControllerKey.Workload(workloadKey));
                }

                return;
            }

            foreach (var edge in drained)
            {
                LogLearned(_logger, edge.WorkloadKey, edge.Host);
                _notShown.GetOrAdd(edge.WorkloadKey, static _ => new ConcurrentQueue<PendingEdge>()).Enqueue(edge);
            }
        }
    }

    /// <summary>The workload's recorded edges are in a Sidecar now: reported once each, with their latency.</summary>
    private void Shown(MeshIndex index, Workload workload, ConcurrentQueue<PendingEdge>? edges)
    {
        if (edges is null || edges.IsEmpty)
        {
            return;
        }

        var location = _mode.Target.LocationOf(index, workload);
        while (edges.TryDequeue(out var edge))
        {
            var latency = _time.GetElapsedTime(edge.ArrivedTimestamp);
            Metrics.ObserveLearnedToWritten(latency, _mode.Target.IsApi);
            DependencyPersisted?.Invoke(new DependencyPersisted(edge.WorkloadKey, edge.Host, location, latency));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "LazyMesh controller starting: http={HttpEndPoint} (healthz now, readyz once the inventory is loaded and ALS listens)")]
    private static partial void LogStarting(ILogger logger, string httpEndPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "inventory loaded: {Workloads} workloads, {Services} services, {Pods} pods")]
    private static partial void LogInventory(ILogger logger, int workloads, int services, int pods);

    [LoggerMessage(Level = LogLevel.Information, Message = "LazyMesh controller ready: als={AlsEndPoint} http={HttpEndPoint} output={Output}")]
    private static partial void LogReady(ILogger logger, string alsEndPoint, string httpEndPoint, string output);

    [LoggerMessage(Level = LogLevel.Information, Message = "learned dependency {Workload} -> {Host}")]
    private static partial void LogLearned(ILogger logger, string workload, string host);
}
