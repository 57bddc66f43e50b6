using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Kubernetes.State;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// Level-triggered reconcile of one lazy workload against the API server, in this order:
/// <list type="number">
/// <item>server-side apply of its <c>LazySidecar</c> (spec only: workload, selector, static hosts);</item>
/// <item>its learned hosts merged into <c>LazySidecar.status</c> (optimistic concurrency; persisted before any
/// Sidecar shows them, so nothing learned is lost) — expiry too, on the leader;</item>
/// <item>server-side apply of the generated <c>Sidecar</c>, owned by the LazySidecar, rendered by
/// <see cref="DesiredStateBuilder"/> from the merged status (as on files: invalid hosts dropped with a warning);</item>
/// <item>a read-back: if status meanwhile holds hosts the applied Sidecar lacks (another replica merged), repeat.</item>
/// </list>
/// A workload a user-written Sidecar selects gets only its LazySidecar, with Conflict=True, and an Event.
/// </summary>
public sealed partial class LazySidecarSink
{
    private const int MaxRounds = 5;

    private readonly LearnedStatus _learned;
    private readonly LazySidecarObjects _lazySidecars;
    private readonly GeneratedSidecars _sidecars;
    private readonly DependencyEventWriter _events;
    private readonly FallbackRoutingReconciler? _routing;
    private readonly LazySidecarStatusWriter _status;
    private readonly KubernetesSinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public LazySidecarSink(
        KubeWriter writer,
        LearnedStatus learned,
        LazySidecarObjects lazySidecars,
        GeneratedSidecars sidecars,
        DependencyEventWriter events,
        FallbackRoutingReconciler? routing,
        KubernetesSinkOptions options,
        TimeProvider time,
        ILogger logger)
    {
        _learned = learned;
        _lazySidecars = lazySidecars;
        _sidecars = sidecars;
        _events = events;
        _routing = routing;
        _options = options;
        _time = time;
        _logger = logger;
        _status = new LazySidecarStatusWriter(writer);
    }

