using LazyMesh.AccessLogs;
using LazyMesh.Attribution;
using LazyMesh.Mesh;

namespace LazyMesh.Learning;

/// <summary>
/// The hot path shared by every source: attribute an access event against the current mesh index and
/// record the edge. Lock-free; allocates only for a new edge. <c>onNewEdge</c> runs on the caller's
/// thread for each new edge, so it must be cheap (enqueue and return).
/// </summary>
public sealed class EdgeLearner : IAccessEventSink
{
    private readonly MeshIndexHolder _index;
    private readonly DependencyStore _store;
    private readonly Action<Workload, MeshService, long>? _onNewEdge;
    private readonly TimeProvider _time;
    private long _clockLowerBound;

    public EdgeLearner(MeshIndexHolder index, DependencyStore store, Action<Workload, MeshService, long>? onNewEdge = null, TimeProvider? time = null)
    {
        _index = index;
        _store = store;
        _onNewEdge = onNewEdge;
        _time = time ?? TimeProvider.System;
    }

    public AttributionStats Stats { get; } = new();

    public DependencyStore Store => _store;

    public void OnEvent(scoped in AccessEvent accessEvent)
    {
        var reason = EventAttribution.Attribute(_index.Current, accessEvent, out var source, out var destination);
        if (reason != SkipReason.None)
        {
            Stats.Skipped(reason, accessEvent.Protocol);
            return;
        }

        // An entry's own time, but never in the future: a sender cannot pin an edge against expiry. An earlier clock
        // reading is a lower bound of now, so the clock (~20 ns a read) is read only when the entry's time is absent or
        // not below that reading: for logs of the past, once per run instead of once per entry.
        var start = accessEvent.StartTimeUnixMs;
        long seen;
        if (start > 0 && start < Volatile.Read(ref _clockLowerBound))
        {
            seen = start;
        }
        else
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            Volatile.Write(ref _clockLowerBound, now);
            seen = start > 0 && start < now ? start : now;
        }

        Learn(source!, destination!, seen, accessEvent.Protocol);
        if (AuthorityEvidence.Also(_index.Current, accessEvent, source!, destination!) is { } asked)
        {
            Learn(source!, asked, seen, accessEvent.Protocol);
        }
    }

    private void Learn(Workload source, MeshService destination, long seen, AccessProtocol protocol)
    {
        var result = _store.Learn(source, destination, seen);
        Stats.Learned(result, protocol);
        if (result == LearnResult.New)
        {
            _onNewEdge?.Invoke(source, destination, seen);
        }
    }
}
