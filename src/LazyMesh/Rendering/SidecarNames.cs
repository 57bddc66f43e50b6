using LazyMesh.Mesh;

namespace LazyMesh.Rendering;

/// <summary>The deterministic name of the Sidecar LazyMesh generates for a workload.</summary>
public static class SidecarNames
{
    public const string Prefix = "lazymesh-";

    /// <summary>
    /// Longest name produced. Below Kubernetes' 253 so that <c>&lt;name&gt;.yaml</c> and its temporary sibling
    /// <c>.&lt;name&gt;.yaml.tmp-&lt;random&gt;</c> fit a 255-byte file name in a directory sink.
    /// </summary>
    public const int MaxLength = 200;

    private static readonly string[] KindPrefixes =
        [.. Enum.GetValues<WorkloadKind>().Select(k => KindPart(k) + "-")];

    /// <summary>
    /// <c>lazymesh-&lt;name&gt;</c> for a Deployment, <c>lazymesh-&lt;kind&gt;-&lt;name&gt;</c> for any other kind
    /// (and for a Deployment whose own name starts with a kind and a dash, so that names never collide across
    /// kinds in one namespace). A name that would be longer than <see cref="MaxLength"/>, or a workload name that
    /// is not a DNS-1123 subdomain, is shortened or cleaned and gets a hash of <see cref="Workload.Key"/> appended.
    /// The result is always a valid DNS-1123 subdomain.
    /// </summary>
    public static string For(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var name = workload.Name;
        var explicitKind = workload.Kind != WorkloadKind.Deployment
            || KindPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
        var body = explicitKind ? KindPart(workload.Kind) + "-" + name : name;
        var candidate = Prefix + body;

        if (KubernetesNames.IsDns1123Subdomain(name) && candidate.Length <= MaxLength)
        {
            return candidate;
        }

        var cleaned = Clean(candidate);
        var head = cleaned[..Math.Min(cleaned.Length, MaxLength - KubernetesNames.ShortHashLength - 1)].TrimEnd('-', '.');
        return head + "-" + KubernetesNames.ShortHash(workload.Key);
    }

    private static string KindPart(WorkloadKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Lower case; every run of characters outside <c>[a-z0-9]</c> becomes one dash.</summary>
    private static string Clean(string text)
    {
        var chars = new List<char>(text.Length);
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c))
            {
                chars.Add(c);
            }
            else if (chars.Count > 0 && chars[^1] != '-')
            {
                chars.Add('-');
            }
        }

        return new string([.. chars]).TrimEnd('-');
    }
}
