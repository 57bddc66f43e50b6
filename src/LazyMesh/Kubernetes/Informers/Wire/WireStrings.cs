using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>
/// One shared copy of the strings that repeat across thousands of cached objects (namespaces, label and annotation keys
/// and values such as <c>sidecar.istio.io/status</c>, owner names, container and port names), used while the slim wire
/// models are read. Bounded: strings longer than <see cref="MaxLength"/> are not pooled, and a pool that reaches
/// <see cref="Capacity"/> entries starts over (strings already handed out stay where they are).
/// </summary>
public static class WireStrings
{
    public const int MaxLength = 1024;

    public const int Capacity = 65_536;

    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Pool.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int _count;

    /// <summary>The pooled copy of <paramref name="utf8"/> (a string of it when it is too long to pool).</summary>
    [SkipLocalsInit] // called for most strings of every object read: no zeroing of the buffer the decoder overwrites
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // UTF-8 never has fewer bytes than UTF-16 has chars.
        Span<char> chars = stackalloc char[utf8.Length];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return Get(chars[..length]);
    }

    /// <summary>The pooled copy of <paramref name="value"/>.</summary>
    public static string Get(ReadOnlySpan<char> value)
    {
        if (value.Length > MaxLength)
        {
            return value.ToString();
        }

        if (Lookup.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        return Add(value.ToString());
    }

    /// <summary>The pooled copy of <paramref name="value"/> (itself if it is new or too long).</summary>
    public static string Get(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > MaxLength ? value : Pool.TryGetValue(value, out var pooled) ? pooled : Add(value);
    }

    private static string Add(string value)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Pool.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        return Pool.GetOrAdd(value, value);
    }
}
