using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.State;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// Level-triggered reconcile of one lazy workload against the API server, in this order:
/// <list type="number">
/// <item>server-side apply of its <c>LazySidecar</c> (spec only: workload, selector, static hosts);</item>
/// <item>its learned hosts merged into <c>LazySidecar.status</c> (optimistic concurrency; persisted before any
/// Sidecar shows them, so nothing learned is lost) — expiry too, on the leader;</item>
/// <item>server-side apply of the generated <c>Sidecar</c>, owned by the LazySidecar, rendered from the merged
/// status;</item>
/// <item>a read-back: if status meanwhile holds hosts the applied Sidecar lacks (another replica merged), repeat.</item>
/// </list>
/// A workload a user-written Sidecar selects gets only its LazySidecar, with Conflict=True, and an Event.
/// </summary>
public sealed partial class LazySidecarSink
{
    private const int MaxRounds = 5;

    private readonly KubeWriter _writer;
    private readonly DependencyStore _store;
    private readonly SyncedHosts _synced;
    private readonly KubernetesSinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LazySidecarStatusWriter _status;
    private readonly ConcurrentDictionary<string, LazySidecarResource> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _appliedSidecarSpecs = new(StringComparer.Ordinal);

    public LazySidecarSink(
        KubeWriter writer,
        DependencyStore store,
        SyncedHosts synced,
        KubernetesSinkOptions? options = null,
        TimeProvider? time = null,
        ILogger? logger = null)
    {
        _writer = writer;
        _store = store;
        _synced = synced;
        _options = options ?? new KubernetesSinkOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _status = new LazySidecarStatusWriter(writer);
        Routing = _options.FallbackRouting is { } routing ? new FallbackRoutingSink(writer, routing, _logger) : null;
        LearnedEvents = new DependencyLearnedEvents(_options.EventAggregationWindow);
    }

    public KubeWriter Writer => _writer;

    public KubeSinkStats Stats => _writer.Stats;

    public DependencyLearnedEvents LearnedEvents { get; }

    /// <summary>The fallback routing objects (null: <see cref="KubernetesSinkOptions.FallbackRouting"/> is off).</summary>
    public FallbackRoutingSink? Routing { get; }

    /// <summary>Reconciles the workloads concurrently (bounded), then writes due Events. Exceptions of single workloads are rethrown together.</summary>
    public async Task ReconcileAsync(MeshIndex index, IEnumerable<Workload> workloads, bool expire, CancellationToken cancellationToken)
    {
        var errors = await ReconcileEachAsync(index, workloads, expire, outcomes: null, cancellationToken).ConfigureAwait(false);
        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
        if (!errors.IsEmpty)
        {
            throw new AggregateException(errors);
        }
    }

    /// <summary>
    /// Reconciles every workload of <paramref name="index"/>, then (when routing is on) the fallback routing objects:
    /// EnvoyFilters only in namespaces whose Sidecars were just applied, and stale ones deleted before
    /// <see cref="CleanupAsync"/> can delete Sidecars. Routing runs even when some workloads failed (their namespaces'
    /// EnvoyFilters are left as they are); the failures are rethrown together afterwards.
    /// </summary>
    public async Task ReconcileAllAsync(MeshIndex index, bool expire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var outcomes = new ConcurrentDictionary<string, WorkloadOutcome>(StringComparer.Ordinal);
        var errors = await ReconcileEachAsync(index, index.Workloads, expire, outcomes, cancellationToken).ConfigureAwait(false);
        if (Routing is not null)
        {
            try
            {
                await Routing.ReconcileAsync(index, index.Workloads, outcomes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogRoutingFailed(_logger, e.Message);
                errors.Enqueue(e);
            }
        }

        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
        if (!errors.IsEmpty)
        {
            throw new AggregateException(errors);
        }
    }

    private async Task<ConcurrentQueue<Exception>> ReconcileEachAsync(
        MeshIndex index, IEnumerable<Workload> workloads, bool expire, ConcurrentDictionary<string, WorkloadOutcome>? outcomes, CancellationToken cancellationToken)
    {
        var errors = new ConcurrentQueue<Exception>();
        await Parallel.ForEachAsync(
            workloads,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken },
            async (workload, ct) =>
            {
                try
                {
                    var outcome = await ReconcileAsync(index, workload, expire, ct).ConfigureAwait(false);
                    outcomes?.TryAdd(workload.Key, outcome);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogReconcileFailed(_logger, workload.Key, e.Message);
                    errors.Enqueue(e);
                }
            }).ConfigureAwait(false);
        return errors;
    }

