using System.Globalization;

namespace LazyMesh.Kubernetes.State;

/// <summary>RFC 3339 UTC times as Kubernetes writes them, to whole seconds (status times are coarse by design).</summary>
public static class KubeTime
{
    public static string Format(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset time) => Format(time.ToUnixTimeMilliseconds());

    /// <summary>Whole seconds: what <see cref="Format(long)"/> keeps.</summary>
    public static long Truncate(long unixMs) => unixMs - (((unixMs % 1000) + 1000) % 1000);

    public static bool TryParse(string? text, out long unixMs)
    {
        if (!string.IsNullOrEmpty(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            unixMs = parsed.ToUnixTimeMilliseconds();
            return true;
        }

        unixMs = 0;
        return false;
    }
}
