using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// The one gateway through which the sink talks to the API server. Every write takes a token from the shared
/// <see cref="WriteBudget"/>; transient failures (429 with Retry-After, 5xx, connection errors, and 409 for
/// applies) are retried with exponential backoff and jitter; a server-side apply whose content equals the last
/// one sent for that object is not sent at all.
/// </summary>
public sealed partial class KubeWriter
{
    public const string DefaultFieldManager = "lazymesh";

    private readonly ConcurrentDictionary<string, string> _appliedHashes = new(StringComparer.Ordinal);
    private readonly KubeRetryOptions _retry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retryingConflicts;
    private readonly ResiliencePipeline _notRetryingConflicts;

    private static readonly ResiliencePropertyKey<string> WhatKey = new("lazymesh.what");

    public KubeWriter(IKubernetes client, WriteBudget budget, KubeRetryOptions? retry = null, TimeProvider? time = null, ILogger? logger = null, string fieldManager = DefaultFieldManager)
    {
        Client = client;
        Budget = budget;
        _retry = retry ?? KubeRetryOptions.Default;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        FieldManager = fieldManager;
        _retryingConflicts = BuildPipeline(retryConflicts: true);
        _notRetryingConflicts = BuildPipeline(retryConflicts: false);
    }

    public IKubernetes Client { get; }

    public WriteBudget Budget { get; }

    public string FieldManager { get; }

    public KubeSinkStats Stats { get; } = new();

