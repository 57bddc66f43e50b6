using System.Collections.Concurrent;
using System.Net;
using System.Runtime.ExceptionServices;
using LazyMesh.Als;
using LazyMesh.Controller.Queue;
using LazyMesh.Hosting;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller;

/// <summary>
/// The one controller, on files and on Kubernetes: ALS streams → <see cref="EdgeLearner"/> → a keyed
/// <see cref="WorkQueue{TKey}"/> → per workload key: the new edges recorded where learned state lives
/// (<see cref="ILearnedState"/>), then the Sidecar written where objects go (<see cref="IObjectTarget"/>); the
/// routing objects follow on their own key (<see cref="Routing.FallbackRoutingReconciler"/>), and the duties of the
/// mode's parts (compaction, cleanup, expiry, events, resync) are keys too. An inventory change
/// (<see cref="IInventorySource"/>) queues only the workloads <see cref="MeshIndexChange.Between"/> names. Owns the
/// store, the <c>--prometheus</c> poller and the final flush at shutdown; runs on one Generic Host
/// (<see cref="ControllerHost"/>: ALS and <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, <c>/api/v1/graph</c>,
/// <c>/ui</c> on one Kestrel server, health from the start) whose start and stop drive it
/// (<see cref="ControllerLifecycle"/>).
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
    private readonly WebApplication _app;
    private readonly ControllerListeners _listeners;
    private EdgeLearner? _learner;
    private Exception? _startFailure;
    private bool _started;
    private bool _stopped;
    private bool _hostStopped;
    private volatile string? _notReady = "starting";
    private volatile bool _acceptsAls;

    public LazyMeshController(ControllerMode mode, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _mode = mode;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("LazyMesh.Controller");
        _time = time ?? TimeProvider.System;
        _mode.Als.Mesh ??= () => _mode.Inventory.Holder.Current;
        _mode.Als.Time = _time;
        Lifecycle = new ControllerLifecycle(this);

        // The host is built now (started by StartAsync/RunAsync): the metrics are made by its meter factory.
        _app = ControllerHost.Build(this, mode, loggerFactory, out _listeners);
        Metrics = new ControllerMetrics(Store, mode.Inventory, _app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _queue = new WorkQueue<ControllerKey>(new WorkQueueOptions { Name = mode.Name, Workers = mode.Workers, MinInterval = mode.MinWriteInterval, Meter = Metrics.Meter }, _time);
        _queue.Failed += (key, error, failures, delay) => ControllerLog.ReconcileFailed(_logger, key.ToString(), failures, (long)delay.TotalMilliseconds, error.Message);
        _context = new ControllerContext(() => Index, _outcomes, _queue.Add);
        ControllerHost.Map(_app, this);
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

    public IPEndPoint AlsEndPoint => _listeners.AlsEndPoint;

    public IPEndPoint HttpEndPoint => _listeners.HttpEndPoint;

    /// <summary>The current mesh index (empty before the inventory is loaded).</summary>
    public MeshIndex Index => _mode.Inventory.Holder.Current;

    public WorkQueue<ControllerKey> Queue => _queue;

    /// <summary>Inventory loaded, learned state restored and ALS streams taken.</summary>
    public bool IsReady => _notReady is null;

    /// <summary>Why <c>/readyz</c> answers 503 (the inventory loading, the learned state restoring, ...); null when ready.</summary>
    public string? NotReadyReason => _notReady;

    /// <summary>True while ALS streams are taken (from the learner's creation, or the first idle queue, to the stop).</summary>
    internal bool AcceptsAls => _acceptsAls;

    /// <summary>Where ALS streams go: the learner (the host refuses streams while <see cref="AcceptsAls"/> is false).</summary>
    internal EdgeLearner Learner => _learner ?? throw new InvalidOperationException("not started");

    internal ControllerLifecycle Lifecycle { get; }

    /// <summary>The services of the controller's host (<see cref="ControllerHost"/>), built with the controller.</summary>
    internal IServiceProvider HostServices => _app.Services;

    /// <summary>True while a change of workload <paramref name="workloadKey"/> waits for its write.</summary>
    public bool IsPendingWrite(string workloadKey) => _queue.IsPending(ControllerKey.Workload(workloadKey));

    /// <summary>The learned dependency graph now (what <c>/api/v1/graph</c> returns).</summary>
    public Ui.GraphDocument Graph() => Ui.GraphBuilder.FromMesh(
        Index,
        Store,
        new Ui.GraphOptions { Source = $"controller ({_mode.Name})", Render = _mode.Render, EnabledByDefault = _mode.EnabledByDefault, IsPendingWrite = IsPendingWrite },
        _time.GetUtcNow());

    /// <summary>
    /// Starts the host (Kestrel listens: health at once) and, in it, the controller; completes when it is ready.
    /// Stopped by <see cref="StopAsync"/> or <see cref="DisposeAsync"/>, never by a signal (see <see cref="RunAsync"/>).
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => StartHostAsync(signals: false, cancellationToken);

    /// <summary>
    /// Runs the controller until the host's console lifetime sees SIGTERM, SIGINT or SIGQUIT, or
    /// <paramref name="cancellationToken"/> is cancelled; then stops it, with its final flush. A stop asked while it
    /// starts (e.g. the informers never sync) is a clean stop too.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await StartHostAsync(signals: true, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || _app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
            return;
        }

        await _app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        _hostStopped = true;
    }

    private async Task StartHostAsync(bool signals, CancellationToken cancellationToken)
    {
        if (_started)
        {
            throw new InvalidOperationException("already started");
        }

        _started = true;
        _app.Services.GetRequiredService<ControllerHostLifetime>().Signals = signals;
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        if (_startFailure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Before Kestrel starts: the metrics <c>/metrics</c> exports from the first scrape.</summary>
    internal void PrepareMetrics()
    {
        _mode.State.AddMetrics(Metrics.Meter);
        _mode.Target.AddMetrics(Metrics.Meter);
        Metrics.TrackWriteQueue(() => _queue.Depth + _queue.Waiting);
    }

    /// <summary>The slow start, once Kestrel listens. A failure is kept for <see cref="StartAsync"/> to throw (the host would log it with its stack).</summary>
    internal async Task RunStartAsync(CancellationToken cancellationToken)
    {
        // A stop asked meanwhile (SIGTERM while the informers sync) ends the start too.
        using var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _app.Lifetime.ApplicationStopping);
        try
        {
            await StartControllerAsync(start.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _startFailure = e;
        }
    }

    private async Task StartControllerAsync(CancellationToken cancellationToken)
    {
        // Liveness first: /healthz answers while the inventory loads or the informers sync (seconds at 50k pods).
        _notReady = _mode.InventoryLoading;
        LogStarting(_logger, HttpEndPoint.ToString());
        await _mode.StartInventoryAsync(cancellationToken).ConfigureAwait(false);
        var index = _mode.Inventory.Holder.Current;
        lock (_indexGate)
        {
            _lastIndex = index;
        }

        LogInventory(_logger, index.Workloads.Count, index.Services.Count, index.Pods.Count);
        _mode.Inventory.Reloaded += OnInventoryChanged;

        _notReady = "restoring the learned state";
        await _mode.State.RestoreAsync(Store, cancellationToken).ConfigureAwait(false);
        _learner = new EdgeLearner(_mode.Inventory.Holder, Store, OnNewEdge, _time);
        Metrics.Track(_learner.Stats, _app.Services.GetRequiredService<AlsServerStats>());

        await _mode.Target.StartAsync(_context, _stopping.Token).ConfigureAwait(false);
        _context.EnqueueAllWorkloads();
        foreach (var duty in Duties())
        {
            _queue.AddAfter(duty.Key, duty.FirstRun);
        }

        if (_mode.ReconcileBeforeListening)
        {
            // Everything already learned is written (or confirmed unchanged) before streams are taken.
            _notReady = "writing what was learned before";
            _loops.Add(_queue.RunAsync(ReconcileAsync, _stopping.Token));
            await _queue.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            _acceptsAls = true;
        }
        else
        {
            // Streams are taken before the first write; edges arriving meanwhile simply queue their workloads.
            _acceptsAls = true;
            _loops.Add(_queue.RunAsync(ReconcileAsync, _stopping.Token));
        }

        if (_mode.Prometheus is { } prometheus)
        {
            var poller = new MetricsSource.MetricsPoller(prometheus, () => Index, LearnEdge, _loggerFactory.CreateLogger("LazyMesh.Prometheus"), _time);
            _loops.Add(Task.Run(() => poller.RunAsync(_stopping.Token), CancellationToken.None));
        }

        _notReady = null;
        LogReady(_logger, AlsEndPoint.ToString(), HttpEndPoint.ToString(), _mode.Target.Description);
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
    /// Stops the host: new ALS streams are refused and open ones end, Kestrel stops, the loops end, then every
    /// workload and routing key still queued or waiting (and the duties that ask for it) is reconciled once more, for
    /// at most <see cref="ControllerMode.ShutdownTimeout"/> (the final flush; the host's shutdown timeout too), and the
    /// learned state gets its last write.
    /// </summary>
    public async Task StopAsync()
    {
        if (_started && !_hostStopped)
        {
            _hostStopped = true;
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The host is stopping (Kestrel still up): not ready any more, and no new ALS stream.</summary>
    internal void BeginStop()
    {
        _notReady = "stopping";
        _acceptsAls = false;
    }

    /// <summary>After Kestrel stopped (every ALS stream ended): the loops end, the final flush, the last write.</summary>
    internal async Task RunStopAsync(CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        BeginStop();

        // The whole stop (loops ending, then the flush) within the mode's shutdown timeout on the controller's clock,
        // or the host's (the same timeout on the system clock), whichever comes first.
        using var deadline = new CancellationTokenSource(_mode.ShutdownTimeout, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        LogStopping(_logger, (long)_mode.ShutdownTimeout.TotalMilliseconds);
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in _loops)
        {
            try
            {
                await loop.WaitAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (_learner is not null)
        {
            await FinalFlushAsync(stop.Token).ConfigureAwait(false);
            List<PendingEdge> unrecorded;
            lock (_recordGate)
            {
                unrecorded = [.. _unrecorded, .. _pending];
                _unrecorded = [];
                _pending.Clear();
            }

            _mode.State.FlushAtExit(Store, unrecorded);
        }

        if (stop.IsCancellationRequested)
        {
            // A loop's reconcile or the flush hung: cut, and the process exits all the same.
            ControllerLog.FlushTimedOut(_logger, (long)_mode.ShutdownTimeout.TotalMilliseconds);
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

        _queue.Dispose();
        Metrics.Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Cut when <paramref name="deadline"/> is cancelled (the caller logs it); a reconcile that ignores its token is left behind.</summary>
    private async Task FinalFlushAsync(CancellationToken deadline)
    {
        var flushed = Duties().Where(static d => d.InFinalFlush).Select(static d => d.Key).ToHashSet();
        try
        {
            await _queue.DrainAsync(
                (key, ct) => key.Kind is ControllerKeyKind.Workload or ControllerKeyKind.Routing || flushed.Contains(key)
                    ? ReconcileAsync(key, ct)
                    : ValueTask.FromResult(ReconcileResult.Done),
                deadline).WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Logged by the caller.
        }
    }

    private IEnumerable<ControllerDuty> Duties() => _mode.State.Duties.Concat(_mode.Target.Duties);

    /// <summary>
    /// Hot path (ALS threads, once per new edge): remember it and queue its workload ahead of resyncs and sweeps (a
    /// caller is going through the fallback until it is written); nothing else.
    /// </summary>
    private void OnNewEdge(Workload source, MeshService destination, long seenUnixMs)
    {
        _pending.Enqueue(new PendingEdge(source.Key, destination.SidecarHost, seenUnixMs, _time.GetTimestamp()));
        _queue.Add(ControllerKey.Workload(source.Key), WorkPriority.High);
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
                    _queue.Add(ControllerKey.Workload(workloadKey), WorkPriority.High);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "LazyMesh controller starting: http={HttpEndPoint} (healthz now, readyz once the inventory is loaded and ALS streams are taken)")]
    private static partial void LogStarting(ILogger logger, string httpEndPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "inventory loaded: {Workloads} workloads, {Services} services, {Pods} pods")]
    private static partial void LogInventory(ILogger logger, int workloads, int services, int pods);

    [LoggerMessage(Level = LogLevel.Information, Message = "LazyMesh controller ready: als={AlsEndPoint} http={HttpEndPoint} output={Output}")]
    private static partial void LogReady(ILogger logger, string alsEndPoint, string httpEndPoint, string output);

    [LoggerMessage(Level = LogLevel.Information, Message = "LazyMesh controller stopping: final flush within {TimeoutMs} ms")]
    private static partial void LogStopping(ILogger logger, long timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "learned dependency {Workload} -> {Host}")]
    private static partial void LogLearned(ILogger logger, string workload, string host);
}
