using System.Collections.Concurrent;
using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.Support;

/// <summary>Thread-safe sink that records events and lets a test await a count.</summary>
public sealed class RecordingSink : IAccessEventSink
{
    private readonly ConcurrentQueue<RecordedEvent> _events = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _count;

    public IReadOnlyList<RecordedEvent> Events => [.. _events];

    public int Count => Volatile.Read(ref _count);

    public void OnEvent(scoped in AccessEvent accessEvent)
    {
        _events.Enqueue(RecordedEvent.From(accessEvent));
        var count = Interlocked.Increment(ref _count);
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (count >= _waiters[i].Count)
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> events arrived; fails after 30 s.</summary>
    public Task WaitForCountAsync(int count)
    {
        lock (_gate)
        {
            if (Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