    /// <summary>Reconciles one workload; <paramref name="expire"/> (the leader) also ages its learned hosts.</summary>
    public async Task<WorkloadOutcome> ReconcileAsync(MeshIndex index, Workload workload, bool expire, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(workload);
        var warnings = new List<string>();
        var admission = WorkloadAdmission.Evaluate(index, workload, _options.EnabledByDefault, warnings, out var staticHosts);
        RenderLog.Warnings(_logger, warnings);
        switch (admission)
        {
            case WorkloadSkip.Disabled or WorkloadSkip.NotNarrowable:
                // Not narrowable (a gateway, not injected, ...) is never lazy, on files as here.
                return WorkloadOutcome.Disabled;
            case WorkloadSkip.NoSelector:
                return WorkloadOutcome.NoSelector;
        }

        var name = SidecarNames.For(workload);
        var lazy = await _lazySidecars.EnsureAsync(workload, name, staticHosts, cancellationToken).ConfigureAwait(false);
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
                        LazySidecarStatuses.Hosts(current.Status), _learned.LocalHosts(workload.Key), _learned.SyncedHosts(workload.Key), (long)_options.LastSeenRefresh.TotalMilliseconds);
                    var hosts = merge.Hosts;
                    expiry = expire ? HostExpiry.Apply(hosts, staticHosts, ttl, _options.ExpiryGrace, _time.GetUtcNow().ToUnixTimeMilliseconds()) : null;
                    hosts = expiry?.Hosts ?? hosts;
                    var status = merge.Changed || expiry?.Changed == true
                        ? LazySidecarStatuses.WithHosts(current.Status, hosts)
                        : LazySidecarStatuses.Copy(current.Status);
                    observe = ObservePhase.Evaluate(observeFor, hosts.Count == 0 ? null : hosts.Min(static h => h.FirstSeenMs), _time.GetUtcNow());
                    return ReadyStatus(status, current, name, hosts.Count, staticHosts.Count, observe, _time.GetUtcNow().ToUnixTimeMilliseconds());
                },
                cancellationToken).ConfigureAwait(false);
            if (updated is null)
            {
                Forget(lazy);
                return WorkloadOutcome.Gone;
            }

            lazy = _lazySidecars.Remember(updated);
            var finalHosts = LazySidecarStatuses.Hosts(lazy.Status);
            _learned.Merged(workload.Key, (merge?.Forgotten ?? []).Concat(expiry?.Removed ?? []), finalHosts);
            if (expiry is { Removed.Count: > 0 } or { Marked.Count: > 0 })
            {
                LogExpiry(_logger, workload.Key, expiry.Marked.Count, expiry.Removed.Count);
            }

            if (observe.Observing)
            {
                await RemoveSidecarAsync(workload.Namespace, name, cancellationToken).ConfigureAwait(false);
                return WorkloadOutcome.Observing;
            }

            // The same desired-state builder as on files, over the store now in step with status.
            warnings.Clear();
            var desired = DesiredStateBuilder.BuildOne(
                index, workload, _learned.Store.Find(workload.Key), _options.EffectiveRender, _options.EnabledByDefault, warnings, out var skip, _learned.Store.Find, _time.GetUtcNow());
            RenderLog.Warnings(_logger, warnings);
            if (desired is null)
            {
                await RemoveSidecarAsync(workload.Namespace, name, cancellationToken).ConfigureAwait(false);
                return skip == WorkloadSkip.Observing ? WorkloadOutcome.Observing : WorkloadOutcome.Conflict;
            }

            var sidecar = desired.Sidecar;
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
            var applied = await _sidecars.ApplyAsync(sidecar, cancellationToken).ConfigureAwait(false);
            var added = finalHosts.Select(static h => h.Host).Where(h => SidecarHosts.IsValid(h) && !previousHosts.Contains(h)).ToList();
            if (added.Count > 0)
            {
                _events.Learned.Add(EventTarget.Of(lazy), added);
            }

            if (applied is null)
            {
                return outcome;
            }

            outcome = WorkloadOutcome.Applied;
            LogApplied(_logger, $"{workload.Namespace}/{name}", desired.LearnedHosts, desired.StaticHosts);

            // Read back: another replica may have merged hosts (and applied its Sidecar) meanwhile.
            var fresh = await _lazySidecars.GetAsync(workload.Namespace, name, cancellationToken).ConfigureAwait(false);
            if (fresh is null)
            {
                return WorkloadOutcome.Gone;
            }

            lazy = _lazySidecars.Remember(fresh);
            var appliedHosts = applied.Spec.Egress?.SelectMany(static e => e.Hosts).ToHashSet(StringComparer.Ordinal) ?? [];
            if (LazySidecarStatuses.Hosts(fresh.Status).All(h => appliedHosts.Contains(h.Host) || !SidecarHosts.IsValid(h.Host)))
            {
                return outcome;
            }
        }

        return outcome;
    }

    private static LazySidecarStatus ReadyStatus(LazySidecarStatus status, LazySidecarResource current, string sidecarName, int learned, int statics, ObserveStatus observe, long now)
    {
        status.SidecarName = observe.Observing ? null : sidecarName;
        status.ObservedGeneration = current.Metadata.Generation;
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
                    LazySidecarStatuses.Hosts(current.Status), _learned.LocalHosts(workload.Key), _learned.SyncedHosts(workload.Key), (long)_options.LastSeenRefresh.TotalMilliseconds);
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

        lazy = _lazySidecars.Remember(updated);
        _learned.Seen(workload.Key, LazySidecarStatuses.Hosts(lazy.Status));
        if (!wasConflict)
        {
            LogConflict(_logger, workload.Key, user ?? mergedInto ?? string.Empty);
            await RemoveSidecarAsync(workload.Namespace, lazy.Metadata.Name, cancellationToken).ConfigureAwait(false);
            await _events.WriteAsync(EventTarget.Of(lazy), "Warning", KubeEvents.ConflictReason, message, cancellationToken).ConfigureAwait(false);
        }

        return WorkloadOutcome.Conflict;
    }

    /// <summary>Removes the generated Sidecar, its EnvoyFilter first (the routing order rule).</summary>
    private async Task RemoveSidecarAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (_routing is not null)
        {
            await _routing.RemoveBeforeSidecarAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }

        await _sidecars.DeleteAsync(ns, name, cancellationToken).ConfigureAwait(false);
    }

    private void Forget(LazySidecarResource lazy)
    {
        _lazySidecars.Forget(lazy);
        _sidecars.Forget(lazy.Metadata.NamespaceProperty, lazy.Metadata.Name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "applied Sidecar {Sidecar} ({Learned} learned hosts, {Static} static)")]
    private static partial void LogApplied(ILogger logger, string sidecar, int learned, int @static);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Workload}: user-written Sidecar {Sidecar} selects it; no Sidecar generated")]
    private static partial void LogConflict(ILogger logger, string workload, string sidecar);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Workload}: {Marked} learned hosts marked expiring, {Removed} removed")]
    private static partial void LogExpiry(ILogger logger, string workload, int marked, int removed);
}
