namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// A token bucket shared by every write LazyMesh sends to the API server, so that a cold start with thousands
/// of workloads (or a retry storm) cannot turn into an istiod push storm: at most <c>burst</c> writes at once,
/// then <c>perSecond</c> on average. Time comes from a <see cref="TimeProvider"/>, so tests can step it.
/// </summary>
public sealed class WriteBudget
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly double _burst;
    private double _tokens;
    private long _lastTimestamp;
    private long _granted;
    private int _waiting;
    private TaskCompletionSource _waiterSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WriteBudget(double perSecond = DefaultPerSecond, int? burst = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perSecond, 0);
        _perSecond = perSecond;
        _burst = Math.Max(1, burst ?? (int)Math.Ceiling(perSecond));
        _time = time ?? TimeProvider.System;
        _tokens = _burst;
        _lastTimestamp = _time.GetTimestamp();
    }

    public const double DefaultPerSecond = 20;

    public double PerSecond => _perSecond;

    public double Burst => _burst;

    /// <summary>Writes granted so far.</summary>
    public long Granted => Interlocked.Read(ref _granted);

    /// <summary>Callers currently waiting for a token.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Completes when some caller is waiting for a token (a signal for tests that step time).</summary>
    public Task WhenWaitingAsync()
    {
        lock (_lock)
        {
            if (_waiting > 0)
            {
                return Task.CompletedTask;
            }

            if (_waiterSignal.Task.IsCompleted)
            {
                _waiterSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _waiterSignal.Task;
        }
    }

    /// <summary>Takes one token, waiting (on the time provider) until one is available.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task delay;
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_lastTimestamp, now).TotalSeconds * _perSecond));
                _lastTimestamp = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    _granted++;
                    return;
                }

                // The timer is armed before waiters are told about this one, so a clock moved by someone who saw
                // the waiter always moves this timer too.
                delay = Task.Delay(TimeSpan.FromSeconds((1 - _tokens) / _perSecond), _time, cancellationToken);
                _waiting++;
                _waiterSignal.TrySetResult();
            }

            try
            {
                await delay.ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _waiting--;
                }
            }
        }
    }
}
