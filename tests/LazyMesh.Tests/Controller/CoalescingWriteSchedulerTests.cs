using System.Threading.Channels;
using LazyMesh.Controller;
using Microsoft.Extensions.Time.Testing;

namespace LazyMesh.Tests.Controller;

public sealed class CoalescingWriteSchedulerTests
{
    private sealed class Harness : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly Task _loop;

        public Harness(TimeSpan interval)
        {
            Scheduler = new CoalescingWriteScheduler(interval, (keys, _) =>
            {
                Flushes.Writer.TryWrite((Time.GetUtcNow(), keys));
                return Task.CompletedTask;
            }, Time);
            _loop = Task.Run(() => Scheduler.RunAsync(_cts.Token));
        }

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UnixEpoch);

        public CoalescingWriteScheduler Scheduler { get; }

        public Channel<(DateTimeOffset At, IReadOnlyList<string> Keys)> Flushes { get; } = Channel.CreateUnbounded<(DateTimeOffset, IReadOnlyList<string>)>();

        public async Task<(DateTimeOffset At, IReadOnlyList<string> Keys)> NextFlush() =>
            await Flushes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _loop.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task First_change_flushes_without_waiting_for_time_to_pass()
    {
        await using var h = new Harness(TimeSpan.FromMilliseconds(250));
        h.Scheduler.MarkDirty("a");
        var flush = await h.NextFlush();
        Assert.Equal(["a"], flush.Keys);
        Assert.Equal(DateTimeOffset.UnixEpoch, flush.At);
    }

    [Fact]
    public async Task Changes_within_the_interval_coalesce_into_one_later_flush()
    {
        await using var h = new Harness(TimeSpan.FromMilliseconds(250));
        h.Scheduler.MarkDirty("a");
        await h.NextFlush();

        h.Scheduler.MarkDirty("a");
        h.Scheduler.MarkDirty("a");
        h.Scheduler.MarkDirty("b");
        var bFlush = await h.NextFlush();
        Assert.Equal(["b"], bFlush.Keys);

        // "a" must wait for its interval: no flush while the clock is short of 250 ms. The loop registers its
        // timer asynchronously, so the clock is moved in small steps until the flush shows up.
        Assert.False(h.Flushes.Reader.TryRead(out _));
        h.Time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(h.Flushes.Reader.TryRead(out _));
        (DateTimeOffset At, IReadOnlyList<string> Keys) aFlush = default;
        for (var step = 0; step < 1000 && !h.Flushes.Reader.TryRead(out aFlush); step++)
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
            var next = h.Flushes.Reader.WaitToReadAsync().AsTask();
            await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }

        Assert.Equal(["a"], aFlush.Keys);
        Assert.True(aFlush.At >= DateTimeOffset.UnixEpoch.AddMilliseconds(250), $"flushed at {aFlush.At:O}, before the interval");
    }
}
