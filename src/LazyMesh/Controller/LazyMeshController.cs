using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.ExceptionServices;
using k8s;
using k8s.Models;
using LazyMesh.Als;
using LazyMesh.Controller.Queue;
using LazyMesh.Hosting;
using LazyMesh.Istio;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using LazyMesh.Sinks;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller;

/// <summary>
/// The online pipeline on files: ALS streams -> <see cref="EdgeLearner"/> -> journal (fsynced) ->
/// a keyed <see cref="WorkQueue{TKey}"/> -> Sidecar writes into a <see cref="DirectorySink"/>. Keys are the workloads
/// (one learned dependency queues its workload), <see cref="ControllerKey.Resync"/> (every Sidecar and the routing
/// objects, pruning what is no longer wanted: queued when the inventory files change) and the journal compaction. One
/// worker: file writes are cheap and the journal has one writer; a failing key backs off on its own.
/// </summary>
public sealed partial class LazyMeshController : IAsyncDisposable
{
    /// <summary>Sidecar files written at once by a full reconcile.</summary>
    private const int WriteParallelism = 16;

    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DependencyStore _store;
    private readonly ConcurrentQueue<PendingEdge> _pending = new();

    /// <summary>Edges whose journal append failed: appended first on the next pass (write loop only).</summary>
    private List<PendingEdge> _unrecorded = [];
    private readonly Dictionary<string, List<PendingEdge>> _journaledUnwritten = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private InventoryWatcher? _inventory;
    private DependencyJournal? _journal;
    private DirectorySink? _sink;
    private EdgeLearner? _learner;
    private WorkQueue<ControllerKey>? _queue;
    private AlsServer? _als;
    private HealthServer? _health;
    private Task? _metricsLoop;
    private MeterPrometheusBridge? _meters;
    private Task? _queueLoop;
    private volatile bool _ready;

    public LazyMeshController(ControllerOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        _options = options;
        _logger = loggerFactory.CreateLogger("LazyMesh.Controller");
        LoggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
        _store = new DependencyStore(options.MaxHostsPerWorkload, recordBeforeShowing: true);
    }

    /// <summary>Raised on the write loop after a learned dependency's Sidecar is on disk.</summary>
    public event Action<DependencyPersisted>? DependencyPersisted;

    public ILoggerFactory LoggerFactory { get; }

    public DependencyStore Store => _store;

    public SidecarWriteStats Writes { get; } = new();

    public JournalStats Journal { get; } = new();

    public ControllerMetrics? Metrics { get; private set; }

    public IPEndPoint AlsEndPoint => _als?.BoundEndPoint ?? throw new InvalidOperationException("not started");

    public IPEndPoint HttpEndPoint => _health?.BoundEndPoint ?? throw new InvalidOperationException("not started");

    /// <summary>The current mesh index (empty before start).</summary>
    public MeshIndex Index => _inventory?.Holder.Current ?? MeshIndex.Empty;

    /// <summary>The write queue; null before start.</summary>
    public WorkQueue<ControllerKey>? WriteQueue => _queue;

    /// <summary>The learned dependency graph now (what <c>/api/v1/graph</c> returns).</summary>
    public Ui.GraphDocument Graph() => Ui.GraphBuilder.FromMesh(
        Index,
        _store,
        new Ui.GraphOptions { Source = "controller (files)", Render = _options.EffectiveRender, IsPendingWrite = key => _queue?.IsPending(ControllerKey.Workload(key)) == true },
        _time.GetUtcNow());

    /// <summary>Inventory loaded and the ALS port listening.</summary>
    public bool IsReady => _ready;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _inventory = new InventoryWatcher(_options.InventoryPaths, _options.Mesh, _options.InventoryReloadDelay, _logger);
        var index = _inventory.LoadAndWatch();
        LogInventory(_logger, index.Workloads.Count, index.Services.Count, index.Pods.Count);
        foreach (var warning in index.Warnings)
        {
            LogInventoryWarning(_logger, warning);
        }

        _journal = DependencyJournal.Open(_options.ResolvedStateDirectory, _store, out var loaded, _options.StateFileSystem);
        LogRestored(_logger, loaded.EdgesRestored, _store.WorkloadCount, _options.ResolvedStateDirectory);
        foreach (var problem in loaded.Problems)
        {
            LogJournalProblem(_logger, problem);
        }

