namespace LazyMesh.Controller.Queue;

/// <summary>
/// A keyed, rate-limited work queue in the manner of client-go's workqueue as controller-runtime uses it
/// (<c>pkg/internal/controller/controller.go</c>, <c>processNextWorkItem</c>/<c>reconcileHandler</c>):
/// <list type="bullet">
/// <item>a key added while it is queued is queued once; a key added while it is being reconciled runs again after
/// that reconcile ends: the same key is never reconciled twice at once, different keys run on <see cref="WorkQueueOptions.Workers"/> workers;</item>
/// <item>a key whose reconcile throws is retried on its own after base · 2^(n-1), capped; adding it meanwhile does not
/// cut its backoff short, and other keys are not held up; a success resets it;</item>
/// <item>with <see cref="WorkQueueOptions.MinInterval"/>, a key reconciled recently waits out the interval, so bursts
/// of changes coalesce into one reconcile;</item>
/// <item>a key added with <see cref="WorkPriority.High"/> is picked before every ready normal key (a ready normal key is
/// promoted; a key waiting for its interval, backoff or the end of its reconcile is picked first once it is ready);</item>
/// <item>all time comes from the <see cref="TimeProvider"/> (one timer for every delayed key).</item>
/// </list>
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<(TKey Key, long Entry)> _ready = new();
    private readonly Queue<(TKey Key, long Entry)> _readyHigh = new();
    private readonly Dictionary<TKey, (long Since, long Entry, WorkPriority Priority)> _readySince = [];
    private readonly HashSet<TKey> _urgent = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, DateTimeOffset> _again = [];
    private readonly Dictionary<TKey, DateTimeOffset> _waiting = [];
    private readonly Dictionary<TKey, DateTimeOffset> _lastDone = [];
    private readonly Dictionary<TKey, (int Failures, DateTimeOffset RetryAt)> _backoff = [];
    private readonly List<TaskCompletionSource> _idleWaiters = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly WorkQueueMetrics _metrics;
    private DateTimeOffset _timerDue = DateTimeOffset.MaxValue;
    private int _doneSincePrune;
    private long _entries;

    public WorkQueue(WorkQueueOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? new WorkQueueOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Workers, 1);
        _time = time ?? TimeProvider.System;
        _timer = _time.CreateTimer(static state => ((WorkQueue<TKey>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _metrics = new WorkQueueMetrics(Options.Name, () => Depth, () => Busy, Options.Meter);
    }

    /// <summary>A reconcile threw: the key, the error, its consecutive failures, and when it is retried.</summary>
    public event Action<TKey, Exception, int, TimeSpan>? Failed;

    public WorkQueueOptions Options { get; }

    /// <summary>Keys ready to be reconciled now.</summary>
    public int Depth
    {
        get
        {
            lock (_gate)
            {
                return _readySince.Count;
            }
        }
    }

    /// <summary>Keys being reconciled now.</summary>
    public int Busy
    {
        get
        {
            lock (_gate)
            {
                return _processing.Count;
            }
        }
    }

    /// <summary>Keys waiting for a time (backoff, coalescing, requeue-after).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>True while <paramref name="key"/> is queued or waits for a time (not while only being reconciled).</summary>
    public bool IsPending(TKey key)
    {
        lock (_gate)
        {
            return _readySince.ContainsKey(key) || _waiting.ContainsKey(key) || _again.ContainsKey(key);
        }
    }

    /// <summary>Consecutive failures of <paramref name="key"/> (0 once it succeeded).</summary>
    public int FailuresOf(TKey key)
    {
        lock (_gate)
        {
            return _backoff.TryGetValue(key, out var b) ? b.Failures : 0;
        }
    }

    /// <summary>Queues <paramref name="key"/> now (or when its interval or backoff allows). Thread-safe; never blocks for long.</summary>
    public void Add(TKey key) => AddAfter(key, TimeSpan.Zero);

    /// <summary>
    /// Queues <paramref name="key"/> now (or when its interval or backoff allows) in the lane of
    /// <paramref name="priority"/>; a key already ready in the normal lane moves to the high one.
    /// </summary>
    public void Add(TKey key, WorkPriority priority)
    {
        lock (_gate)
        {
            if (priority == WorkPriority.High)
            {
                if (_readySince.TryGetValue(key, out var ready))
                {
                    if (ready.Priority == WorkPriority.Normal)
                    {
                        // Promoted: the normal lane's entry is left behind and skipped when it comes up.
                        var entry = ++_entries;
                        _readySince[key] = (ready.Since, entry, WorkPriority.High);
                        _readyHigh.Enqueue((key, entry));
                        _signal.Release();
                    }

                    return;
                }

                _urgent.Add(key);
            }

            var now = _time.GetUtcNow();
            AddLocked(key, now, now);
        }
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>; an earlier pending time wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            AddLocked(key, now + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero), now);
        }
    }

    /// <summary>Completes when no key is ready or being reconciled (keys may still wait for a time).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_readySince.Count == 0 && _processing.Count == 0)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _idleWaiters.Add(waiter);
            return waiter.Task;
        }
    }

    /// <summary>Runs the workers until <paramref name="cancellationToken"/> is cancelled; then returns (no exception).</summary>
    public async Task RunAsync(Func<TKey, CancellationToken, ValueTask<ReconcileResult>> reconcile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reconcile);
        var workers = new Task[Options.Workers];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(reconcile, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>
    /// The final flush after <see cref="RunAsync"/> returned: every key that is ready or waiting (for any reason) is
    /// reconciled once, now, without retries. Returns how many keys were reconciled.
    /// </summary>
    public async Task<int> DrainAsync(Func<TKey, CancellationToken, ValueTask<ReconcileResult>> reconcile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reconcile);
        List<TKey> keys;
        lock (_gate)
        {
            keys = [.. _readyHigh.Concat(_ready).Where(IsCurrentLocked).Select(static r => r.Key)];
            keys.AddRange(_waiting.Keys.Where(k => !_readySince.ContainsKey(k)));
            keys.AddRange(_again.Keys.Where(k => !_readySince.ContainsKey(k) && !_waiting.ContainsKey(k)));
            _ready.Clear();
            _readyHigh.Clear();
            _readySince.Clear();
            _urgent.Clear();
            _waiting.Clear();
            _again.Clear();
        }

        foreach (var key in keys)
        {
            var started = _time.GetTimestamp();
            try
            {
                await reconcile(key, cancellationToken).ConfigureAwait(false);
                _metrics.OnReconciled(_time.GetElapsedTime(started), "success");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _metrics.OnReconciled(_time.GetElapsedTime(started), "error");
                Failed?.Invoke(key, e, FailuresOf(key) + 1, TimeSpan.Zero);
            }
        }

        return keys.Count;
    }

    public void Dispose()
    {
        _timer.Dispose();
        _metrics.Dispose();
        _signal.Dispose();
    }

    private async Task WorkAsync(Func<TKey, CancellationToken, ValueTask<ReconcileResult>> reconcile, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            TKey key;
            long since;
            lock (_gate)
            {
                if (!TryDequeueLocked(out key!, out since))
                {
                    continue;
                }

                _processing.Add(key);
            }

            _metrics.OnPicked(_time.GetElapsedTime(since));
            var started = _time.GetTimestamp();
            ReconcileResult result = default;
            Exception? error = null;
            try
            {
                result = await reconcile(key, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the key goes back for the final flush.
                lock (_gate)
                {
                    _processing.Remove(key);
                    Enqueue(key);
                }

                return;
            }
            catch (Exception e)
            {
                error = e;
            }

            Done(key, result, error, _time.GetElapsedTime(started));
        }
    }

    private void Done(TKey key, ReconcileResult result, Exception? error, TimeSpan took)
    {
        int failures = 0;
        var delay = TimeSpan.Zero;
        TaskCompletionSource[]? idle = null;
        lock (_gate)
        {
            _processing.Remove(key);
            var now = _time.GetUtcNow();
            _lastDone[key] = now;
            if (error is not null)
            {
                failures = (_backoff.TryGetValue(key, out var b) ? b.Failures : 0) + 1;
                delay = Options.Backoff(failures);
                _backoff[key] = (failures, now + delay);
                AddLocked(key, now + delay, now);
            }
            else
            {
                _backoff.Remove(key);
                if (result.RequeueAfter is { } after)
                {
                    AddLocked(key, now + after, now);
                }
            }

            if (_again.Remove(key, out var againDue))
            {
                AddLocked(key, againDue, now);
            }

            if (++_doneSincePrune >= 4096)
            {
                _doneSincePrune = 0;
                PruneLocked(now);
            }

            if (_readySince.Count == 0 && _processing.Count == 0 && _idleWaiters.Count > 0)
            {
                idle = [.. _idleWaiters];
                _idleWaiters.Clear();
            }
        }

        _metrics.OnReconciled(took, error is null ? (result.RequeueAfter is null ? "success" : "requeue_after") : "error");
        if (error is not null)
        {
            _metrics.OnRetry();
            Failed?.Invoke(key, error, failures, delay);
        }

        // Idle only once everything about the last reconcile (metrics, Failed) has been said.
        foreach (var waiter in idle ?? [])
        {
            waiter.TrySetResult();
        }
    }

    private void AddLocked(TKey key, DateTimeOffset due, DateTimeOffset now)
    {
        if (Options.MinInterval > TimeSpan.Zero && _lastDone.TryGetValue(key, out var last) && last + Options.MinInterval > due)
        {
            due = last + Options.MinInterval;
        }

        if (_backoff.TryGetValue(key, out var backoff) && backoff.RetryAt > due)
        {
            due = backoff.RetryAt;
        }

        if (_readySince.ContainsKey(key))
        {
            return;
        }

        if (_processing.Contains(key))
        {
            _again[key] = _again.TryGetValue(key, out var pending) && pending < due ? pending : due;
            return;
        }

        if (due <= now)
        {
            _waiting.Remove(key);
            Enqueue(key);
            return;
        }

        if (_waiting.TryGetValue(key, out var waiting) && waiting <= due)
        {
            return;
        }

        _waiting[key] = due;
        if (due < _timerDue)
        {
            _timerDue = due;
            _timer.Change(due - now, Timeout.InfiniteTimeSpan);
        }
    }

    private void Enqueue(TKey key)
    {
        var entry = ++_entries;
        var priority = _urgent.Remove(key) ? WorkPriority.High : WorkPriority.Normal;
        (priority == WorkPriority.High ? _readyHigh : _ready).Enqueue((key, entry));
        _readySince[key] = (_time.GetTimestamp(), entry, priority);
        _metrics.OnAdd();
        _signal.Release();
    }

    /// <summary>The next ready key, high lane first; entries left behind by a promotion are skipped.</summary>
    private bool TryDequeueLocked(out TKey key, out long since)
    {
        foreach (var lane in (ReadOnlySpan<Queue<(TKey Key, long Entry)>>)[_readyHigh, _ready])
        {
            while (lane.TryDequeue(out var next))
            {
                if (IsCurrentLocked(next))
                {
                    _readySince.Remove(next.Key, out var ready);
                    (key, since) = (next.Key, ready.Since);
                    return true;
                }
            }
        }

        (key, since) = (default!, 0);
        return false;
    }

    private bool IsCurrentLocked((TKey Key, long Entry) queued) =>
        _readySince.TryGetValue(queued.Key, out var ready) && ready.Entry == queued.Entry;

    private void OnTimer()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _timerDue = DateTimeOffset.MaxValue;
            List<TKey>? due = null;
            var next = DateTimeOffset.MaxValue;
            foreach (var (key, at) in _waiting)
            {
                if (at <= now)
                {
                    (due ??= []).Add(key);
                }
                else if (at < next)
                {
                    next = at;
                }
            }

            foreach (var key in due ?? [])
            {
                _waiting.Remove(key);
                Enqueue(key);
            }

            if (next != DateTimeOffset.MaxValue)
            {
                _timerDue = next;
                _timer.Change(next - now, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Drops pacing memory that no longer matters (last reconcile older than the interval).</summary>
    private void PruneLocked(DateTimeOffset now)
    {
        foreach (var key in _lastDone.Where(p => now - p.Value > Options.MinInterval).Select(static p => p.Key).ToList())
        {
            _lastDone.Remove(key);
        }
    }
}
