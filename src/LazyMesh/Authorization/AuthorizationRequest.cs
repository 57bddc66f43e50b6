using System.Net;
using Microsoft.AspNetCore.Http;

namespace LazyMesh.Authorization;

/// <summary>What the destination's RBAC filter would see of one request, as far as the fallback knows it.</summary>
/// <param name="PeerUri">The caller's verified certificate URI (<c>spiffe://...</c>); null when the caller is not authenticated.</param>
/// <param name="SourceIp">The caller's IP when verified (<c>source.ip</c>, <c>remote.ip</c>); null when unknown.</param>
/// <param name="Host">The <c>:authority</c> as the caller sent it.</param>
/// <param name="Method">The <c>:method</c>.</param>
/// <param name="Path">The path without the query string (Envoy's path matcher ignores the query).</param>
/// <param name="DestinationPort">The workload port the call arrives on (<c>destination.port</c>).</param>
/// <param name="Headers">Request headers (Envoy joins repeated values with a comma).</param>
public readonly record struct AuthorizationRequest(
    string? PeerUri,
    IPAddress? SourceIp,
    string Host,
    string Method,
    string Path,
    int DestinationPort,
    IHeaderDictionary? Headers)
{
    /// <summary>A header's value, repeated values joined by commas; null when absent.</summary>
    public string? Header(string name)
    {
        if (Headers is null || !Headers.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        return values.Count == 1 ? values[0] : string.Join(',', values.ToArray());
    }
}
