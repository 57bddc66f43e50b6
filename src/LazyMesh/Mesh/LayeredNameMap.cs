using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace LazyMesh.Mesh;

/// <summary>
/// <see cref="LayeredMap{TKey, TValue}"/> for names: string keys under a comparer, looked up by
/// <see cref="ReadOnlySpan{T}"/> without allocating.
/// </summary>
internal sealed class LayeredNameMap<TValue>
    where TValue : class
{
    private readonly FrozenDictionary<string, TValue> _base;
    private readonly FrozenDictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _baseSpans;
    private readonly LayerMerge<string, TValue>? _merge;
    private readonly Dictionary<string, TValue?>? _merging;
    private readonly Dictionary<string, TValue?>.AlternateLookup<ReadOnlySpan<char>> _mergingSpans;
    private readonly Dictionary<string, TValue?>? _overlay;
    private readonly Dictionary<string, TValue?>.AlternateLookup<ReadOnlySpan<char>> _overlaySpans;

    private LayeredNameMap(FrozenDictionary<string, TValue> frozen, LayerMerge<string, TValue>? merge, Dictionary<string, TValue?>? overlay)
    {
        _base = frozen;
        _baseSpans = frozen.GetAlternateLookup<ReadOnlySpan<char>>();
        _merge = merge;
        if (merge is not null)
        {
            _merging = merge.Overlay;
            _mergingSpans = merge.Overlay.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        if (overlay is not null)
        {
            _overlay = overlay;
            _overlaySpans = overlay.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    public static LayeredNameMap<TValue> Freeze(IEnumerable<KeyValuePair<string, TValue>> entries, StringComparer comparer) =>
        new(entries.ToFrozenDictionary(comparer), null, null);

    /// <summary>Entries not frozen into the base yet (in the overlay and in the overlay being merged).</summary>
    public int OverlayCount => (_overlay?.Count ?? 0) + (_merging?.Count ?? 0);

    /// <summary>Whether an overlay is being merged into a new base.</summary>
    public bool Merging => _merge is not null;

    public bool TryGetValue(ReadOnlySpan<char> key, [NotNullWhen(true)] out TValue? value)
    {
        if (_overlay is not null && _overlaySpans.TryGetValue(key, out value))
        {
            return value is not null;
        }

        if (_merging is not null && _mergingSpans.TryGetValue(key, out value))
        {
            return value is not null;
        }

        return _baseSpans.TryGetValue(key, out value);
    }

    public TValue? GetValueOrDefault(string key) => TryGetValue(key, out var value) ? value : null;

    /// <summary>This map with <paramref name="changes"/> applied in order (a null value removes the key).</summary>
    public LayeredNameMap<TValue> With(IEnumerable<KeyValuePair<string, TValue?>> changes, LayerMergePolicy? merges = null)
    {
        var (frozen, merge, overlay) = LayeredMaps.With(_base, _merge, _overlay, changes, merges ?? LayerMergePolicy.Background);
        return new(frozen, merge, overlay);
    }
}
