using System.Net;
using LazyMesh.Authorization;
using LazyMesh.Mesh;

namespace LazyMesh.Fallback;

/// <summary>Who called the fallback, as far as it can be trusted. Pure.</summary>
/// <param name="Trust">Whether <see cref="ReportAddress"/> may be learned from.</param>
/// <param name="PeerUri">The verified certificate URI (<c>spiffe://...</c>), the caller's <c>source.principal</c>; null without mTLS.</param>
/// <param name="Identity">The parsed Istio identity of <see cref="PeerUri"/>.</param>
/// <param name="SourceIp">The caller's IP when consistent with its identity (or trusted by configuration); null otherwise.</param>
/// <param name="ReportAddress">The IP to report to the controller; null when the call must not be learned.</param>
public readonly record struct FallbackCaller(FallbackCallerTrust Trust, string? PeerUri, SpiffeId? Identity, IPAddress? SourceIp, string? ReportAddress)
{
    public bool Learnable => ReportAddress is not null;

    /// <summary>
    /// Verifies the claimed source (<c>x-lazymesh-source-ip</c>, else the connection's remote address) against the
    /// certificate identity in <paramref name="forwardedClientCert"/>.
    /// </summary>
    public static FallbackCaller Resolve(MeshIndex index, in FallbackRequest request, string? forwardedClientCert, FallbackCallerIdentity mode)
    {
        ArgumentNullException.ThrowIfNull(index);
        string? uri = null;
        SpiffeId? identity = null;
        if (forwardedClientCert is not null && ForwardedClientCert.TryGetPeerUri(forwardedClientCert, out var peerUri))
        {
            uri = peerUri;
            SpiffeId.TryParse(peerUri, out identity);
        }

        var claimed = ClaimedSource(request);
        if (mode == FallbackCallerIdentity.SourceHeader)
        {
            return new FallbackCaller(FallbackCallerTrust.TrustedHeader, uri, identity, claimed, FallbackDestinationResolver.CallerAddress(request));
        }

        if (identity is null)
        {
            return new FallbackCaller(FallbackCallerTrust.NoIdentity, uri, null, null, null);
        }

        if (claimed is null || index.FindPod(IpKey.From(claimed), out var pod) != PodIpMatch.Pod)
        {
            return new FallbackCaller(FallbackCallerTrust.UnknownSource, uri, identity, null, null);
        }

        if (!string.Equals(pod!.Namespace, identity.Namespace, StringComparison.Ordinal)
            || !string.Equals(pod.ServiceAccount, identity.ServiceAccount, StringComparison.Ordinal))
        {
            return new FallbackCaller(FallbackCallerTrust.SourceMismatch, uri, identity, null, null);
        }

        return new FallbackCaller(FallbackCallerTrust.Verified, uri, identity, claimed, claimed.ToString());
    }

    private static IPAddress? ClaimedSource(in FallbackRequest request)
    {
        if (!string.IsNullOrEmpty(request.SourceAddress))
        {
            return IpKey.TryParseEndpoint(request.SourceAddress, out var ip, out _) ? ip.ToIPAddress() : null;
        }

        if (request.RemoteAddress is { } remote)
        {
            return remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        }

        return null;
    }
}
