namespace LazyMesh.KubeTesting;

/// <summary>
/// Thread-safe fault switches of a <see cref="KubeTestServer"/>. Counted faults are consumed by the requests
/// they hit, in arrival order.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = [];
    private readonly KubeTestServer _server;
    private int _goneWatches;
    private int _conflictWrites;
    private TimeSpan _latency;

    internal FaultInjector(KubeTestServer server) => _server = server;

    /// <summary>Delay added before every API response (zero: none).</summary>
    public TimeSpan Latency
    {
        get
        {
            lock (_gate)
            {
                return _latency;
            }
        }

        set
        {
            lock (_gate)
            {
                _latency = value;
            }
        }
    }

    /// <summary>Whether an outage is in progress.</summary>
    public bool InOutage => _server.InOutage;

    /// <summary>The next <paramref name="count"/> watch requests get an ERROR event with a 410 Gone (Expired) Status, then end.</summary>
    public void FailNextWatchesWithGone(int count = 1)
    {
        lock (_gate)
        {
            _goneWatches += count;
        }
    }

    /// <summary>The next <paramref name="count"/> writes (create, update, patch, delete) fail with 409 Conflict.</summary>
    public void ConflictNextWrites(int count = 1)
    {
        lock (_gate)
        {
            _conflictWrites += count;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> requests that satisfy <paramref name="match"/> (all when null) fail with
    /// <paramref name="statusCode"/>, with a Retry-After header when <paramref name="retryAfter"/> is given.
    /// </summary>
    public void FailNextRequests(int count, int statusCode = 500, Func<KubeRequestInfo, bool>? match = null, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            _rules.Add(new FaultRule(count, statusCode, match, retryAfter));
        }
    }

    /// <summary>The next <paramref name="count"/> matching requests get 429 TooManyRequests with Retry-After.</summary>
    public void ThrottleNextRequests(int count, TimeSpan retryAfter, Func<KubeRequestInfo, bool>? match = null) =>
        FailNextRequests(count, 429, match, retryAfter);

    /// <summary>
    /// Ends every open watch now. Graceful (the default) ends the chunked response as a server timeout does;
    /// <paramref name="abortConnections"/> resets the connections instead. Returns how many were open.
    /// </summary>
    public int DropWatches(bool abortConnections = false) => _server.Store.StopWatches(abortConnections);

    /// <summary>
    /// Starts an outage that lasts <paramref name="duration"/>, or until <see cref="EndOutageAsync"/> when null.
    /// Returns once the outage is in effect.
    /// </summary>
    public Task StartOutageAsync(TimeSpan? duration = null, OutageMode mode = OutageMode.ConnectionRefused) =>
        _server.StartOutageAsync(duration, mode);

    /// <summary>Ends the outage; returns once the server accepts requests again.</summary>
    public Task EndOutageAsync() => _server.EndOutageAsync();

    /// <summary>Completes when the current outage (if any) has ended.</summary>
    public Task OutageEnded => _server.OutageEnded;

    /// <summary>Clears counted faults and latency (not an outage).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _goneWatches = 0;
            _conflictWrites = 0;
            _latency = TimeSpan.Zero;
        }
    }

    internal FaultRule? TakeRequestFault(KubeRequestInfo info)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Remaining > 0 && (rule.Match is null || rule.Match(info)))
                {
                    rule.Remaining--;
                    _rules.RemoveAll(r => r.Remaining <= 0);
                    return rule;
                }
            }

            return null;
        }
    }

    internal bool TakeGoneWatch()
    {
        lock (_gate)
        {
            if (_goneWatches <= 0)
            {
                return false;
            }

            _goneWatches--;
            return true;
        }
    }

    internal bool TakeConflictWrite()
    {
        lock (_gate)
        {
            if (_conflictWrites <= 0)
            {
                return false;
            }

            _conflictWrites--;
            return true;
        }
    }
}
