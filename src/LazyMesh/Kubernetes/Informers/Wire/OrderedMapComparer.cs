namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>Two string maps are equal when they enumerate the same pairs in the same order (so a shared one reads exactly as the original).</summary>
public sealed class OrderedMapComparer : IEqualityComparer<Dictionary<string, string>>
{
    public static OrderedMapComparer Instance { get; } = new();

    public bool Equals(Dictionary<string, string>? x, Dictionary<string, string>? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Count != y.Count)
        {
            return false;
        }

        using var a = x.GetEnumerator();
        using var b = y.GetEnumerator();
        while (a.MoveNext() && b.MoveNext())
        {
            if (!string.Equals(a.Current.Key, b.Current.Key, StringComparison.Ordinal) || !string.Equals(a.Current.Value, b.Current.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(Dictionary<string, string> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        foreach (var (key, value) in obj)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
