using System.Collections.Concurrent;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>
/// One shared instance per distinct value (by <paramref name="comparer"/>): the pods of one ReplicaSet carry equal
/// labels, annotations, owner references and slim specs, and the cache then holds one copy of each instead of one per
/// pod. Cached objects are read-only (as in client-go's informer caches), so sharing them is safe. Bounded: a pool that
/// reaches <paramref name="capacity"/> entries starts over.
/// </summary>
public sealed class ShapePool<T>(IEqualityComparer<T> comparer, int capacity)
    where T : class
{
    private readonly ConcurrentDictionary<T, T> _pool = new(comparer);
    private int _count;

    /// <summary>The shared instance equal to <paramref name="value"/> (<paramref name="value"/> itself when it is the first).</summary>
    public T? Get(T? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (Interlocked.Increment(ref _count) > capacity)
        {
            _pool.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        return _pool.GetOrAdd(value, value);
    }

    /// <summary>
    /// The shared instance equal to <paramref name="value"/>; when there is none yet, <paramref name="copy"/> of it
    /// becomes the shared one (for values the caller does not own, such as a cached object's labels).
    /// </summary>
    public T Get(T value, Func<T, T> copy)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(copy);
        return _pool.TryGetValue(value, out var shared) ? shared : Get(copy(value))!;
    }
}
