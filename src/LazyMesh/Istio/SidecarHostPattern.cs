namespace LazyMesh.Istio;

/// <summary>
/// One entry of a Sidecar's <c>egress[].hosts</c>: <c>namespace/dnsName</c> with Istio's semantics.
/// Namespace <c>*</c> = any, <c>.</c> = the Sidecar's own namespace, <c>~</c> = none; dnsName <c>*</c> = any,
/// <c>*.suffix</c> = left-most wildcard, else exact (case-insensitive).
/// </summary>
public readonly record struct SidecarHostPattern(string Namespace, string DnsName)
{
    public static bool TryParse(string text, out SidecarHostPattern pattern, out string? error)
    {
        pattern = default;
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            error = $"host '{text}' is not of the form namespace/dnsName";
            return false;
        }

        pattern = new SidecarHostPattern(text[..slash], text[(slash + 1)..]);
        error = null;
        return true;
    }

    /// <summary>
    /// What a Sidecar imports, as patterns: every entry of every egress listener. With no egress Istio imports
    /// everything (<c>*/*</c>). Entries that are not <c>namespace/dnsName</c> are skipped.
    /// </summary>
    public static IReadOnlyList<SidecarHostPattern> EgressOf(SidecarResource sidecar)
    {
        var hosts = sidecar.Spec.Egress is { Count: > 0 } egress ? egress.SelectMany(static e => e.Hosts) : ["*/*"];
        var patterns = new List<SidecarHostPattern>();
        foreach (var host in hosts)
        {
            if (TryParse(host, out var pattern, out _))
            {
                patterns.Add(pattern);
            }
        }

        return patterns;
    }

    /// <summary>True when this entry, in a Sidecar living in <paramref name="sidecarNamespace"/>, imports the host.</summary>
    public bool Matches(string sidecarNamespace, string hostNamespace, string host)
    {
        var namespaceMatches = Namespace switch
        {
            "*" => true,
            "~" => false,
            "." => string.Equals(hostNamespace, sidecarNamespace, StringComparison.Ordinal),
            _ => string.Equals(hostNamespace, Namespace, StringComparison.Ordinal),
        };
        return namespaceMatches && DnsMatches(DnsName, host);
    }

    internal static bool DnsMatches(string pattern, string host)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            // A wildcard entry imports hosts under the suffix, and an identical wildcard ServiceEntry host.
            return host.EndsWith(pattern.AsSpan(1), StringComparison.OrdinalIgnoreCase)
                || string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => $"{Namespace}/{DnsName}";
}
