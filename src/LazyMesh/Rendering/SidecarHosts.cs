namespace LazyMesh.Rendering;

/// <summary>
/// Validation of <c>Sidecar.spec.egress[].hosts</c> entries, following istiod's own rules
/// (<c>ValidateNamespaceSlashWildcardHostname</c> for sidecars).
/// </summary>
public static class SidecarHosts
{
    /// <summary>Longest DNS name istiod accepts.</summary>
    public const int MaxDnsNameLength = 255;

    /// <summary>
    /// Why <paramref name="host"/> is not a valid egress host, or null when it is. Valid: <c>namespace/dnsName</c>
    /// where namespace is <c>*</c>, <c>.</c>, <c>~</c> or a DNS-1123 label, and dnsName is <c>*</c>, an FQDN
    /// (at least two labels, optional trailing dot, top-level label not all digits), or <c>*.</c> followed by one.
    /// </summary>
    public static string? Validate(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return "host is empty";
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return "host must be of the form namespace/dnsName";
        }

        var ns = host[..slash];
        var dnsName = host[(slash + 1)..];
        if (ns.Length == 0 || dnsName.Length == 0)
        {
            return "namespace and dnsName must not be empty";
        }

        if (ns is not ("*" or "." or "~") && !KubernetesNames.IsDns1123Label(ns))
        {
            return $"namespace \"{ns}\" is not *, ., ~ or a DNS-1123 label";
        }

        return ValidateDnsName(dnsName);
    }

    public static bool IsValid(string? host) => Validate(host) is null;

    private static string? ValidateDnsName(string dnsName)
    {
        if (dnsName == "*")
        {
            return null;
        }

        if (dnsName.Length > MaxDnsNameLength)
        {
            return $"dnsName is longer than {MaxDnsNameLength} characters";
        }

        if (!dnsName.Contains('.', StringComparison.Ordinal))
        {
            return $"dnsName \"{dnsName}\" is a short name; an FQDN or * is required";
        }

        var labels = dnsName.Split('.');
        var count = labels[^1].Length == 0 ? labels.Length - 1 : labels.Length;
        if (count < 2)
        {
            return $"dnsName \"{dnsName}\" is a short name; an FQDN or * is required";
        }

        for (var i = 0; i < count; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*")
            {
                continue;
            }

            if (!IsHostLabel(label))
            {
                return label.Contains('*', StringComparison.Ordinal)
                    ? $"dnsName \"{dnsName}\" has a wildcard other than a whole left-most label"
                    : $"dnsName \"{dnsName}\" has an invalid label \"{label}\"";
            }
        }

        if (labels[count - 1].All(char.IsAsciiDigit))
        {
            return $"dnsName \"{dnsName}\" has an all-numeric top-level label";
        }

        return null;
    }

    /// <summary>DNS-1123 label, either case (istiod compares host names case-insensitively).</summary>
    private static bool IsHostLabel(string label) =>
        label.Length is > 0 and <= KubernetesNames.MaxLabelLength
        && char.IsAsciiLetterOrDigit(label[0])
        && char.IsAsciiLetterOrDigit(label[^1])
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