    /// <summary>Reconciles one workload; <paramref name="expire"/> (the leader) also ages its learned hosts.</summary>
    public async Task<WorkloadOutcome> ReconcileAsync(MeshIndex index, Workload workload, bool expire, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var admission = WorkloadAdmission.Evaluate(index, workload, _options.EnabledByDefault, warnings, out var staticHosts);
        foreach (var warning in warnings)
        {
            LogAdmissionWarning(_logger, warning);
        }

        switch (admission)
        {
            case WorkloadSkip.Disabled:
                return WorkloadOutcome.Disabled;
            case WorkloadSkip.NoSelector:
                return WorkloadOutcome.NoSelector;
        }

        var name = SidecarNames.For(workload);
        var lazy = await EnsureLazySidecarAsync(workload, name, staticHosts, cancellationToken).ConfigureAwait(false);
        if (lazy is null)
        {
            return WorkloadOutcome.Gone;
        }

        var conflicts = index.SidecarsSelecting(workload);
        if (conflicts.Count > 0)
        {
            return await ConflictAsync(workload, lazy, conflicts[0].ToString(), cancellationToken).ConfigureAwait(false);
        }

        // Pods no label set tells apart share the primary's Sidecar (DesiredStateBuilder.PrimaryOf): the others record why.
        var primary = DesiredStateBuilder.PrimaryOf(index, workload);
        if (primary is not null && primary != workload)
        {
            return await ConflictAsync(workload, lazy, null, cancellationToken, primary.Key).ConfigureAwait(false);
        }

        var observeFor = ObservePhase.DurationOf(index, workload);

        if (lazy.Spec.Paused == true)
        {
            return WorkloadOutcome.Paused;
        }

        var outcome = WorkloadOutcome.Unchanged;
        for (var round = 0; round < MaxRounds; round++)
        {
            var ttl = GoDuration.TryParse(lazy.Spec.Ttl, out var t) ? t : _options.Ttl;
            LearnedHostsMergeResult? merge = null;
            HostExpiryResult? expiry = null;
            var observe = ObserveStatus.None;
            var previousHosts = LazySidecarStatuses.Hosts(lazy.Status).Select(static h => h.Host).ToHashSet(StringComparer.Ordinal);
            var updated = await _status.UpdateAsync(
                lazy,
                current =>
                {
                    merge = LearnedHostsMerge.Merge(
                        LazySidecarStatuses.Hosts(current.Status), LocalHosts(workload.Key), _synced.Get(workload.Key), (long)_options.LastSeenRefresh.TotalMilliseconds);
                    var hosts = merge.Hosts;
                    expiry = expire ? HostExpiry.Apply(hosts, staticHosts, ttl, _options.ExpiryGrace, _time.GetUtcNow().ToUnixTimeMilliseconds()) : null;
                    hosts = expiry?.Hosts ?? hosts;
                    var status = merge.Changed || expiry?.Changed == true
                        ? LazySidecarStatuses.WithHosts(current.Status, hosts)
                        : LazySidecarStatuses.Copy(current.Status);
                    observe = ObservePhase.Evaluate(observeFor, hosts.Count == 0 ? null : hosts.Min(static h => h.FirstSeenMs), _time.GetUtcNow());
                    return ReadyStatus(status, current, name, hosts.Count, staticHosts.Count, observe);
                },
                cancellationToken).ConfigureAwait(false);
            if (updated is null)
            {
                Forget(lazy);
                return WorkloadOutcome.Gone;
            }

            lazy = Remember(updated);
            var finalHosts = LazySidecarStatuses.Hosts(lazy.Status);
            foreach (var host in (merge?.Forgotten ?? []).Concat(expiry?.Removed ?? []))
            {
                _store.Forget(workload.Key, host);
            }

            foreach (var host in finalHosts)
            {
                _store.Restore(workload.Key, host.Host, host.FirstSeenMs, host.LastSeenMs);
            }

            _synced.Set(workload.Key, finalHosts);
            if (expiry is { Removed.Count: > 0 } or { Marked.Count: > 0 })
            {
                LogExpiry(_logger, workload.Key, expiry.Marked.Count, expiry.Removed.Count);
            }

            var learnedHosts = finalHosts.Select(static h => h.Host).Where(SidecarHosts.IsValid).ToList();
            var added = learnedHosts.Where(h => !previousHosts.Contains(h)).ToList();
            if (observe.Observing)
            {
                await DeleteGeneratedSidecarAsync(workload.Namespace, name, cancellationToken).ConfigureAwait(false);
                return WorkloadOutcome.Observing;
            }

            var groupHosts = DesiredStateBuilder.Group(index, workload).Where(w => w != workload)
                .SelectMany(w => _synced.Get(w.Key).Keys).Where(SidecarHosts.IsValid);
            var sidecar = SidecarRenderer.Render(index, workload, learnedHosts.Concat(groupHosts), staticHosts, _options.EffectiveRender);
            sidecar.Metadata.OwnerReferences =
            [
                new V1OwnerReference
                {
                    ApiVersion = LazySidecarResource.GroupVersion,
                    Kind = LazySidecarResource.ResourceKind,
                    Name = lazy.Metadata.Name,
                    Uid = lazy.Metadata.Uid,
                    Controller = true,
                },
            ];
            var applied = await _writer.ApplyAsync<SidecarResource>(
                SidecarResource.Group, SidecarVersion, SidecarResource.Plural, workload.Namespace, name, sidecar, cancellationToken).ConfigureAwait(false);
            _appliedSidecarSpecs[$"{workload.Namespace}/{name}"] = KubernetesJson.Serialize(sidecar.Spec);
            if (added.Count > 0)
            {
                LearnedEvents.Add(EventTarget.Of(lazy), added);
            }

            if (applied is null)
            {
                return outcome;
            }

            outcome = WorkloadOutcome.Applied;
            LogApplied(_logger, $"{workload.Namespace}/{name}", learnedHosts.Count, staticHosts.Count);

            // Read back: another replica may have merged hosts (and applied its Sidecar) meanwhile.
            var fresh = await GetLazySidecarAsync(workload.Namespace, name, cancellationToken).ConfigureAwait(false);
            if (fresh is null)
            {
                return WorkloadOutcome.Gone;
            }

            lazy = Remember(fresh);
            var appliedHosts = applied.Spec.Egress?.SelectMany(static e => e.Hosts).ToHashSet(StringComparer.Ordinal) ?? [];
            if (LazySidecarStatuses.Hosts(fresh.Status).All(h => appliedHosts.Contains(h.Host) || !SidecarHosts.IsValid(h.Host)))
            {
                return outcome;
            }
        }

        return outcome;
    }

