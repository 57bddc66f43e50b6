namespace LazyMesh.Authorization;

/// <summary>
/// An Istio workload identity, <c>spiffe://&lt;trust domain&gt;/ns/&lt;namespace&gt;/sa/&lt;service account&gt;</c>
/// (istio/istio pkg/spiffe/spiffe.go, <c>Identity</c>). <see cref="Uri"/> is what Envoy's RBAC matches
/// <c>principals</c> against (with the <c>spiffe://</c> prefix, pilot/pkg/security/authz/model/generator.go
/// <c>srcPrincipalGenerator</c>).
/// </summary>
public sealed record SpiffeId(string TrustDomain, string Namespace, string ServiceAccount)
{
    public const string Scheme = "spiffe://";

    public string Uri => $"{Scheme}{TrustDomain}/ns/{Namespace}/sa/{ServiceAccount}";

    /// <summary><c>&lt;trust domain&gt;/ns/&lt;namespace&gt;/sa/&lt;service account&gt;</c>, Istio's <c>source.principal</c>.</summary>
    public string Principal => $"{TrustDomain}/ns/{Namespace}/sa/{ServiceAccount}";

    /// <summary>Parses <c>spiffe://td/ns/NS/sa/SA</c> exactly (pkg/spiffe ParseIdentity: four path segments, ns and sa keys).</summary>
    public static bool TryParse(ReadOnlySpan<char> uri, out SpiffeId? id)
    {
        id = null;
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = uri[Scheme.Length..];
        Span<Range> parts = stackalloc Range[6];
        if (rest.Split(parts, '/') != 5)
        {
            return false;
        }

        var td = rest[parts[0]];
        var ns = rest[parts[2]];
        var sa = rest[parts[4]];
        if (td.IsEmpty || ns.IsEmpty || sa.IsEmpty || !rest[parts[1]].SequenceEqual("ns") || !rest[parts[3]].SequenceEqual("sa"))
        {
            return false;
        }

        id = new SpiffeId(td.ToString(), ns.ToString(), sa.ToString());
        return true;
    }

    public override string ToString() => Uri;
}
