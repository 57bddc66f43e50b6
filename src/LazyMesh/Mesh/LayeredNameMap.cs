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
    private readonly Dictionary<string, TValue?>? _overlay;
    private readonly Dictionary<string, TValue?>.AlternateLookup<ReadOnlySpan<char>> _overlaySpans;

    private LayeredNameMap(FrozenDictionary<string, TValue> frozen, Dictionary<string, TValue?>? overlay)
    {
        _base = frozen;
        _baseSpans = frozen.GetAlternateLookup<ReadOnlySpan<char>>();
        if (overlay is { Count: > 0 })
        {
            _overlay = overlay;
            _overlaySpans = overlay.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    public static LayeredNameMap<TValue> Freeze(IEnumerable<KeyValuePair<string, TValue>> entries, StringComparer comparer) =>
        new(entries.ToFrozenDictionary(comparer), null);

    public int OverlayCount => _overlay?.Count ?? 0;

    public bool TryGetValue(ReadOnlySpan<char> key, [NotNullWhen(true)] out TValue? value)
    {
        if (_overlay is not null && _overlaySpans.TryGetValue(key, out value))
        {
            return value is not null;
        }

        return _baseSpans.TryGetValue(key, out value);
    }

    public TValue? GetValueOrDefault(string key) => TryGetValue(key, out var value) ? value : null;

    /// <summary>This map with <paramref name="changes"/> applied in order (a null value removes the key).</summary>
    public LayeredNameMap<TValue> With(IEnumerable<KeyValuePair<string, TValue?>> changes)
    {
        var list = changes as IReadOnlyCollection<KeyValuePair<string, TValue?>> ?? [.. changes];
        return LayeredMaps.Overlay(_base, _overlay, _base.Comparer, list) is { } overlay
            ? new(_base, overlay)
            : new(LayeredMaps.Merge(_base, _overlay, _base.Comparer, list).ToFrozenDictionary(_base.Comparer), null);
    }
}
