using LazyMesh.Authorization;
using LazyMesh.Mesh;
using LazyMesh.Routing;

namespace LazyMesh.Als;

/// <summary>Who is at the other end of one ALS stream, and so whose entries it may report. Decided once per stream.</summary>
/// <param name="Kind">Unknown peers report for nobody.</param>
/// <param name="Pod">With <see cref="AlsPeerVerification.PodAddress"/>, the peer's pod.</param>
/// <param name="Identity">With <see cref="AlsPeerVerification.ClientCertificate"/>, the peer's verified identity.</param>
public sealed record AlsPeer(AlsPeerKind Kind, PodInfo? Pod, SpiffeId? Identity)
{
    public static AlsPeer Unknown { get; } = new(AlsPeerKind.Unknown, null, null);

    /// <summary>Classifies a stream's peer: its address (PodAddress) or its forwarded client certificate (ClientCertificate).</summary>
    public static AlsPeer Classify(MeshIndex mesh, AlsPeerVerification verification, FallbackRoutingOptions fallback, System.Net.IPAddress? address, string? forwardedClientCert)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(fallback);
        switch (verification)
        {
            case AlsPeerVerification.PodAddress:
                if (address is null || mesh.FindPod(IpKey.From(address), out var pod) != PodIpMatch.Pod)
                {
                    return Unknown;
                }

                return new AlsPeer(IsFallbackPod(mesh, fallback, pod!) ? AlsPeerKind.Fallback : AlsPeerKind.Pod, pod, null);
            case AlsPeerVerification.ClientCertificate:
                if (forwardedClientCert is null || !ForwardedClientCert.TryGetPeerIdentity(forwardedClientCert, out var identity))
                {
                    return Unknown;
                }

                var isFallback = FallbackPods(mesh, fallback).Any(p => p.Namespace == identity!.Namespace && p.ServiceAccount == identity.ServiceAccount);
                return new AlsPeer(isFallback ? AlsPeerKind.Fallback : AlsPeerKind.Pod, null, identity);
            default:
                return new AlsPeer(AlsPeerKind.Fallback, null, null);
        }
    }

    /// <summary>Whether this peer may report an entry attributed to the pod at <paramref name="source"/>.</summary>
    public bool MayReportFor(MeshIndex mesh, IpKey source, bool viaFallback)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        switch (Kind)
        {
            case AlsPeerKind.Fallback:
                return true;
            case AlsPeerKind.Pod when !viaFallback:
                if (Pod is not null)
                {
                    foreach (var ip in Pod.Ips)
                    {
                        if (ip == source)
                        {
                            return true;
                        }
                    }

                    return false;
                }

                return Identity is not null && mesh.FindPod(source, out var pod) == PodIpMatch.Pod
                    && pod!.Namespace == Identity.Namespace && pod.ServiceAccount == Identity.ServiceAccount;
            default:
                return false;
        }
    }

    public override string ToString() => Kind switch
    {
        AlsPeerKind.Unknown => "unknown peer",
        _ => $"{Kind.ToString().ToLowerInvariant()} {(object?)Pod ?? Identity}",
    };

    private static bool IsFallbackPod(MeshIndex mesh, FallbackRoutingOptions fallback, PodInfo pod) =>
        FallbackPods(mesh, fallback).Contains(pod);

    /// <summary>The pods the fallback's own Service selects.</summary>
    private static IEnumerable<PodInfo> FallbackPods(MeshIndex mesh, FallbackRoutingOptions fallback)
    {
        var service = mesh.Services.FirstOrDefault(s => s.Kind == MeshServiceKind.Service
            && s.Namespace == fallback.Namespace && s.Name == fallback.ServiceName);
        if (service?.Selector is not { Count: > 0 } selector)
        {
            return [];
        }

        return mesh.Pods.Where(p => p.Namespace == fallback.Namespace && Labels.Matches(selector, p.Labels));
    }
}

public enum AlsPeerKind
{
    Unknown,
    Pod,
    Fallback,
}
