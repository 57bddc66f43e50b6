using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LazyMesh.Resilience;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// A cache of one resource kept current by list+watch, as client-go's reflector does: LIST (paged) and remember the
/// list's resourceVersion; WATCH from there with bookmarks and a server-side timeout, re-watching from the last
/// resourceVersion seen whenever a watch ends; on 410 Gone (an ERROR event or an HTTP 410) LIST again and replace
/// the cache, raising the difference; on any other failure retry with exponential backoff and jitter; relist every
/// <see cref="InformerOptions.ResyncPeriod"/> to reconcile whatever a watch could have missed.
/// Objects pass through an optional transform (e.g. <see cref="PodSlimmer"/>) before they are cached.
/// </summary>
public sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly Func<T, T> _transform;
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly ExponentialBackoff _backoff;
    private Task? _loop;
    private string? _resourceVersion;

    public Informer(IResourceClient<T> client, InformerOptions? options, ILogger logger, Func<T, T>? transform = null)
    {
        _client = client;
        _options = options ?? InformerOptions.Default;
        _logger = logger;
        _transform = transform ?? (static o => o);
        _backoff = new ExponentialBackoff(_options.BackoffBase, _options.BackoffCap);
    }

    /// <summary>Raised (on the informer's loop, so keep handlers short) for every change to the cache.</summary>
    public event Action<InformerChange<T>>? ObjectChanged;

    public event Action? Changed;

    /// <summary>Raised after each complete LIST (the first, a 410 relist, a resync) has been applied to the cache.</summary>
    public event Action? Listed;

    /// <summary>Raised with the new resourceVersion after each BOOKMARK.</summary>
    public event Action<string>? Bookmarked;

    public string Resource => _client.Resource;

    public bool HasSynced => _synced.Task.IsCompleted;

    public string? ResourceVersion => Volatile.Read(ref _resourceVersion);

    public int Count => _items.Count;

    public InformerCounters Counters { get; } = new();

    /// <summary>The cache key of an object: <c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
    public static string KeyOf(T obj) => KeyOf(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name ?? string.Empty);

    public static string KeyOf(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    /// <summary>A copy of the cached objects (no order).</summary>
    public IReadOnlyList<T> List() => _items.Values.ToArray();

    public bool TryGet(string key, out T value) => _items.TryGetValue(key, out value!);

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var needList = true;
        var reason = "initial";
        // The period runs from the list's start, so the deadline does not depend on how long listing took. The timer
        // is armed before the list (and so before Listed is raised): a clock that moves once a list has been seen
        // can never pass a deadline the timer was not armed for yet.
        using var resync = new ResyncTimer(_options.ResyncPeriod, _options.Time);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    resync.Restart();
                    await ListAsync(reason, stop).ConfigureAwait(false);
                    needList = false;
                }

                var outcome = await WatchAsync(resync.Token, stop).ConfigureAwait(false);
                switch (outcome)
                {
                    case WatchOutcome.Gone:
                        Counters.OnGone();
                        InformerLog.Gone(_logger, Resource, ResourceVersion ?? string.Empty);
                        (needList, reason) = (true, "410 Gone");
                        if (Counters.Gone > 1 && _backoff.Failures > 0)
                        {
                            await Task.Delay(_backoff.Next(), _options.Time, stop).ConfigureAwait(false);
                        }

                        break;
                    case WatchOutcome.Resync:
                        Counters.OnResync();
                        (needList, reason) = (true, "resync");
                        break;
                    case WatchOutcome.Failed:
                        await DelayAfterErrorAsync("watch", "the stream reported an error", stop).ConfigureAwait(false);
                        break;
                    case WatchOutcome.EndedEarly:
                        // A watch that ended at once without a single event: do not spin.
                        await Task.Delay(_backoff.Next(), _options.Time, stop).ConfigureAwait(false);
                        break;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
            {
                Counters.OnGone();
                InformerLog.Gone(_logger, Resource, ResourceVersion ?? string.Empty);
                (needList, reason) = (true, "410 Gone");
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                await DelayAfterErrorAsync(needList ? "list" : "watch", Describe(e), stop).ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task DelayAfterErrorAsync(string operation, string reason, CancellationToken stop)
    {
        Counters.OnError();
        var delay = _backoff.Next();
        InformerLog.Retrying(_logger, Resource, operation, reason, (long)delay.TotalMilliseconds);
        try
        {
            await Task.Delay(delay, _options.Time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task ListAsync(string reason, CancellationToken stop)
    {
        var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
        string? listVersion = null;
        string? continueToken = null;
        do
        {
            var page = await _client.ListAsync(continueToken, _options.PageSize, stop).ConfigureAwait(false);
            listVersion ??= page.ResourceVersion;
            foreach (var item in page.Items)
            {
                var obj = _transform(item);
                fresh[KeyOf(obj)] = obj;
            }

            continueToken = string.IsNullOrEmpty(page.Continue) ? null : page.Continue;
        }
        while (continueToken is not null);

        // Replace the cache and raise the difference.
        var changes = 0;
        foreach (var (key, obj) in fresh)
        {
            if (!_items.TryGetValue(key, out var old))
            {
                _items[key] = obj;
                changes++;
                Raise(new InformerChange<T>(InformerChangeType.Added, key, obj));
            }
            else if (old.Metadata?.ResourceVersion != obj.Metadata?.ResourceVersion)
            {
                _items[key] = obj;
                changes++;
                Raise(new InformerChange<T>(InformerChangeType.Updated, key, obj));
            }
        }

        foreach (var (key, old) in _items)
        {
            if (!fresh.ContainsKey(key) && _items.TryRemove(key, out _))
            {
                changes++;
                Raise(new InformerChange<T>(InformerChangeType.Deleted, key, old));
            }
        }

        Volatile.Write(ref _resourceVersion, listVersion ?? "0");
        Counters.OnList(first: !HasSynced);
        _backoff.Reset();
        InformerLog.Listed(_logger, Resource, fresh.Count, listVersion ?? "0", reason, changes);
        _synced.TrySetResult();
        if (changes == 0 && Counters.Lists == 1)
        {
            // An empty resource still tells listeners that it is synced.
            RaiseChanged();
        }

        Invoke(Listed);
    }

    private async Task<WatchOutcome> WatchAsync(CancellationToken resync, CancellationToken stop)
    {
        var started = _options.Time.GetUtcNow().UtcDateTime;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(stop, resync);

        var gone = false;
        Exception? streamError = null;
        var events = 0;
        Counters.OnWatch();
        var timeoutSeconds = (int)Math.Max(1, _options.WatchTimeout.TotalSeconds);
        try
        {
            var stream = _client.WatchAsync(ResourceVersion ?? "0", timeoutSeconds, e =>
            {
                if (e is KubernetesException { Status.Code: 410 })
                {
                    gone = true;
                }
                else
                {
                    streamError = e;
                    InformerLog.WatchError(_logger, Resource, Describe(e));
                }
            }, watch.Token);
            await foreach (var (type, obj) in stream.ConfigureAwait(false))
            {
                if (events++ == 0)
                {
                    _backoff.Reset();
                }

                Apply(type, obj);
                if (gone)
                {
                    break;
                }
            }
        }
        catch (Exception) when (watch.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            return WatchOutcome.Resync;
        }

        if (watch.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            return WatchOutcome.Resync;
        }

        stop.ThrowIfCancellationRequested();
        return gone ? WatchOutcome.Gone
            : streamError is not null ? WatchOutcome.Failed
            : events == 0 && _options.Time.GetUtcNow().UtcDateTime - started < TimeSpan.FromSeconds(1) ? WatchOutcome.EndedEarly
            : WatchOutcome.Ended;
    }

    private void Apply(WatchEventType type, T obj)
    {
        var version = obj.Metadata?.ResourceVersion;
        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                {
                    if (type == WatchEventType.Added)
                    {
                        Counters.OnAdded();
                    }
                    else
                    {
                        Counters.OnModified();
                    }

                    var cached = _transform(obj);
                    var key = KeyOf(cached);
                    var existed = _items.ContainsKey(key);
                    _items[key] = cached;
                    Raise(new InformerChange<T>(existed ? InformerChangeType.Updated : InformerChangeType.Added, key, cached));
                    break;
                }

            case WatchEventType.Deleted:
                {
                    Counters.OnDeleted();
                    var key = KeyOf(obj);
                    if (_items.TryRemove(key, out var old))
                    {
                        Raise(new InformerChange<T>(InformerChangeType.Deleted, key, old));
                    }

                    break;
                }

            case WatchEventType.Bookmark:
                Counters.OnBookmark();
                break;
            default:
                return;
        }

        if (!string.IsNullOrEmpty(version))
        {
            Volatile.Write(ref _resourceVersion, version);
            if (type == WatchEventType.Bookmark && Bookmarked is { } bookmarked)
            {
                try
                {
                    bookmarked(version);
                }
                catch (Exception e)
                {
                    InformerLog.HandlerFailed(_logger, Resource, e.Message);
                }
            }
        }
    }

    private void Raise(InformerChange<T> change)
    {
        try
        {
            ObjectChanged?.Invoke(change);
        }
        catch (Exception e)
        {
            InformerLog.HandlerFailed(_logger, Resource, e.Message);
        }

        RaiseChanged();
    }

    private void RaiseChanged() => Invoke(Changed);

    private void Invoke(Action? handler)
    {
        try
        {
            handler?.Invoke();
        }
        catch (Exception e)
        {
            InformerLog.HandlerFailed(_logger, Resource, e.Message);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        HttpOperationException { Response: { } response } => $"HTTP {(int)response.StatusCode}",
        KubernetesException { Status: { } status } => $"{status.Code} {status.Reason}: {status.Message}",
        _ => e.GetBaseException().Message,
    };

    private enum WatchOutcome
    {
        Ended,
        EndedEarly,
        Gone,
        Resync,
        Failed,
    }
}
