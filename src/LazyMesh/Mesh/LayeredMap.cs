using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace LazyMesh.Mesh;

/// <summary>
/// An immutable map made of a frozen base, the overlay of changes being merged into a new base (while that merge
/// runs, off the update path), and the overlay of changes since (a null value removes the key). <see cref="With"/>
/// returns a new map sharing the base; see <see cref="LayeredMaps.With"/> for when layers merge. Lookups take no
/// locks and allocate nothing.
/// </summary>
internal sealed class LayeredMap<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private readonly FrozenDictionary<TKey, TValue> _base;
    private readonly LayerMerge<TKey, TValue>? _merge;
    private readonly Dictionary<TKey, TValue?>? _merging;
    private readonly Dictionary<TKey, TValue?>? _overlay;

    private LayeredMap(FrozenDictionary<TKey, TValue> frozen, LayerMerge<TKey, TValue>? merge, Dictionary<TKey, TValue?>? overlay)
    {
        _base = frozen;
        _merge = merge;
        _merging = merge?.Overlay;
        _overlay = overlay;
    }

    public static LayeredMap<TKey, TValue> Freeze(IEnumerable<KeyValuePair<TKey, TValue>> entries) => new(entries.ToFrozenDictionary(), null, null);

    /// <summary>Entries not frozen into the base yet (in the overlay and in the overlay being merged).</summary>
    public int OverlayCount => (_overlay?.Count ?? 0) + (_merging?.Count ?? 0);

    /// <summary>Whether an overlay is being merged into a new base.</summary>
    public bool Merging => _merge is not null;

    /// <summary>
    /// Completes when the merge in progress has produced its new base (at once when none runs): the next
    /// <see cref="With"/> adopts it. For waiting on a background merge (tests); lookups never wait.
    /// </summary>
    public Task MergeCompleted => _merge?.Completed ?? Task.CompletedTask;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_overlay is not null && _overlay.TryGetValue(key, out var layered))
        {
            value = layered;
            return layered is not null;
        }

        if (_merging is not null && _merging.TryGetValue(key, out layered))
        {
            value = layered;
            return layered is not null;
        }

        return _base.TryGetValue(key, out value);
    }

    /// <summary>This map with <paramref name="changes"/> applied in order (a null value removes the key).</summary>
    public LayeredMap<TKey, TValue> With(IEnumerable<KeyValuePair<TKey, TValue?>> changes, LayerMergePolicy? merges = null)
    {
        var (frozen, merge, overlay) = LayeredMaps.With(_base, _merge, _overlay, changes, merges ?? LayerMergePolicy.Background);
        return new(frozen, merge, overlay);
    }
}
