using System.Collections.Frozen;

namespace LazyMesh.Mesh;

/// <summary>How a layered map's layers (base, overlay being merged, overlay) change with each update.</summary>
internal static class LayeredMaps
{
    /// <summary>
    /// An overlay is copied on every change, a base only when they merge, off the update path: merging once the
    /// overlay reaches a thirty-second of the base, between 256 and 1,024 entries, keeps the copy small (below the
    /// large object heap: a copy there on every change would bring full collections) and the merges rare (at 50 pod
    /// changes a second on a 50,000-pod index, one per lookup every few seconds, each tens of milliseconds on a core).
    /// </summary>
    public static int CompactionThreshold(int baseCount) => Math.Clamp(baseCount / 32, 256, 1024);

    /// <summary>
    /// The layers after <paramref name="changes"/> (in order; a null value removes the key): a finished merge becomes
    /// the base, the overlay is copied with the changes applied, and once it outgrows the policy's threshold it starts
    /// merging (off the caller's thread when the policy says so). When the previous merge has not ended by then, it is
    /// finished here, so an overlay never holds much more than the threshold.
    /// </summary>
    public static (FrozenDictionary<TKey, TValue> Base, LayerMerge<TKey, TValue>? Merge, Dictionary<TKey, TValue?>? Overlay) With<TKey, TValue>(
        FrozenDictionary<TKey, TValue> frozen,
        LayerMerge<TKey, TValue>? merge,
        Dictionary<TKey, TValue?>? overlay,
        IEnumerable<KeyValuePair<TKey, TValue?>> changes,
        LayerMergePolicy policy)
        where TKey : notnull
        where TValue : class
    {
        if (merge?.Result is { } merged)
        {
            (frozen, merge) = (merged, null);
        }

        var next = overlay is null ? new Dictionary<TKey, TValue?>(frozen.Comparer) : new Dictionary<TKey, TValue?>(overlay, frozen.Comparer);
        foreach (var (key, value) in changes)
        {
            if (value is null && !Holds(frozen, merge, key))
            {
                next.Remove(key);
            }
            else
            {
                next[key] = value;
            }
        }

        if (next.Count <= policy.Threshold(frozen.Count))
        {
            return (frozen, merge, next.Count > 0 ? next : null);
        }

        if (merge is not null)
        {
            (frozen, merge) = (merge.Run(), null);
        }

        var started = new LayerMerge<TKey, TValue>(frozen, next);
        policy.Run(() => started.Run());
        return started.Result is { } done ? (done, null, null) : (frozen, started, null);
    }

    /// <summary><paramref name="frozen"/> with <paramref name="overlay"/> applied, to be frozen again.</summary>
    public static Dictionary<TKey, TValue> Merge<TKey, TValue>(FrozenDictionary<TKey, TValue> frozen, Dictionary<TKey, TValue?> overlay)
        where TKey : notnull
        where TValue : class
    {
        var merged = new Dictionary<TKey, TValue>(frozen, frozen.Comparer);
        foreach (var (key, value) in overlay)
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    /// <summary>Whether the layers under the overlay give <paramref name="key"/> a value (a removal of it must then be kept).</summary>
    private static bool Holds<TKey, TValue>(FrozenDictionary<TKey, TValue> frozen, LayerMerge<TKey, TValue>? merge, TKey key)
        where TKey : notnull
        where TValue : class =>
        merge is not null && merge.Overlay.TryGetValue(key, out var merging) ? merging is not null : frozen.ContainsKey(key);
}
