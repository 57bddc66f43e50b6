using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace LazyMesh.Mesh;

/// <summary>
/// An immutable map made of a frozen base and a small overlay of changes since it was frozen (a null value removes
/// the key). <see cref="With"/> returns a new map sharing the base; once the overlay outgrows a fraction of the base
/// the result is frozen whole again. Lookups take no locks and allocate nothing.
/// </summary>
internal sealed class LayeredMap<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private readonly FrozenDictionary<TKey, TValue> _base;
    private readonly Dictionary<TKey, TValue?>? _overlay;

    private LayeredMap(FrozenDictionary<TKey, TValue> frozen, Dictionary<TKey, TValue?>? overlay)
    {
        _base = frozen;
        _overlay = overlay is { Count: > 0 } ? overlay : null;
    }

    public static LayeredMap<TKey, TValue> Freeze(IEnumerable<KeyValuePair<TKey, TValue>> entries) => new(entries.ToFrozenDictionary(), null);

    /// <summary>Entries in the overlay (changes not yet frozen into the base).</summary>
    public int OverlayCount => _overlay?.Count ?? 0;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_overlay is not null && _overlay.TryGetValue(key, out var layered))
        {
            value = layered;
            return layered is not null;
        }

        return _base.TryGetValue(key, out value);
    }

    /// <summary>This map with <paramref name="changes"/> applied in order (a null value removes the key).</summary>
    public LayeredMap<TKey, TValue> With(IEnumerable<KeyValuePair<TKey, TValue?>> changes)
    {
        var list = changes as IReadOnlyCollection<KeyValuePair<TKey, TValue?>> ?? [.. changes];
        return LayeredMaps.Overlay(_base, _overlay, _base.Comparer, list) is { } overlay
            ? new(_base, overlay)
            : new(LayeredMaps.Merge(_base, _overlay, _base.Comparer, list).ToFrozenDictionary(_base.Comparer), null);
    }
}
