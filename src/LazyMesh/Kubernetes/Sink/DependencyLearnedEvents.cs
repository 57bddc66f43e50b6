namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// Aggregates newly learned hosts per LazySidecar so that at most one <c>DependencyLearned</c> Event per
/// workload per window is written, listing every host learned meanwhile. Thread-safe; no I/O.
/// </summary>
public sealed class DependencyLearnedEvents(TimeSpan window)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastEmitted = new(StringComparer.Ordinal);

    public void Add(EventTarget target, IEnumerable<string> hosts)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(target.Key, out var pending))
            {
                _pending[target.Key] = pending = new Pending(target, new SortedSet<string>(StringComparer.Ordinal));
            }

            pending.Hosts.UnionWith(hosts);
            if (pending.Hosts.Count == 0)
            {
                _pending.Remove(target.Key);
            }
            else
            {
                _pending[target.Key] = pending with { Target = target };
            }
        }
    }

    /// <summary>The batches whose window has passed; they are removed and their emission time recorded.</summary>
    public IReadOnlyList<(EventTarget Target, IReadOnlyList<string> Hosts)> TakeDue(long nowMs)
    {
        var due = new List<(EventTarget, IReadOnlyList<string>)>();
        lock (_lock)
        {
            foreach (var (key, pending) in _pending.ToList())
            {
                if (!_lastEmitted.TryGetValue(key, out var last) || nowMs - last >= window.TotalMilliseconds)
                {
                    due.Add((pending.Target, [.. pending.Hosts]));
                    _pending.Remove(key);
                    _lastEmitted[key] = nowMs;
                }
            }
        }

        return due;
    }

    private sealed record Pending(EventTarget Target, SortedSet<string> Hosts);
}