    /// <summary>
    /// Server-side apply (<c>application/apply-patch+yaml</c>, this writer's field manager, force) of
    /// <paramref name="body"/>, stamped with <see cref="AppliedContent.HashAnnotation"/>. Sends nothing when the
    /// object already holds this content: known from the last apply, or (the first time this process applies the
    /// object, e.g. after a restart or a resync) read from the live object (<see cref="AppliedContent"/>), which the
    /// result then carries so that the caller need not read it again.
    /// </summary>
    public async Task<ApplyResult<T>> ApplyAsync<T>(string group, string version, string plural, string ns, string name, object body, CancellationToken cancellationToken)
        where T : class =>
        await ApplyCoreAsync(
            plural, ns, name, body, listElementsMayHaveDefaults: false,
            async ct => await Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonNode>(group, version, ns, plural, name, ct).ConfigureAwait(false),
            (patch, ct) => Client.CustomObjects.PatchNamespacedCustomObjectAsync<T>(patch, group, version, ns, plural, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);

    /// <summary>Server-side apply of a core/v1 Service (typed CoreV1 API); same budget, retries and unchanged-never-sent as <see cref="ApplyAsync{T}"/>.</summary>
    public async Task<ApplyResult<V1Service>> ApplyServiceAsync(V1Service service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var (ns, name) = (service.Metadata.NamespaceProperty, service.Metadata.Name);

        // Service ports are a map-list keyed by port and protocol; the API server fills protocol and targetPort in.
        return await ApplyCoreAsync(
            "services", ns, name, service, listElementsMayHaveDefaults: true,
            async ct => JsonNode.Parse(KubernetesJson.Serialize(await Client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: ct).ConfigureAwait(false))),
            (patch, ct) => Client.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApplyResult<T>> ApplyCoreAsync<T>(
        string plural,
        string ns,
        string name,
        object body,
        bool listElementsMayHaveDefaults,
        Func<CancellationToken, Task<JsonNode?>> read,
        Func<V1Patch, CancellationToken, Task<T>> send,
        CancellationToken cancellationToken)
        where T : class
    {
        var stamped = AppliedContent.Stamp(KubernetesJson.Serialize(body), out var hash);
        var key = Key(plural, ns, name);
        if (_appliedHashes.TryGetValue(key, out var last))
        {
            if (last == hash)
            {
                Stats.OnUnchanged();
                return new ApplyResult<T>(null, Sent: false);
            }
        }
        else if (await ReadLiveAsync(plural, ns, name, read, cancellationToken).ConfigureAwait(false) is { } live
            && AppliedContent.IsCurrent(stamped, live, listElementsMayHaveDefaults))
        {
            // Nothing applied by this process yet, and the object already holds exactly this content: no write.
            _appliedHashes[key] = hash;
            Stats.OnUnchanged();
            return new ApplyResult<T>(KubernetesJson.Deserialize<T>(live.ToJsonString()), Sent: false);
        }

        _appliedHashes.TryRemove(key, out _);
        var json = stamped.ToJsonString();
        var result = await ExecuteAsync(
            $"apply {plural} {ns}/{name}",
            write: true,
            retryConflicts: true,
            ct => send(new V1Patch(json, V1Patch.PatchType.ApplyPatch), ct),
            cancellationToken).ConfigureAwait(false);
        _appliedHashes[key] = hash;
        Stats.OnApplied();
        return new ApplyResult<T>(result, Sent: true);
    }

    /// <summary>The live object, or null when it does not exist (a read: no write budget).</summary>
    private async Task<JsonNode?> ReadLiveAsync(string plural, string ns, string name, Func<CancellationToken, Task<JsonNode?>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync($"get {plural} {ns}/{name}", write: false, retryConflicts: false, read, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Forgets what was last applied to an object (it changed behind our back, or was deleted), so the next apply is sent.</summary>
    public void Invalidate(string plural, string ns, string name) => _appliedHashes.TryRemove(Key(plural, ns, name), out _);

    /// <summary>Forgets every applied content hash, so the next reconcile re-sends (server-side no-ops when nothing drifted).</summary>
    public void ForgetAppliedContent() => _appliedHashes.Clear();

    /// <summary>Replaces <c>/status</c> with the object's <c>metadata.resourceVersion</c> as precondition. A 409 is not retried here: the caller must read and merge again.</summary>
    public async Task<T> ReplaceStatusAsync<T>(T obj, string group, string version, string plural, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var result = await ExecuteAsync(
            $"status {plural} {obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}",
            write: true,
            retryConflicts: false,
            ct => Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<T>(
                obj, group, version, obj.Metadata.NamespaceProperty, plural, obj.Metadata.Name, fieldManager: FieldManager, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        Stats.OnStatusWrite();
        return result;
    }

    /// <summary>GET; null when the object does not exist. Reads do not take from the write budget.</summary>
    public async Task<T?> GetAsync<T>(string group, string version, string plural, string ns, string name, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await ExecuteAsync(
                $"get {plural} {ns}/{name}",
                write: false,
                retryConflicts: false,
                ct => Client.CustomObjects.GetNamespacedCustomObjectAsync<T>(group, version, ns, plural, name, ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>DELETE (background propagation: owned objects go too); false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string group, string version, string plural, string ns, string name, CancellationToken cancellationToken)
    {
        Invalidate(plural, ns, name);
        try
        {
            await ExecuteAsync(
                $"delete {plural} {ns}/{name}",
                write: true,
                retryConflicts: true,
                ct => Client.CustomObjects.DeleteNamespacedCustomObjectAsync(group, version, ns, plural, name, propagationPolicy: "Background", cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            Stats.OnDeleted();
            return true;
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            return false;
        }
    }

    public async Task CreateEventAsync(Corev1Event e, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            $"event {e.Reason} {e.InvolvedObject.NamespaceProperty}/{e.InvolvedObject.Name}",
            write: true,
            retryConflicts: false,
            ct => Client.CoreV1.CreateNamespacedEventAsync(e, e.Metadata.NamespaceProperty, fieldManager: FieldManager, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        Stats.OnEvent();
    }

    /// <summary>
    /// Runs <paramref name="call"/> with the budget (for writes) and the retry pipeline: transient failures are retried
    /// (Polly.Core, exponential backoff with jitter, a server's Retry-After honoured up to
    /// <see cref="KubeRetryOptions.MaxRetryAfter"/>); any other failure, or the last, is logged and thrown.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(string what, bool write, bool retryConflicts, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(WhatKey, what);
        try
        {
            return await (retryConflicts ? _retryingConflicts : _notRetryingConflicts).ExecuteAsync(
                static async (ctx, state) =>
                {
                    if (state.write)
                    {
                        await state.self.Budget.AcquireAsync(ctx.CancellationToken).ConfigureAwait(false);
                    }

                    return await state.call(ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                (self: this, write, call)).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && !(retryConflicts is false && KubeErrors.IsConflict(e)) && !KubeErrors.IsNotFound(e))
        {
            Stats.OnFailure();
            LogFailed(_logger, what, KubeErrors.StatusOf(e)?.ToString() ?? e.GetType().Name, e.Message);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The one retry pipeline for API calls (<paramref name="retryConflicts"/>: 409 counts as transient, for applies).</summary>
    private ResiliencePipeline BuildPipeline(bool retryConflicts)
    {
        if (_retry.MaxAttempts <= 1)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && !args.Context.CancellationToken.IsCancellationRequested && KubeErrors.IsTransient(e, retryConflicts)),
                MaxRetryAttempts = _retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _retry.BaseDelay,
                MaxDelay = _retry.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && KubeErrors.RetryAfter(e, _time.GetUtcNow()) is { } retryAfter
                        ? (TimeSpan?)(retryAfter > _retry.MaxRetryAfter ? _retry.MaxRetryAfter : retryAfter)
                        : null),
                OnRetry = args =>
                {
                    Stats.OnRetry();
                    var reason = args.Outcome.Exception is { } e ? KubeErrors.StatusOf(e)?.ToString() ?? e.GetType().Name : "?";
                    LogRetry(_logger, args.Context.Properties.GetValue(WhatKey, "API call"), args.AttemptNumber + 1, (int)args.RetryDelay.TotalMilliseconds, reason);
                    return default;
                },
            })
            .Build();
    }

    private static string Key(string plural, string ns, string name) => $"{plural}/{ns}/{name}";

    [LoggerMessage(Level = LogLevel.Debug, Message = "{What}: attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string what, int attempt, int delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} failed ({Reason}): {Message}")]
    private static partial void LogFailed(ILogger logger, string what, string reason, string message);
}
