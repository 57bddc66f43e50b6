using System.Net;

namespace LazyMesh.Als;

/// <summary>Parses Istio proxy node ids: <c>sidecar~&lt;podIP&gt;~&lt;pod&gt;.&lt;ns&gt;~&lt;ns&gt;.svc.cluster.local</c>, <c>router~...</c> for gateways.</summary>
public static class IstioNodeId
{
    /// <summary>The pod IP of a sidecar's node id; false for gateways, other proxies and malformed ids.</summary>
    public static bool TryGetSidecarPodAddress(ReadOnlySpan<char> nodeId, out ReadOnlySpan<char> podAddress)
    {
        podAddress = default;
        const string prefix = "sidecar~";
        if (!nodeId.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = nodeId[prefix.Length..];
        var end = rest.IndexOf('~');
        if (end <= 0)
        {
            return false;
        }

        var ip = rest[..end];
        if (!IPAddress.TryParse(ip, out _))
        {
            return false;
        }

        podAddress = ip;
        return true;
    }

    /// <summary>
    /// A gateway's node id (<c>router~&lt;podIP&gt;~...</c>): Istio names a proxy's type first in its node id, <c>router</c> for
    /// gateways (istio/istio 1.28.0 pkg/model/proxy.go NodeType: <c>SidecarProxy = "sidecar"</c>, <c>Router = "router"</c>).
    /// </summary>
    public static bool IsGateway(ReadOnlySpan<char> nodeId) => nodeId.StartsWith("router~", StringComparison.Ordinal);
}
