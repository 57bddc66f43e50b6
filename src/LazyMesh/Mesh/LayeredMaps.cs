namespace LazyMesh.Mesh;

/// <summary>When a layered map's overlay is frozen into its base.</summary>
internal static class LayeredMaps
{
    /// <summary>
    /// An overlay is copied on every change, a base only when they merge: merging once the overlay reaches an
    /// eighth of the base (at least 1,024 entries) keeps both costs small per change.
    /// </summary>
    public static int CompactionThreshold(int baseCount) => Math.Max(1024, baseCount / 8);

    /// <summary>
    /// A copy of <paramref name="overlay"/> with <paramref name="changes"/> applied in order (a null value removes the
    /// key: kept as a removal only when <paramref name="frozen"/> holds it); null when it should be frozen into the base.
    /// </summary>
    public static Dictionary<TKey, TValue?>? Overlay<TKey, TValue>(
        IReadOnlyDictionary<TKey, TValue> frozen, Dictionary<TKey, TValue?>? overlay, IEqualityComparer<TKey> comparer, IEnumerable<KeyValuePair<TKey, TValue?>> changes)
        where TKey : notnull
        where TValue : class
    {
        var result = overlay is null ? new Dictionary<TKey, TValue?>(comparer) : new Dictionary<TKey, TValue?>(overlay, comparer);
        foreach (var (key, value) in changes)
        {
            if (value is null && !frozen.ContainsKey(key))
            {
                result.Remove(key);
            }
            else
            {
                result[key] = value;
            }
        }

        return result.Count <= CompactionThreshold(frozen.Count) ? result : null;
    }

    /// <summary><paramref name="frozen"/> with <paramref name="overlay"/> applied, to be frozen again.</summary>
    public static Dictionary<TKey, TValue> Merge<TKey, TValue>(
        IReadOnlyDictionary<TKey, TValue> frozen, Dictionary<TKey, TValue?>? overlay, IEqualityComparer<TKey> comparer, IEnumerable<KeyValuePair<TKey, TValue?>> changes)
        where TKey : notnull
        where TValue : class
    {
        var merged = new Dictionary<TKey, TValue>(frozen, comparer);
        foreach (var (key, value) in (overlay ?? []).Concat(changes))
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
}
