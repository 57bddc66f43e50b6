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
        var comparer = (IEqualityComparer<string>)_base.Comparer;
        var overlay = _overlay is null ? new Dictionary<string, TValue?>(comparer) : new Dictionary<string, TValue?>(_overlay, comparer);
        foreach (var (key, value) in changes)
        {
            if (value is null && !_base.ContainsKey(key))
            {
                overlay.Remove(key);
            }
            else
            {
                overlay[key] = value;
            }
        }

        if (overlay.Count <= LayeredMaps.CompactionThreshold(_base.Count))
        {
            return new(_base, overlay);
        }

        var merged = new Dictionary<string, TValue>(_base, comparer);
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

        return new(merged.ToFrozenDictionary(comparer), null);
    }
}
