using System.Text.RegularExpressions;

namespace LazyMesh.Authorization;

/// <summary>
/// Istio's string patterns for AuthorizationPolicy values, as the Envoy matchers they become
/// (pilot/pkg/security/authz/matcher/string.go <c>StringMatcherWithPrefix</c>, header.go <c>HeaderMatcher</c>,
/// <c>HostMatcher</c>): <c>*</c> alone, <c>*suffix</c>, <c>prefix*</c>, or exact.
/// </summary>
public static class IstioStringPattern
{
    /// <summary>
    /// <c>StringMatcherWithPrefix(value, prefix)</c>: <c>*</c> is the regex <c>.+</c> (non-empty); <c>*x</c> is a suffix
    /// (with a prefix: the regex <c>prefix.*x</c>); <c>x*</c> a prefix; otherwise exact. Case-sensitive.
    /// </summary>
    public static Func<string, bool> String(string value, string prefix = "")
    {
        if (value == "*")
        {
            return static s => s.Length > 0;
        }

        if (value.StartsWith('*'))
        {
            var suffix = value[1..];
            return prefix.Length == 0
                ? s => s.EndsWith(suffix, StringComparison.Ordinal)
                : s => s.Length >= prefix.Length + suffix.Length && s.StartsWith(prefix, StringComparison.Ordinal) && s.EndsWith(suffix, StringComparison.Ordinal);
        }

        if (value.EndsWith('*'))
        {
            var start = prefix + value[..^1];
            return s => s.StartsWith(start, StringComparison.Ordinal);
        }

        var exact = prefix + value;
        return s => string.Equals(s, exact, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>HeaderMatcher</c> (<paramref name="ignoreCase"/> false) and <c>HostMatcher</c> (true): <c>*</c> means the
    /// header is present, <c>*x</c> suffix, <c>x*</c> prefix, otherwise exact. An absent header never matches.
    /// </summary>
    public static Func<string?, bool> Header(string value, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (value == "*")
        {
            return static s => s is not null;
        }

        if (value.StartsWith('*'))
        {
            var suffix = value[1..];
            return s => s is not null && s.EndsWith(suffix, comparison);
        }

        if (value.EndsWith('*'))
        {
            var start = value[..^1];
            return s => s is not null && s.StartsWith(start, comparison);
        }

        return s => s is not null && string.Equals(s, value, comparison);
    }

    /// <summary>A full-match regular expression (RE2 syntax as Istio writes it; the subset used here is the same in .NET).</summary>
    public static Func<string, bool> FullRegex(string pattern)
    {
        var regex = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100));
        return s => regex.IsMatch(s);
    }

    /// <summary>
    /// Path templates (<c>{*}</c> one non-empty segment, <c>{**}</c> any run of segments, possibly empty), Envoy's
    /// <c>uri_template</c> matcher as Istio generates it (pilot/pkg/security/authz/matcher/template.go
    /// <c>PathTemplateMatcher</c>; istio tests/integration/security/authz_test.go <c>TestAuthz_PathTemplating</c>).
    /// </summary>
    public static bool IsPathTemplate(string value) => value.Contains("{*}", StringComparison.Ordinal) || value.Contains("{**}", StringComparison.Ordinal);

    public static Func<string, bool> PathTemplate(string value)
    {
        const string segment = "[a-zA-Z0-9\\-._~%!$&'()+,;:@=]";
        var pattern = Regex.Escape(value)
            .Replace("\\{\\*\\*}", segment.Replace("]", "/]", StringComparison.Ordinal) + "*", StringComparison.Ordinal)
            .Replace("\\{\\*}", segment + "+", StringComparison.Ordinal);
        return FullRegex(pattern);
    }
}