    /// <summary>
    /// Leader only: deletes LazyMesh's LazySidecars (and through ownership their Sidecars) whose workload has been
    /// gone from the index, or not lazy, for <see cref="KubernetesSinkOptions.CleanupGrace"/>. Returns how many.
    /// </summary>
    public async Task<int> CleanupAsync(MeshIndex index, ILazySidecarSource source, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var now = _time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lazy in await source.ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (!ManagedObjects.IsManaged(lazy.Metadata))
            {
                continue;
            }

            var key = lazy.WorkloadKey;
            var workload = index.FindWorkload(key);
            var wanted = workload is not null
                && WorkloadAdmission.IsAdmitted(index, workload, _options.EnabledByDefault)
                && SidecarNames.For(workload) == lazy.Metadata.Name;
            var objectKey = $"{lazy.Metadata.NamespaceProperty}/{lazy.Metadata.Name}";
            if (wanted)
            {
                _missingSince.TryRemove(objectKey, out _);
                continue;
            }

            seen.Add(objectKey);
            var since = _missingSince.GetOrAdd(objectKey, now);
            if (now - since < _options.CleanupGrace)
            {
                continue;
            }

            // Ordering rule: the workload's EnvoyFilter goes before the Sidecar it relied on (usually already gone with the full reconcile).
            if (Routing is not null)
            {
                await Routing.RemoveAsync(lazy.Metadata.NamespaceProperty, lazy.Metadata.Name, cancellationToken).ConfigureAwait(false);
            }

            if (await _writer.DeleteAsync(LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, lazy.Metadata.NamespaceProperty, lazy.Metadata.Name, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
                LogCleanedUp(_logger, objectKey, key);
            }

            _writer.Invalidate(SidecarResource.Plural, lazy.Metadata.NamespaceProperty, lazy.Metadata.Name);
            Forget(lazy);
            foreach (var host in _store.Find(key)?.Snapshot() ?? [])
            {
                _store.Forget(key, host.Host);
            }

            _synced.Remove(key);
            _missingSince.TryRemove(objectKey, out _);
        }

        foreach (var key in _missingSince.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _missingSince.TryRemove(key, out _);
        }

        return deleted;
    }

