namespace LazyMesh.Mesh;

/// <summary>Label-selector matching: every selector label present with the same value.</summary>
internal static class Labels
{
    /// <summary>
    /// Every label of <paramref name="selector"/> present in <paramref name="labels"/> with the same value. A
    /// <see cref="Dictionary{TKey, TValue}"/> selector is enumerated without allocating; another kind (a
    /// <see cref="SortedDictionary{TKey, TValue}"/> allocates an enumerator and its stack per call) is better turned into
    /// pairs once (<see cref="Pairs"/>) when it is matched against many pods.
    /// </summary>
    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return selector.Count == 0;
        }

        if (selector is Dictionary<string, string> map)
        {
            foreach (var (key, value) in map)
            {
                if (!Has(labels, key, value))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var (key, value) in selector)
        {
            if (!Has(labels, key, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><see cref="Matches(IReadOnlyDictionary{string, string}, IReadOnlyDictionary{string, string}?)"/> for a selector given as <see cref="Pairs"/>.</summary>
    public static bool Matches(ReadOnlySpan<KeyValuePair<string, string>> selector, IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return selector.IsEmpty;
        }

        foreach (var (key, value) in selector)
        {
            if (!Has(labels, key, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A selector's labels as an array, to match it against many label sets without an enumerator per match.</summary>
    public static KeyValuePair<string, string>[] Pairs(IReadOnlyDictionary<string, string> selector) => [.. selector];

    private static bool Has(IReadOnlyDictionary<string, string> labels, string key, string value) =>
        labels.TryGetValue(key, out var actual) && string.Equals(actual, value, StringComparison.Ordinal);

    public static IReadOnlyDictionary<string, string> Copy(IDictionary<string, string>? labels) =>
        labels is null || labels.Count == 0 ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(labels, StringComparer.Ordinal);
}
