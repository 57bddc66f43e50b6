namespace LazyMesh.Mesh;

/// <summary>Label-selector matching: every selector label present with the same value.</summary>
internal static class Labels
{
    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return selector.Count == 0;
        }

        foreach (var (key, value) in selector)
        {
            if (!labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static IReadOnlyDictionary<string, string> Copy(IDictionary<string, string>? labels) =>
        labels is null || labels.Count == 0 ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(labels, StringComparer.Ordinal);
}