        // The journal is fsynced before any write and the startup reconcile rewrites every file from it:
        // Sidecar files need atomic replacement for their readers, not a disk sync each.
        _sink = new DirectorySink(_options.OutputDirectory, durable: false);
        _learner = new EdgeLearner(_inventory.Holder, _store, OnNewEdge, _time);
        _queue = new WorkQueue<ControllerKey>(new WorkQueueOptions { Name = "files", Workers = 1, MinInterval = _options.MinWriteInterval }, _time);
        _queue.Failed += (key, error, failures, delay) => ControllerLog.ReconcileFailed(_logger, key.ToString(), failures, (long)delay.TotalMilliseconds, error.Message);
        _inventory.Reloaded += _ => _queue.Add(ControllerKey.Resync);

        // Everything already learned is written (or confirmed unchanged) before streams arrive.
        await ReconcileAsync(ControllerKey.Resync, cancellationToken).ConfigureAwait(false);
        _queue.AddAfter(ControllerKey.Compaction, _options.CompactionInterval);
        _queueLoop = _queue.RunAsync(ReconcileAsync, _stopping.Token);
        if (_options.Prometheus is { } prometheus)
        {
            MetricsPoller = new MetricsSource.MetricsPoller(prometheus, () => Index, LearnEdge, LoggerFactory.CreateLogger("LazyMesh.Prometheus"), _time);
            _metricsLoop = Task.Run(() => MetricsPoller.RunAsync(_stopping.Token), CancellationToken.None);
        }

