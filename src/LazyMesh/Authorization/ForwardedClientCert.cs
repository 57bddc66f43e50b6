namespace LazyMesh.Authorization;

/// <summary>
/// Reads the peer identity that the local Istio sidecar put into <c>x-forwarded-client-cert</c> (XFCC).
/// Istio 1.28 configures sidecar inbound HTTP connection managers with <c>forward_client_cert_details:
/// APPEND_FORWARD</c> and <c>set_current_client_cert_details {subject, uri, dns}</c>
/// (pilot/pkg/networking/util/proxy_headers.go <c>GetProxyHeaders</c>, pilot/pkg/networking/core/listener_inbound.go
/// <c>buildSidecarInboundHTTPOpts</c>). Envoy (source/common/http/conn_manager_utility.cc
/// <c>mutateXfccRequestHeader</c>) removes the header on connections without a client certificate, and on mTLS
/// connections appends <c>By=&lt;own URI&gt;;Hash=&lt;sha256&gt;;Subject="...";URI=&lt;peer URI&gt;;DNS=...</c> after a
/// comma. Earlier elements come from the caller and may be forged, so only the last element counts.
/// </summary>
public static class ForwardedClientCert
{
    public const string HeaderName = "x-forwarded-client-cert";

    /// <summary>The <c>URI=</c> value of the last element (the one the local sidecar appended); false when absent.</summary>
    public static bool TryGetPeerUri(ReadOnlySpan<char> header, out string uri)
    {
        uri = string.Empty;
        var last = LastElement(header);
        while (!last.IsEmpty)
        {
            var end = IndexOutsideQuotes(last, ';');
            var pair = end < 0 ? last : last[..end];
            last = end < 0 ? default : last[(end + 1)..];
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var key = pair[..eq].Trim();
            if (!key.Equals("URI", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = pair[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            if (value.IsEmpty)
            {
                return false;
            }

            uri = value.ToString();
            return true;
        }

        return false;
    }

    /// <summary>The peer's SPIFFE identity from the last XFCC element; false when absent or not an Istio identity.</summary>
    public static bool TryGetPeerIdentity(ReadOnlySpan<char> header, out SpiffeId? id)
    {
        id = null;
        return TryGetPeerUri(header, out var uri) && SpiffeId.TryParse(uri, out id);
    }

    private static ReadOnlySpan<char> LastElement(ReadOnlySpan<char> header)
    {
        var inQuotes = false;
        var start = 0;
        for (var i = 0; i < header.Length; i++)
        {
            var c = header[i];
            if (c == '\\' && inQuotes)
            {
                i++;
            }
            else if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == ',' && !inQuotes)
            {
                start = i + 1;
            }
        }

        return header[start..].Trim();
    }

    private static int IndexOutsideQuotes(ReadOnlySpan<char> text, char separator)
    {
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && inQuotes)
            {
                i++;
            }
            else if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == separator && !inQuotes)
            {
                return i;
            }
        }

        return -1;
    }
}
