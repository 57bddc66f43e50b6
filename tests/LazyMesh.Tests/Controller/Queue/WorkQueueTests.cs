using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LazyMesh.Controller.Queue;
using Microsoft.Extensions.Time.Testing;

namespace LazyMesh.Tests.Controller.Queue;

/// <summary>
/// The keyed work queue on a fake clock. The semantics follow client-go's workqueue as controller-runtime uses it
/// (kubernetes-sigs/controller-runtime pkg/internal/controller/controller.go, reconcileHandler: Forget on success,
/// AddRateLimited on error, AddAfter on RequeueAfter; a key is never processed by two workers at once).
/// </summary>
public sealed class WorkQueueTests : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(string Key, DateTimeOffset At)> _calls = new();
    private readonly ConcurrentDictionary<string, Func<string, ValueTask<ReconcileResult>>> _behaviour = new();
    private WorkQueue<string> _queue = null!;
    private Task _run = Task.CompletedTask;

    private void Start(WorkQueueOptions options)
    {
        _queue = new WorkQueue<string>(options, _time);
        _run = _queue.RunAsync(ReconcileAsync, _stop.Token);
    }

    private ValueTask<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        _calls.Enqueue((key, _time.GetUtcNow()));
        return _behaviour.TryGetValue(key, out var behave) ? behave(key) : ValueTask.FromResult(ReconcileResult.Done);
    }

    private string[] Calls(string key) => [.. _calls.Where(c => c.Key == key).Select(c => c.Key)];

    private Task Idle() => _queue.WhenIdleAsync().WaitAsync(Guard);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(Guard);
        _queue.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task A_key_added_many_times_while_queued_is_reconciled_once()
    {
        _queue = new WorkQueue<string>(new WorkQueueOptions { Workers = 2 }, _time);
        _queue.Add("a");
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("a");
        Assert.Equal(2, _queue.Depth);
        _run = _queue.RunAsync(ReconcileAsync, _stop.Token);
        await Idle();
        Assert.Single(Calls("a"));
        Assert.Single(Calls("b"));
    }

    [Fact]
    public async Task The_same_key_never_runs_twice_at_once_and_does_not_hold_up_other_keys()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _behaviour["a"] = async _ =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            started.TrySetResult();
            await release.Task;
            Interlocked.Decrement(ref inFlight);
            return ReconcileResult.Done;
        };
        _behaviour["b"] = _ =>
        {
            bDone.TrySetResult();
            return ValueTask.FromResult(ReconcileResult.Done);
        };
        Start(new WorkQueueOptions { Workers = 4 });

        _queue.Add("a");
        await started.Task.WaitAsync(Guard);
        _queue.Add("a");
        _queue.Add("a");
        _queue.Add("b");
        await bDone.Task.WaitAsync(Guard);
        Assert.Single(Calls("a"));
        Assert.Equal(0, _queue.Depth);

        release.SetResult();
        await Idle();
        Assert.Equal(2, Calls("a").Length);
        Assert.Equal(1, maxInFlight);
    }

    [Fact]
    public async Task A_failing_key_backs_off_exponentially_capped_on_its_own_and_a_success_resets_it()
    {
        var fail = true;
        _behaviour["bad"] = _ => Volatile.Read(ref fail) ? throw new InvalidOperationException("boom") : ValueTask.FromResult(ReconcileResult.Done);
        var failures = new ConcurrentQueue<(int Failures, TimeSpan Delay)>();
        Start(new WorkQueueOptions { BaseBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(400) });
        _queue.Failed += (_, _, n, delay) => failures.Enqueue((n, delay));

        _queue.Add("bad");
        await Idle();
        Assert.Single(Calls("bad"));

        // Adding it again during its backoff does not cut the backoff short; other keys run at once.
        _queue.Add("bad");
        _queue.Add("good");
        await Idle();
        Assert.Single(Calls("bad"));
        Assert.Single(Calls("good"));

        foreach (var expected in new[] { 100, 200, 400, 400 })
        {
            _time.Advance(TimeSpan.FromMilliseconds(expected - 1));
            await Idle();
            var before = Calls("bad").Length;
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await Idle();
            Assert.Equal(before + 1, Calls("bad").Length);
        }

        Assert.Equal([(1, 100), (2, 200), (3, 400), (4, 400), (5, 400)], failures.Select(f => (f.Failures, (int)f.Delay.TotalMilliseconds)));
        Assert.Equal(5, _queue.FailuresOf("bad"));

        Volatile.Write(ref fail, false);
        _time.Advance(TimeSpan.FromMilliseconds(400));
        await Idle();
        Assert.Equal(0, _queue.FailuresOf("bad"));
        Volatile.Write(ref fail, true);
        _queue.Add("bad");
        await Idle();
        Assert.Equal(1, _queue.FailuresOf("bad"));
        Assert.Equal(100, (int)failures.Last().Delay.TotalMilliseconds);
    }

    [Fact]
    public async Task Changes_within_the_minimum_interval_coalesce_into_one_reconcile_when_it_has_passed()
    {
        Start(new WorkQueueOptions { MinInterval = TimeSpan.FromMilliseconds(250) });
        _queue.Add("a");
        await Idle();
        Assert.Equal(DateTimeOffset.UnixEpoch, _calls.Single().At);

        _queue.Add("a");
        _queue.Add("a");
        _queue.Add("a");
        await Idle();
        Assert.Single(Calls("a"));
        Assert.Equal(1, _queue.Waiting);

        _time.Advance(TimeSpan.FromMilliseconds(250));
        await Idle();
        Assert.Equal(2, Calls("a").Length);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(250), _calls.Last().At);
    }

    [Fact]
    public async Task A_high_priority_key_is_picked_before_every_ready_normal_key()
    {
        // A resync queued the whole mesh; a new dependency arrives: it is reconciled next, not after the mesh.
        _queue = new WorkQueue<string>(new WorkQueueOptions { Workers = 1 }, _time);
        for (var i = 0; i < 100; i++)
        {
            _queue.Add($"w{i}");
        }

        _queue.Add("new-edge", WorkPriority.High);
        _queue.Add("w99", WorkPriority.Normal);
        Assert.Equal(101, _queue.Depth);
        _run = _queue.RunAsync(ReconcileAsync, _stop.Token);
        await Idle();
        string[] order = [.. _calls.Select(static c => c.Key)];
        Assert.Equal(101, order.Length);
        Assert.Equal("new-edge", order[0]);
        Assert.Equal([.. Enumerable.Range(0, 100).Select(static i => $"w{i}")], order[1..]);
    }

    [Fact]
    public async Task A_ready_normal_key_added_with_high_priority_moves_ahead_and_is_reconciled_once()
    {
        _queue = new WorkQueue<string>(new WorkQueueOptions { Workers = 1 }, _time);
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("c");
        _queue.Add("c", WorkPriority.High);
        _queue.Add("c", WorkPriority.High);
        Assert.Equal(3, _queue.Depth);
        _run = _queue.RunAsync(ReconcileAsync, _stop.Token);
        await Idle();
        Assert.Equal(["c", "a", "b"], _calls.Select(static c => c.Key));
        Assert.Equal(0, _queue.Depth);
    }

    [Fact]
    public async Task A_high_priority_key_waiting_for_its_interval_goes_ahead_when_the_interval_has_passed()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _behaviour["blocker"] = async _ =>
        {
            holding.TrySetResult();
            await hold.Task;
            return ReconcileResult.Done;
        };
        Start(new WorkQueueOptions { Workers = 1, MinInterval = TimeSpan.FromMilliseconds(250) });
        _queue.Add("a");
        await Idle();

        // "a" was just reconciled: its new dependency waits out the interval, while the only worker is busy and a
        // sweep queues normal keys behind the blocker.
        _queue.Add("blocker");
        await holding.Task.WaitAsync(Guard);
        _queue.Add("a", WorkPriority.High);
        _queue.Add("x");
        _queue.Add("y");
        Assert.Equal(1, _queue.Waiting);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(3, _queue.Depth);
        hold.SetResult();
        await Idle();
        Assert.Equal(["a", "blocker", "a", "x", "y"], _calls.Select(static c => c.Key));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(250), _calls.ElementAt(2).At);
    }

    [Fact]
    public async Task A_key_added_with_high_priority_while_it_is_reconciled_runs_again_ahead_of_normal_keys()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        _behaviour["a"] = async _ =>
        {
            if (first)
            {
                first = false;
                holding.TrySetResult();
                await hold.Task;
            }

            return ReconcileResult.Done;
        };
        Start(new WorkQueueOptions { Workers = 1 });
        _queue.Add("a");
        await holding.Task.WaitAsync(Guard);
        _queue.Add("x");
        _queue.Add("a", WorkPriority.High);
        _queue.Add("y");
        hold.SetResult();
        await Idle();
        Assert.Equal(["a", "a", "x", "y"], _calls.Select(static c => c.Key));
    }

    [Fact]
    public async Task Drain_takes_both_lanes_once_each()
    {
        _queue = new WorkQueue<string>(new WorkQueueOptions(), _time);
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("b", WorkPriority.High);
        _queue.Add("c", WorkPriority.High);
        var drained = await _queue.DrainAsync(ReconcileAsync, CancellationToken.None);
        Assert.Equal(3, drained);
        Assert.Equal(["b", "c", "a"], _calls.Select(static c => c.Key));
        Assert.Equal(0, _queue.Depth);
    }

    [Fact]
    public async Task Requeue_after_runs_a_periodic_key_again_at_its_time()
    {
        _behaviour["sweep"] = _ => ValueTask.FromResult(ReconcileResult.After(TimeSpan.FromMinutes(1)));
        Start(new WorkQueueOptions());
        _queue.Add("sweep");
        await Idle();
        _time.Advance(TimeSpan.FromSeconds(59));
        await Idle();
        Assert.Single(Calls("sweep"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await Idle();
        Assert.Equal(2, Calls("sweep").Length);
    }

    [Fact]
    public async Task Drain_reconciles_every_ready_and_waiting_key_once_after_the_workers_stopped()
    {
        _behaviour["bad"] = _ => throw new InvalidOperationException("boom");
        Start(new WorkQueueOptions { BaseBackoff = TimeSpan.FromMinutes(1) });
        _queue.Add("bad");
        await Idle();
        _queue.AddAfter("later", TimeSpan.FromHours(1));
        await _stop.CancelAsync();
        await _run.WaitAsync(Guard);
        _queue.Add("now");

        var drained = await _queue.DrainAsync(ReconcileAsync, CancellationToken.None);
        Assert.Equal(3, drained);
        Assert.Equal(2, Calls("bad").Length);
        Assert.Single(Calls("later"));
        Assert.Single(Calls("now"));
    }

    [Fact]
    public async Task Depth_errors_and_durations_are_metrics()
    {
        var seen = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WorkQueueMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, 1, tags));
        listener.Start();

        _behaviour["bad"] = _ => throw new InvalidOperationException("boom");
        _queue = new WorkQueue<string>(new WorkQueueOptions { Name = "metrics-test" }, _time);
        _queue.Add("x");
        _queue.Add("bad");
        listener.RecordObservableInstruments();
        Assert.Equal(2, seen["lazymesh_queue_depth"]);
        _run = _queue.RunAsync(ReconcileAsync, _stop.Token);
        await Idle();
        Assert.Equal(1, seen["lazymesh_reconcile_errors_total"]);
        Assert.Equal(2, seen["lazymesh_reconcile_duration_seconds"]);
        Assert.Equal(1, seen["lazymesh_queue_retries_total"]);
        Assert.Equal(2, seen["lazymesh_queue_adds_total"]);

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "queue" && (string?)tag.Value == "metrics-test")
                {
                    seen.AddOrUpdate(instrument.Name, value, (_, old) => instrument is ObservableGauge<int> ? value : old + value);
                }
            }
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
