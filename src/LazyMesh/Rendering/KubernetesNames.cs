using System.Security.Cryptography;
using System.Text;

namespace LazyMesh.Rendering;

/// <summary>Kubernetes name and label-value rules, and the short hash used to keep derived names unique.</summary>
public static class KubernetesNames
{
    public const int MaxLabelLength = 63;
    public const int MaxSubdomainLength = 253;
    public const int MaxLabelValueLength = 63;

    /// <summary>Length of <see cref="ShortHash"/>'s result.</summary>
    public const int ShortHashLength = 10;

    /// <summary>RFC 1123 label, lower case: what a namespace name must be.</summary>
    public static bool IsDns1123Label(string value) =>
        value.Length is > 0 and <= MaxLabelLength
        && IsAlphanumericLower(value[0])
        && IsAlphanumericLower(value[^1])
        && value.All(c => IsAlphanumericLower(c) || c == '-');

    /// <summary>
    /// RFC 1123 subdomain as Kubernetes checks it, lower case: what most object names must be. Like Kubernetes,
    /// limits only the total length, not each dot-separated part's.
    /// </summary>
    public static bool IsDns1123Subdomain(string value) =>
        value.Length is > 0 and <= MaxSubdomainLength
        && value.Split('.').All(part => part.Length > 0
            && IsAlphanumericLower(part[0])
            && IsAlphanumericLower(part[^1])
            && part.All(c => IsAlphanumericLower(c) || c == '-'));

    /// <summary>A valid label value: empty, or at most 63 characters of <c>[A-Za-z0-9-_.]</c> starting and ending alphanumeric.</summary>
    public static bool IsLabelValue(string value) =>
        value.Length == 0
        || (value.Length <= MaxLabelValueLength
            && char.IsAsciiLetterOrDigit(value[0])
            && char.IsAsciiLetterOrDigit(value[^1])
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));

    /// <summary>First <see cref="ShortHashLength"/> lower-case hex digits of the SHA-256 of <paramref name="text"/>.</summary>
    public static string ShortHash(string text)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return Convert.ToHexStringLower(digest)[..ShortHashLength];
    }

    /// <summary>
    /// <paramref name="value"/> when it is a valid label value; otherwise a valid one made of its valid-character
    /// prefix and a hash of the whole value, so that distinct inputs stay distinct.
    /// </summary>
    public static string ToLabelValue(string value)
    {
        if (IsLabelValue(value))
        {
            return value;
        }

        var kept = new StringBuilder();
        foreach (var c in value)
        {
            kept.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var head = kept.ToString(0, Math.Min(kept.Length, MaxLabelValueLength - ShortHashLength - 1))
            .TrimStart('-', '_', '.').TrimEnd('-', '_', '.');
        var hash = ShortHash(value);
        return head.Length == 0 ? hash : head + "-" + hash;
    }

    private static bool IsAlphanumericLower(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c);
}