        _options.Als.Mesh ??= () => _inventory.Holder.Current;
        _als = new AlsServer(_options.AlsEndPoint, _options.Als, _learner, LoggerFactory);
        Metrics = new ControllerMetrics(_learner.Stats, _als.Stats, _store, Writes, _inventory, Journal);
        _meters = new MeterPrometheusBridge(Metrics.Registry);
        Metrics.TrackWriteQueue(() => _queue is { } q ? q.Depth + q.Waiting : 0);
        _health = new HealthServer(_options.HttpEndPoint, () => _ready, Metrics.Registry, routes => Ui.GraphEndpoints.Map(routes, Graph));
        await _health.StartAsync(cancellationToken).ConfigureAwait(false);
        await _als.StartAsync(cancellationToken).ConfigureAwait(false);
        _ready = true;
        LogReady(_logger, _als.BoundEndPoint.ToString(), _health.BoundEndPoint.ToString(), _options.OutputDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        _ready = false;
        if (_als is not null)
        {
            await _als.DisposeAsync().ConfigureAwait(false);
        }

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

        if (_queueLoop is not null)
        {
            await _queueLoop.ConfigureAwait(false);
        }

        // Whatever arrived last is persisted and written before the process goes.
        if (_sink is not null)
        {
            try
            {
                await ReconcileAsync(ControllerKey.Resync, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(_logger, "(final flush)", e.Message);
            }
        }

        _queue?.Dispose();
        _meters?.Dispose();

        if (_journal is not null)
        {
            // Edges the journal refused get one more chance in the snapshot (the disk may have room for it now).
            foreach (var edge in _unrecorded)
            {
                _store.MarkRecorded(edge.WorkloadKey, edge.Host);
            }

            try
            {
                _journal.Compact(_store);
                _unrecorded.Clear();
            }
            catch (IOException ex)
            {
                Journal.OnCompactionFailed();
                LogCompactionFailed(_logger, ex.Message);
            }

            if (_unrecorded.Count > 0)
            {
                LogUnrecordedAtExit(_logger, _unrecorded.Count);
            }

            _journal.Dispose();
        }

        _inventory?.Dispose();
        if (_health is not null)
        {
            await _health.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>The <c>--prometheus</c> source, when configured.</summary>
    public MetricsSource.MetricsPoller? MetricsPoller { get; private set; }

    /// <summary>Learns an edge from a source other than access logs (Istio metrics): the same store, journal and writes.</summary>
    public LearnResult LearnEdge(Workload source, MeshService destination, long seenUnixMs)
    {
        var result = _store.Learn(source, destination, seenUnixMs, LearnedVia.Metrics);
        if (result == LearnResult.New)
        {
            OnNewEdge(source, destination, seenUnixMs);
        }

        return result;
    }

    /// <summary>Hot path (called on ALS threads for each new edge): enqueue and mark; nothing else.</summary>
    private void OnNewEdge(Workload source, MeshService destination, long seenUnixMs)
    {
        _pending.Enqueue(new PendingEdge(source.Key, destination.SidecarHost, seenUnixMs, Stopwatch.GetTimestamp()));
        _queue!.Add(ControllerKey.Workload(source.Key));
    }

    /// <summary>One key; runs only on the queue's single worker (or before it starts / after it stops).</summary>
    private ValueTask<ReconcileResult> ReconcileAsync(ControllerKey key, CancellationToken cancellationToken)
    {
        if (key.Kind == ControllerKeyKind.Compaction)
        {
            try
            {
                _journal!.Compact(_store);
            }
            catch (IOException ex)
            {
                // The journal still holds everything; the next interval tries again.
                Journal.OnCompactionFailed();
                LogCompactionFailed(_logger, ex.Message);
            }

            return ValueTask.FromResult(ReconcileResult.After(_options.CompactionInterval));
        }

        // 1. Durable first: every new edge is in the fsynced journal before any Sidecar shows it. The store keeps a
        //    new host out of every Sidecar until MarkRecorded, so an edge learned while this pass runs waits too.
        var drained = _unrecorded;
        _unrecorded = [];
        while (_pending.TryDequeue(out var edge))
        {
            drained.Add(edge);
        }

        if (drained.Count > 0 && !TryRecord(drained))
        {
            // Kept queued and retried on a later pass; the Sidecars written now simply do not show these hosts yet.
            _unrecorded = drained;
            Journal.SetUnrecorded(drained.Count);
            foreach (var workloadKey in drained.Select(static e => e.WorkloadKey).Distinct(StringComparer.Ordinal))
            {
                _queue?.Add(ControllerKey.Workload(workloadKey));
            }
        }
        else if (drained.Count > 0)
        {
            Journal.SetUnrecorded(0);
            foreach (var edge in drained)
            {
                _store.MarkRecorded(edge.WorkloadKey, edge.Host);
                LogLearned(_logger, edge.WorkloadKey, edge.Host);
                if (!_journaledUnwritten.TryGetValue(edge.WorkloadKey, out var list))
                {
                    _journaledUnwritten[edge.WorkloadKey] = list = [];
                }

                list.Add(edge);
            }
        }

        // 2. Render and write.
        var index = _inventory!.Holder.Current;
        if (key.Kind == ControllerKeyKind.Resync)
        {
            ReconcileAll(index);
        }
        else if (index.FindWorkload(key.Name) is { } workload)
        {
            var desired = BuildWorkload(index, workload) is { } d ? new[] { d } : [];
            WriteAll(desired);
            _journaledUnwritten.Remove(workload.Key);

            // Routing after the Sidecars it depends on: each written workload gets (or keeps) its EnvoyFilter now.
            WriteRouting(index, desired, sharedToo: false);
        }
        else
        {
            // Learned for a workload the inventory no longer has: kept in the store and journal only.
            _journaledUnwritten.Remove(key.Name);
        }

        return ValueTask.FromResult(ReconcileResult.Done);
    }

    /// <summary>Appends the edges to the journal; false (logged and counted) when the disk refused them.</summary>
    private bool TryRecord(List<PendingEdge> edges)
    {
        try
        {
            _journal!.Append([.. edges.Select(static e => new PersistedEdge(e.WorkloadKey, e.Host, e.SeenUnixMs, e.SeenUnixMs))]);
            return true;
        }
        catch (IOException ex)
        {
            Journal.OnAppendFailed();
            LogAppendFailed(_logger, edges.Count, ex.Message);
            return false;
        }
    }

    private void ReconcileAll(MeshIndex index)
    {
        var desired = DesiredStateBuilder.Build(index, _store, _options.EffectiveRender, enabledByDefault: true, _time.GetUtcNow());
        foreach (var warning in desired.Warnings)
        {
            LogRenderWarning(_logger, warning);
        }

        var keep = new HashSet<(string, string)>();
        foreach (var d in desired.Sidecars)
        {
            keep.Add((d.Sidecar.Metadata.NamespaceProperty, d.Sidecar.Metadata.Name));
        }

        WriteAll(desired.Sidecars);
        var routed = WriteRouting(index, desired.Sidecars, sharedToo: true);

        // Removal runs the other way: an EnvoyFilter goes before the Sidecar it relied on.
        if (_options.FallbackRouting is not null)
        {
            foreach (var (ns, name) in _sink!.ReadManaged(EnvoyFilterResource.ResourceKind))
            {
                if (!routed.Contains((ns, name)) && KubernetesNames.IsDns1123Label(ns) && _sink.Delete(ns, name, EnvoyFilterResource.ResourceKind))
                {
                    Writes.OnDeleted();
                    LogDeleted(_logger, $"EnvoyFilter {ns}/{name}", "its workload no longer gets a lazy Sidecar");
                }
            }
        }

        foreach (var stored in _sink!.ReadAll().Where(_sink.IsAtItsOwnPath))
        {
            var ns = stored.Sidecar.Metadata.NamespaceProperty;
            var name = stored.Sidecar.Metadata.Name;
            if (!keep.Contains((ns, name)) && _sink.Delete(ns, name))
            {
                Writes.OnDeleted();
                LogDeleted(_logger, $"Sidecar {ns}/{name}", "its workload no longer gets one");
            }
        }

        // Journaled edges of workloads that are gone from the inventory stay in the store, unwritten.
        _journaledUnwritten.Clear();
    }

    /// <summary>
    /// The fallback routing objects: an EnvoyFilter per written lazy Sidecar, and (on a full reconcile) the fallback's
    /// Service carrying every HTTP port of the mesh and its DestinationRule. Called only after the Sidecars they depend
    /// on are written. Returns the EnvoyFilters that should exist (namespace, name).
    /// </summary>
    private HashSet<(string, string)> WriteRouting(MeshIndex index, IReadOnlyCollection<DesiredSidecar> sidecars, bool sharedToo)
    {
        var expected = new HashSet<(string, string)>();
        if (_options.FallbackRouting is not { } routing)
        {
            return expected;
        }

        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (sharedToo)
        {
            objects.AddRange(FallbackRoutingObjects.Shared(index, routing));
        }

        foreach (var filter in FallbackRoutingObjects.EnvoyFilters(index, sidecars.Select(static d => d.Sidecar), routing))
        {
            expected.Add((filter.Metadata.NamespaceProperty, filter.Metadata.Name));
            objects.Add(filter);
        }

        foreach (var resource in objects)
        {
            var result = _sink!.Write(resource);
            if (result == WriteResult.Written)
            {
                Writes.OnWritten();
                LogRoutingWritten(_logger, resource.Kind, $"{resource.Metadata.NamespaceProperty}/{resource.Metadata.Name}");
            }
            else if (result == WriteResult.NotOurs)
            {
                Writes.OnNotOurs();
                LogNotOurs(_logger, resource.Kind, _sink.PathFor(resource.Metadata.NamespaceProperty, resource.Metadata.Name, resource.Kind));
            }
            else
            {
                Writes.OnUnchanged();
            }
        }

        return expected;
    }

    /// <summary>Renders one workload; deletes its Sidecar when it no longer gets one. Null when there is nothing to write.</summary>
    private DesiredSidecar? BuildWorkload(MeshIndex index, Workload workload)
    {
        var warnings = new List<string>();
        var desired = DesiredStateBuilder.BuildOne(
            index, workload, _store.Find(workload.Key), _options.EffectiveRender, enabledByDefault: true, warnings, out var skip, _store.Find, _time.GetUtcNow());
        foreach (var warning in warnings)
        {
            LogRenderWarning(_logger, warning);
        }

        if (desired is null)
        {
            if (skip is not WorkloadSkip.None && _options.FallbackRouting is not null && KubernetesNames.IsDns1123Label(workload.Namespace)
                && _sink!.Delete(workload.Namespace, SidecarNames.For(workload), EnvoyFilterResource.ResourceKind))
            {
                // The EnvoyFilter goes before the Sidecar that imports the fallback host.
                Writes.OnDeleted();
            }

            if (skip is WorkloadSkip.Disabled or WorkloadSkip.Conflict or WorkloadSkip.Observing && _sink!.Delete(workload.Namespace, SidecarNames.For(workload)))
            {
                Writes.OnDeleted();
            }

            _journaledUnwritten.Remove(workload.Key);
        }

        return desired;
    }

    /// <summary>
    /// Writes Sidecars, up to <see cref="WriteParallelism"/> at once: each atomic write waits on two fsyncs, which
    /// overlap when issued concurrently (a burst of 1,000 new dependencies was 1,000 sequential writes). Counting,
    /// logging and <see cref="DependencyPersisted"/> stay on the calling (write loop) thread, after each file is on disk.
    /// The first failure is rethrown after every other write was attempted, so the scheduler retries.
    /// </summary>
    private void WriteAll(IReadOnlyList<DesiredSidecar> desired)
    {
        var results = new WriteResult[desired.Count];
        var failures = new Exception?[desired.Count];
        if (desired.Count == 1)
        {
            WriteOne(0);
        }
        else if (desired.Count > 1)
        {
            Parallel.For(0, desired.Count, new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism }, WriteOne);
        }

        Exception? first = null;
        for (var i = 0; i < desired.Count; i++)
        {
            var d = desired[i];
            if (failures[i] is { } failure)
            {
                Writes.OnFailed();
                LogWriteFailed(_logger, d.Workload.Key, failure.Message);
                first ??= failure;
                continue;
            }

            if (results[i] == WriteResult.Written)
            {
                Writes.OnWritten();
                LogWritten(_logger, $"{d.Sidecar.Metadata.NamespaceProperty}/{d.Sidecar.Metadata.Name}", d.LearnedHosts, d.StaticHosts);
            }
            else if (results[i] == WriteResult.NotOurs)
            {
                Writes.OnNotOurs();
                LogNotOurs(_logger, SidecarResource.ResourceKind, _sink!.PathFor(d.Sidecar.Metadata.NamespaceProperty, d.Sidecar.Metadata.Name));
                continue;
            }
            else
            {
                Writes.OnUnchanged();
            }

            if (_journaledUnwritten.TryGetValue(d.Workload.Key, out var edges))
            {
                var path = _sink!.PathFor(d.Sidecar.Metadata.NamespaceProperty, d.Sidecar.Metadata.Name);
                foreach (var edge in edges)
                {
                    var latency = Stopwatch.GetElapsedTime(edge.ArrivedTimestamp);
                    Metrics?.ObserveLearnLatency(latency);
                    DependencyPersisted?.Invoke(new DependencyPersisted(edge.WorkloadKey, edge.Host, path, latency));
                }
            }
        }

        if (first is not null)
        {
            ExceptionDispatchInfo.Throw(first);
        }

        void WriteOne(int i)
        {
            try
            {
                results[i] = _sink!.Write(desired[i].Sidecar);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures[i] = ex;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "inventory loaded: {Workloads} workloads, {Services} services, {Pods} pods")]
    private static partial void LogInventory(ILogger logger, int workloads, int services, int pods);

    [LoggerMessage(Level = LogLevel.Warning, Message = "inventory: {Warning}")]
    private static partial void LogInventoryWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "restored {Edges} learned dependencies of {Workloads} workloads from {StateDirectory}")]
    private static partial void LogRestored(ILogger logger, int edges, int workloads, string stateDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "learned state: {Problem}")]
    private static partial void LogJournalProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "LazyMesh controller ready: als={AlsEndPoint} http={HttpEndPoint} output={OutputDirectory}")]
    private static partial void LogReady(ILogger logger, string alsEndPoint, string httpEndPoint, string outputDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "learned dependency {Workload} -> {Host}")]
    private static partial void LogLearned(ILogger logger, string workload, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "wrote Sidecar {Sidecar} ({Learned} learned hosts, {Static} static)")]
    private static partial void LogWritten(ILogger logger, string sidecar, int learned, int @static);

    [LoggerMessage(Level = LogLevel.Information, Message = "wrote {Kind} {Name}")]
    private static partial void LogRoutingWritten(ILogger logger, string kind, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogRenderWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "removed {Resource}: {Reason}")]
    private static partial void LogDeleted(ILogger logger, string resource, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "recording {Count} learned dependencies in the journal failed; they stay queued, out of every Sidecar, and are retried: {Reason}")]
    private static partial void LogAppendFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "writing the learned-state snapshot failed (the journal still holds everything; will retry): {Reason}")]
    private static partial void LogCompactionFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Count} learned dependencies could not be recorded before exit (the disk refused the journal and the snapshot); they will be learned again from traffic")]
    private static partial void LogUnrecordedAtExit(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "not writing {Kind} to {Path}: the file there is not LazyMesh's (no managed-by label, or another object); move it away to let LazyMesh write")]
    private static partial void LogNotOurs(ILogger logger, string kind, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "writing the Sidecar of {Workload} failed (will retry): {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string workload, string reason);
}
