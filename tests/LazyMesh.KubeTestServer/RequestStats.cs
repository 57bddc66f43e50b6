using System.Collections.Concurrent;

namespace LazyMesh.KubeTesting;

/// <summary>
/// Counts of API requests that reached the server (including ones failed by fault injection), by verb and
/// resource (with "/subresource" when there is one). Thread-safe.
/// </summary>
public sealed class RequestStats
{
    private readonly ConcurrentDictionary<(string Verb, string Resource), long> _counts = new();
    private readonly ConcurrentQueue<string> _forbidden = new();
    private long _total;
    private long _writes;

    /// <summary>All API requests.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests with verb create, update, patch, delete or deletecollection.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Requests with this verb, optionally for one resource (e.g. "pods" or "lazysidecars/status").</summary>
    public long Count(string verb, string? resource = null) =>
        _counts.Where(kv => kv.Key.Verb == verb && (resource is null || kv.Key.Resource == resource)).Sum(kv => kv.Value);

    /// <summary>Write requests for one resource (e.g. "leases").</summary>
    public long WritesTo(string resource) =>
        _counts.Where(kv => kv.Key.Resource == resource && kv.Key.Verb is "create" or "update" or "patch" or "delete" or "deletecollection").Sum(kv => kv.Value);

    /// <summary>Every request RBAC refused (403), as the denial message: a test asserts this is empty to catch a missing verb.</summary>
    public IReadOnlyList<string> Forbidden => [.. _forbidden];

    /// <summary>A copy of all counters.</summary>
    public IReadOnlyDictionary<(string Verb, string Resource), long> Snapshot() => new Dictionary<(string, string), long>(_counts);

    /// <summary>Zeroes all counters.</summary>
    public void Reset()
    {
        _counts.Clear();
        _forbidden.Clear();
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _writes, 0);
    }

    internal void Record(KubeRequestInfo info)
    {
        _counts.AddOrUpdate((info.Verb, info.ResourceWithSubresource), 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
        if (info.IsWrite)
        {
            Interlocked.Increment(ref _writes);
        }
    }

    internal void RecordForbidden(KubeIdentity identity, KubeRequestInfo info) => _forbidden.Enqueue(RbacAuthorizer.Denial(identity, info));
}
