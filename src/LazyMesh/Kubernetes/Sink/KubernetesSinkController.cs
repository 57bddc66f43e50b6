using System.Collections.Concurrent;
using k8s;
using LazyMesh.Controller.Queue;
using LazyMesh.Kubernetes.Leadership;
using LazyMesh.Kubernetes.State;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// The online pipeline on a cluster: <see cref="Learner"/> (give it to the ALS server) → <see cref="DependencyStore"/> →
/// a keyed <see cref="WorkQueue{TKey}"/> → <see cref="LazySidecarSink"/>. Every unit of work is a key: each workload,
/// the routing objects, and the duties (expiry sweep and cleanup on the leader, Events, resync), so no workload is
/// reconciled twice at once and a failing key backs off on its own. On start the store is rebuilt from every
/// LazySidecar's status and every workload is queued.
/// </summary>
public sealed partial class KubernetesSinkController : IAsyncDisposable
{
    private static readonly TimeSpan EventsInterval = TimeSpan.FromSeconds(1);

    private readonly MeshIndexHolder _index;
    private readonly ILazySidecarSource _source;
    private readonly KubernetesControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SyncedHosts _synced = new();
    private readonly WorkQueue<ControllerKey> _queue;
    private readonly ConcurrentDictionary<string, WorkloadOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _expireDue = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _learnedAt = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

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
        _queue = new WorkQueue<ControllerKey>(
            new WorkQueueOptions { Name = "kubernetes", Workers = _options.Sink.MaxParallelism, MinInterval = _options.MinWriteInterval },
            _time);
        _queue.Failed += (key, error, failures, delay) => ControllerLog.ReconcileFailed(_logger, key.ToString(), failures, (long)delay.TotalMilliseconds, error.Message);
        Leadership = _options.Leadership is { } lo ? new ControllerLeadership(client, lo, _logger, _time) : null;
    }

    public DependencyStore Store { get; }

    /// <summary>The ALS server's sink (<see cref="LazyMesh.AccessLogs.IAccessEventSink"/>).</summary>
    public EdgeLearner Learner { get; }

    public LazySidecarSink Sink { get; }

    public WriteBudget Budget { get; }

    public ControllerLeadership? Leadership { get; }

    public WorkQueue<ControllerKey> Queue => _queue;

    public bool IsLeader => Leadership?.IsLeader ?? true;

    /// <summary>True while a change of workload <paramref name="key"/> waits for its write.</summary>
    public bool IsPendingWrite(string key) => _queue.IsPending(ControllerKey.Workload(key));

    /// <summary>Restores learned state from the LazySidecars, queues every workload and the duties, and starts the workers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var restored = await LearnedStateRestorer.RestoreAsync(_source, Store, _synced, cancellationToken).ConfigureAwait(false);
        LogRestored(_logger, restored, Store.WorkloadCount);
        EnqueueAll();
        _queue.AddAfter(ControllerKey.Events, EventsInterval);
        _queue.AddAfter(ControllerKey.Resync, _options.ResyncInterval);
        _queue.AddAfter(ControllerKey.ExpirySweep, _options.LeaderDutyInterval);
        _queue.AddAfter(ControllerKey.Cleanup, _options.LeaderDutyInterval);
        _loops.Add(_queue.RunAsync(ReconcileAsync, _stopping.Token));
        if (Leadership is not null)
        {
            Leadership.StartedLeading += () => _queue.Add(ControllerKey.ExpirySweep);
            _loops.Add(Task.Run(() => Leadership.RunAsync(_stopping.Token), CancellationToken.None));
        }
    }

    /// <summary>The inventory changed: queues the workloads in <paramref name="affected"/> (null: every workload) and the routing objects.</summary>
    public void OnInventoryChanged(IEnumerable<string>? affected = null)
    {
        if (affected is null)
        {
            EnqueueAll();
            return;
        }

        foreach (var key in affected)
        {
            _queue.Add(ControllerKey.Workload(key));
        }

        _queue.Add(ControllerKey.Routing);
    }

    /// <summary>Queues one workload (e.g. its LazySidecar or Sidecar was changed by someone else).</summary>
    public void Enqueue(string workloadKey) => _queue.Add(ControllerKey.Workload(workloadKey));

    /// <summary>
    /// Stops the workers, then reconciles once more every workload and routing key still queued or waiting (the final
    /// flush), for at most <paramref name="timeout"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
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

        using var flush = new CancellationTokenSource(timeout, _time);
        try
        {
            await _queue.DrainAsync(
                (key, ct) => key.Kind is ControllerKeyKind.Workload or ControllerKeyKind.Routing or ControllerKeyKind.Events
                    ? ReconcileAsync(key, ct)
                    : ValueTask.FromResult(ReconcileResult.Done),
                flush.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ControllerLog.FlushTimedOut(_logger, (long)timeout.TotalMilliseconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _queue.Dispose();
        _stopping.Dispose();
    }

    /// <summary>
    /// A workload's Sidecar carrying its newly learned dependencies reached the API (applied, or already there): the time
    /// since the oldest of them arrived.
    /// </summary>
    public event Action<TimeSpan>? LearnedToApplied;

    private void OnNewEdge(Workload source, MeshService destination, long seenUnixMs)
    {
        _learnedAt.TryAdd(source.Key, _time.GetTimestamp());
        _queue.Add(ControllerKey.Workload(source.Key));
    }


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

    private void EnqueueAll()
    {
        foreach (var workload in _index.Current.Workloads)
        {
            _queue.Add(ControllerKey.Workload(workload.Key));
        }

        _queue.Add(ControllerKey.Routing);
    }

    private async ValueTask<ReconcileResult> ReconcileAsync(ControllerKey key, CancellationToken cancellationToken)
    {
        switch (key.Kind)
        {
            case ControllerKeyKind.Workload:
                await ReconcileWorkloadAsync(key.Name, cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Done;
            case ControllerKeyKind.Routing:
                await ReconcileRoutingAsync(cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Done;
            case ControllerKeyKind.Events:
                await Sink.FlushEventsAsync(cancellationToken).ConfigureAwait(false);
                return ReconcileResult.After(EventsInterval);
            case ControllerKeyKind.Resync:
                Sink.Writer.ForgetAppliedContent();
                EnqueueAll();
                return ReconcileResult.After(_options.ResyncInterval);
            case ControllerKeyKind.ExpirySweep:
                if (IsLeader)
                {
                    // Each workload ages on its own key, so expiry never runs beside another reconcile of the same workload.
                    foreach (var workload in _index.Current.Workloads)
                    {
                        _expireDue[workload.Key] = 0;
                        _queue.Add(ControllerKey.Workload(workload.Key));
                    }
                }

                return ReconcileResult.After(_options.LeaderDutyInterval);
            case ControllerKeyKind.Cleanup:
                if (IsLeader)
                {
                    await Sink.CleanupAsync(_index.Current, _source, cancellationToken).ConfigureAwait(false);
                }

                return ReconcileResult.After(_options.LeaderDutyInterval);
            default:
                return ReconcileResult.Done;
        }
    }

    private async Task ReconcileWorkloadAsync(string workloadKey, CancellationToken cancellationToken)
    {
        var index = _index.Current;
        if (index.FindWorkload(workloadKey) is not { } workload)
        {
            // Gone from the inventory: the leader's cleanup deletes its objects after the grace period.
            _expireDue.TryRemove(workloadKey, out _);
            if (_outcomes.TryRemove(workloadKey, out _))
            {
                _queue.Add(ControllerKey.Routing);
            }

            return;
        }

        var expire = _expireDue.TryRemove(workloadKey, out _) && IsLeader;
        var learnedAt = _learnedAt.TryGetValue(workloadKey, out var t) ? t : (long?)null;
        WorkloadOutcome outcome;
        try
        {
            outcome = await Sink.ReconcileAsync(index, workload, expire, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (expire)
            {
                _expireDue[workloadKey] = 0;
            }

            // Unknown now: routing leaves this namespace's EnvoyFilter as it is.
            _outcomes.TryRemove(workloadKey, out _);
            throw;
        }

        if (learnedAt is { } since && _learnedAt.TryRemove(KeyValuePair.Create(workloadKey, since)) && IsRouted(outcome))
        {
            LearnedToApplied?.Invoke(_time.GetElapsedTime(since));
        }

        var previous = _outcomes.TryGetValue(workloadKey, out var p) ? p : (WorkloadOutcome?)null;
        _outcomes[workloadKey] = outcome;
        if (Sink.Routing is not null && IsRouted(previous) != IsRouted(outcome))
        {
            // Routing after the Sidecars it depends on: the namespace's EnvoyFilter follows its first applied Sidecar.
            _queue.Add(ControllerKey.Routing);
        }
    }

    private static bool IsRouted(WorkloadOutcome? outcome) => outcome is WorkloadOutcome.Applied or WorkloadOutcome.Unchanged;

    private async Task ReconcileRoutingAsync(CancellationToken cancellationToken)
    {
        if (Sink.Routing is not { } routing)
        {
            return;
        }

        var index = _index.Current;
        foreach (var key in _outcomes.Keys)
        {
            if (index.FindWorkload(key) is null)
            {
                _outcomes.TryRemove(key, out _);
            }
        }

        await routing.ReconcileAsync(index, index.Workloads, _outcomes, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "restored {Hosts} learned hosts of {Workloads} workloads from LazySidecar status")]
    private static partial void LogRestored(ILogger logger, int hosts, int workloads);
}
