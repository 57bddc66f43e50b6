using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LazyMesh.Fallback;

/// <summary>
/// RFC 9110 7.6.1: a proxy must remove the header fields that the <c>Connection</c> header names before forwarding.
/// YARP removes a fixed list of hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding, Upgrade, Proxy-*,
/// TE, ...: Yarp.ReverseProxy RequestUtilities <c>_headersToExclude</c>) but not the ones a request nominates; this does.
/// Framing and upgrade fields stay (YARP and Kestrel own them), as does Host (replaced anyway).
/// </summary>
public static class HopByHopHeaders
{
    public static void RemoveNominated(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var connection = headers.Connection;
        if (StringValues.IsNullOrEmpty(connection))
        {
            return;
        }

        foreach (var value in connection)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IsKept(token))
                {
                    headers.Remove(token);
                }
            }
        }
    }

    private static bool IsKept(string token) =>
        token.Equals("close", StringComparison.OrdinalIgnoreCase)
        || token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || token.Equals("upgrade", StringComparison.OrdinalIgnoreCase)
        || token.Equals("host", StringComparison.OrdinalIgnoreCase)
        || token.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || token.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || token.StartsWith(':');
}