    /// <summary>Writes the DependencyLearned Events whose aggregation window has passed.</summary>
    public async Task FlushEventsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var (target, hosts) in LearnedEvents.TakeDue(now.ToUnixTimeMilliseconds()))
        {
            var message = $"learned {hosts.Count} new dependenc{(hosts.Count == 1 ? "y" : "ies")} of {target.WorkloadKey}: {string.Join(", ", hosts)}";
            await TryEventAsync(target, "Normal", KubeEvents.DependencyLearnedReason, message, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// LazySidecar informer: true when the change needs the workload reconciled (its spec was edited, or it was
    /// deleted). The echo of this sink's own writes (same generation: status merges, unchanged applies) is not.
    /// </summary>
    public bool OnLazySidecarChanged(InformerChangeType type, LazySidecarResource current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var (ns, name) = (current.Metadata.NamespaceProperty, current.Metadata.Name);
        var key = $"{ns}/{name}";
        if (type != InformerChangeType.Deleted && _known.TryGetValue(key, out var known) && known.Metadata.Generation == current.Metadata.Generation)
        {
            return false;
        }

        if (type == InformerChangeType.Added && !_known.ContainsKey(key))
        {
            // Listed at start, or created by another replica: the startup reconcile covers it.
            return false;
        }

        _known.TryRemove(key, out _);
        _writer.Invalidate(LazySidecarResource.Plural, ns, name);
        if (type == InformerChangeType.Deleted)
        {
            _writer.Invalidate(SidecarResource.Plural, ns, name);
        }

        return true;
    }

    /// <summary>
    /// Sidecar informer: true when a generated Sidecar was edited or deleted by someone else, so that its workload must
    /// be reconciled (and the cached apply forgotten). The echo of this sink's own apply (same spec) is not: it causes
    /// no second, identical apply.
    /// </summary>
    public bool OnSidecarChanged(InformerChangeType type, SidecarResource current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!ManagedObjects.IsManaged(current.Metadata))
        {
            return false;
        }

        var (ns, name) = (current.Metadata.NamespaceProperty, current.Metadata.Name);
        var key = $"{ns}/{name}";
        if (type != InformerChangeType.Deleted
            && _appliedSidecarSpecs.TryGetValue(key, out var applied)
            && applied == KubernetesJson.Serialize(current.Spec))
        {
            return false;
        }

        _appliedSidecarSpecs.TryRemove(key, out _);
        _writer.Invalidate(SidecarResource.Plural, ns, name);
        return true;
    }

    private const string SidecarVersion = "v1";

    private IEnumerable<LearnedHostRecord> LocalHosts(string workloadKey) =>
        (_store.Find(workloadKey)?.Snapshot() ?? []).Select(static h => new LearnedHostRecord(h.Host, h.FirstSeenUnixMs, h.LastSeenUnixMs));

    private static LazySidecarStatus ReadyStatus(LazySidecarStatus status, LazySidecarResource current, string sidecarName, int learned, int statics, ObserveStatus observe)
    {
        status.SidecarName = observe.Observing ? null : sidecarName;
        status.ObservedGeneration = current.Metadata.Generation;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        status = LazySidecarStatuses.WithCondition(status, LazySidecarCondition.Conflict, "False", "NoUserSidecar", "no user-written Sidecar selects the workload", current.Metadata.Generation, now);
        if (observe.Observing)
        {
            return LazySidecarStatuses.WithCondition(status, LazySidecarCondition.Ready, "False", LazySidecarCondition.ObservingReason, observe.Describe(), current.Metadata.Generation, now);
        }

        return LazySidecarStatuses.WithCondition(status, LazySidecarCondition.Ready, "True", "SidecarApplied", $"Sidecar {sidecarName} imports {learned} learned and {statics} static hosts", current.Metadata.Generation, now);
    }

    private async Task<WorkloadOutcome> ConflictAsync(Workload workload, LazySidecarResource lazy, string? user, CancellationToken cancellationToken, string? mergedInto = null)
    {
        var message = mergedInto is not null
            ? $"no label set selects only the pods of {workload.Key}; its hosts go into the Sidecar of {mergedInto}"
            : $"user-written Sidecar {user} selects workload {workload.Key}; LazyMesh writes no Sidecar for it";
        var reason = mergedInto is not null ? "PodsShareLabels" : "UserSidecarSelectsWorkload";
        var wasConflict = LazySidecarStatuses.IsTrue(lazy.Status, LazySidecarCondition.Conflict);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var updated = await _status.UpdateAsync(
            lazy,
            current =>
            {
                var merge = LearnedHostsMerge.Merge(
                    LazySidecarStatuses.Hosts(current.Status), LocalHosts(workload.Key), _synced.Get(workload.Key), (long)_options.LastSeenRefresh.TotalMilliseconds);
                var status = merge.Changed ? LazySidecarStatuses.WithHosts(current.Status, merge.Hosts) : LazySidecarStatuses.Copy(current.Status);
                status.SidecarName = null;
                status.ObservedGeneration = current.Metadata.Generation;
                status = LazySidecarStatuses.WithCondition(status, LazySidecarCondition.Conflict, "True", reason, message, current.Metadata.Generation, now);
                return LazySidecarStatuses.WithCondition(status, LazySidecarCondition.Ready, "False", "Conflict", message, current.Metadata.Generation, now);
            },
            cancellationToken).ConfigureAwait(false);
        if (updated is null)
        {
            Forget(lazy);
            return WorkloadOutcome.Gone;
        }

        lazy = Remember(updated);
        _synced.Set(workload.Key, LazySidecarStatuses.Hosts(lazy.Status));
        if (!wasConflict)
        {
            LogConflict(_logger, workload.Key, user ?? mergedInto ?? string.Empty);
            await DeleteGeneratedSidecarAsync(workload.Namespace, lazy.Metadata.Name, cancellationToken).ConfigureAwait(false);
            await TryEventAsync(EventTarget.Of(lazy), "Warning", KubeEvents.ConflictReason, message, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return WorkloadOutcome.Conflict;
    }

    /// <summary>Deletes our generated Sidecar of that name, if there is one and it is ours.</summary>
    private async Task DeleteGeneratedSidecarAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var existing = await _writer.GetAsync<SidecarResource>(SidecarResource.Group, SidecarVersion, SidecarResource.Plural, ns, name, cancellationToken).ConfigureAwait(false);
        if (ManagedObjects.IsManaged(existing?.Metadata))
        {
            await _writer.DeleteAsync(SidecarResource.Group, SidecarVersion, SidecarResource.Plural, ns, name, cancellationToken).ConfigureAwait(false);
        }

        _writer.Invalidate(SidecarResource.Plural, ns, name);
    }

    private async Task<LazySidecarResource?> EnsureLazySidecarAsync(Workload workload, string name, IReadOnlyList<string> staticHosts, CancellationToken cancellationToken)
    {
        var body = LazySidecarManifest.For(workload, name, staticHosts);
        var applied = await _writer.ApplyAsync<LazySidecarResource>(
            LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, workload.Namespace, name, body, cancellationToken).ConfigureAwait(false);
        if (applied is not null)
        {
            return Remember(applied);
        }

        if (_known.TryGetValue($"{workload.Namespace}/{name}", out var known))
        {
            return known;
        }

        var fresh = await GetLazySidecarAsync(workload.Namespace, name, cancellationToken).ConfigureAwait(false);
        if (fresh is null)
        {
            // Deleted behind the cached apply: send it again.
            _writer.Invalidate(LazySidecarResource.Plural, workload.Namespace, name);
            applied = await _writer.ApplyAsync<LazySidecarResource>(
                LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, workload.Namespace, name, body, cancellationToken).ConfigureAwait(false);
            return applied is null ? null : Remember(applied);
        }

        return Remember(fresh);
    }

    private Task<LazySidecarResource?> GetLazySidecarAsync(string ns, string name, CancellationToken cancellationToken) =>
        _writer.GetAsync<LazySidecarResource>(LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, ns, name, cancellationToken);

    private LazySidecarResource Remember(LazySidecarResource lazy)
    {
        _known[$"{lazy.Metadata.NamespaceProperty}/{lazy.Metadata.Name}"] = lazy;
        return lazy;
    }

    private void Forget(LazySidecarResource lazy)
    {
        _known.TryRemove($"{lazy.Metadata.NamespaceProperty}/{lazy.Metadata.Name}", out _);
        _writer.Invalidate(LazySidecarResource.Plural, lazy.Metadata.NamespaceProperty, lazy.Metadata.Name);
        _writer.Invalidate(SidecarResource.Plural, lazy.Metadata.NamespaceProperty, lazy.Metadata.Name);
        _appliedSidecarSpecs.TryRemove($"{lazy.Metadata.NamespaceProperty}/{lazy.Metadata.Name}", out _);
    }

    private async Task TryEventAsync(EventTarget target, string type, string reason, string message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.CreateEventAsync(KubeEvents.Create(target, type, reason, message, now, _options.Identity), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Events are best effort: never fail a reconcile over one.
            LogEventFailed(_logger, reason, target.Key, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "applied Sidecar {Sidecar} ({Learned} learned hosts, {Static} static)")]
    private static partial void LogApplied(ILogger logger, string sidecar, int learned, int @static);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogAdmissionWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Workload}: user-written Sidecar {Sidecar} selects it; no Sidecar generated")]
    private static partial void LogConflict(ILogger logger, string workload, string sidecar);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Workload}: {Marked} learned hosts marked expiring, {Removed} removed")]
    private static partial void LogExpiry(ILogger logger, string workload, int marked, int removed);

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted LazySidecar {LazySidecar}: workload {Workload} is gone or no longer lazy")]
    private static partial void LogCleanedUp(ILogger logger, string lazySidecar, string workload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "reconciling {Workload} failed (will retry): {Reason}")]
    private static partial void LogReconcileFailed(ILogger logger, string workload, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "fallback routing failed (will retry): {Reason}")]
    private static partial void LogRoutingFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "event {Reason} for {Target} not written: {Error}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string target, string error);
}
