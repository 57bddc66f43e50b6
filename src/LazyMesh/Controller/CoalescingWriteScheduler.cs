using System.Collections.Concurrent;
using System.Threading.Channels;

namespace LazyMesh.Controller;

/// <summary>
/// Turns "workload X changed" marks into flushes: a workload not written for <c>minInterval</c> is
/// flushed at once; one written more recently waits until its interval has passed, so later changes
/// coalesce into one write (at most one write per workload per interval). One flush runs at a time.
/// </summary>
public sealed class CoalescingWriteScheduler
{
    private readonly ConcurrentDictionary<string, byte> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastWrite = new(StringComparer.Ordinal);
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Func<IReadOnlyList<string>, CancellationToken, Task> _flush;
    private readonly TimeProvider _time;

    public CoalescingWriteScheduler(TimeSpan minInterval, Func<IReadOnlyList<string>, CancellationToken, Task> flush, TimeProvider? time = null)
    {
        MinInterval = minInterval;
        _flush = flush;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan MinInterval { get; }

    /// <summary>Number of flushes that threw; their keys were marked dirty again.</summary>
    public long FailedFlushes => Interlocked.Read(ref _failedFlushes);

    private long _failedFlushes;

    /// <summary>Workloads marked and not yet flushed (read lock-free; a point-in-time count).</summary>
    public int QueueDepth => _dirty.Count;

    /// <summary>True while a change of <paramref name="key"/> waits for its write.</summary>
    public bool IsPending(string key) => _dirty.ContainsKey(key);

    /// <summary>Marks a workload as changed. Thread-safe and cheap; never blocks.</summary>
    public void MarkDirty(string key)
    {
        _dirty.TryAdd(key, 0);
        _signal.Writer.TryWrite(true);
    }

    /// <summary>Runs until cancelled. Call once.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? wakeAt = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            await WaitAsync(wakeAt, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var due = new List<string>();
            DateTimeOffset? next = null;
            foreach (var key in _dirty.Keys)
            {
                if (!_lastWrite.TryGetValue(key, out var last) || now - last >= MinInterval)
                {
                    if (_dirty.TryRemove(key, out _))
                    {
                        due.Add(key);
                    }
                }
                else
                {
                    var at = last + MinInterval;
                    next = next is null || at < next ? at : next;
                }
            }

            if (due.Count > 0)
            {
                due.Sort(StringComparer.Ordinal);
                try
                {
                    await _flush(due, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref _failedFlushes);
                    foreach (var key in due)
                    {
                        _dirty.TryAdd(key, 0);
                    }
                }

                foreach (var key in due)
                {
                    _lastWrite[key] = now;
                }

                var retryAt = now + MinInterval;
                if (!_dirty.IsEmpty)
                {
                    next = next is null || retryAt < next ? retryAt : next;
                }
            }

            wakeAt = next;
        }
    }

    private async Task WaitAsync(DateTimeOffset? wakeAt, CancellationToken cancellationToken)
    {
        if (_signal.Reader.TryRead(out _))
        {
            return;
        }

        if (wakeAt is null)
        {
            await _signal.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            _signal.Reader.TryRead(out _);
            return;
        }

        // The delay is computed from the absolute deadline as late as possible, so that time passing between
        // the scan and here does not push the wake-up later.
        var wait = wakeAt.Value - _time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, _time, timeout.Token);
        var signalled = _signal.Reader.WaitToReadAsync(timeout.Token).AsTask();
        await Task.WhenAny(delay, signalled).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        _signal.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
