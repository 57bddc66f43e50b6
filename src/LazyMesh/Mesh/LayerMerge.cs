using System.Collections.Frozen;

namespace LazyMesh.Mesh;

/// <summary>
/// An overlay being frozen into its base: readers look it up between the newer overlay and the base until an update
/// finds <see cref="Result"/> and adopts it as the new base. <see cref="Run"/> is idempotent and thread-safe;
/// <see cref="Completed"/> completes once it has run (wherever it ran).
/// </summary>
internal sealed class LayerMerge<TKey, TValue>(FrozenDictionary<TKey, TValue> frozen, Dictionary<TKey, TValue?> overlay)
    where TKey : notnull
    where TValue : class
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FrozenDictionary<TKey, TValue>? _result;

    /// <summary>The changes being merged (never modified once the merge exists).</summary>
    public Dictionary<TKey, TValue?> Overlay { get; } = overlay;

    /// <summary>The base with <see cref="Overlay"/> applied, once the merge has run.</summary>
    public FrozenDictionary<TKey, TValue>? Result => Volatile.Read(ref _result);

    /// <summary>Completes when <see cref="Result"/> is set: the next update adopts it (faults if the merge threw).</summary>
    public Task Completed => _completed.Task;

    /// <summary>Merges (unless done already) and returns the new base.</summary>
    public FrozenDictionary<TKey, TValue> Run()
    {
        if (Result is { } done)
        {
            return done;
        }

        FrozenDictionary<TKey, TValue> merged;
        try
        {
            merged = LayeredMaps.Merge(frozen, Overlay).ToFrozenDictionary(frozen.Comparer);
        }
        catch (Exception e)
        {
            _completed.TrySetException(e);
            throw;
        }

        var result = Interlocked.CompareExchange(ref _result, merged, null) ?? merged;
        _completed.TrySetResult();
        return result;
    }
}
