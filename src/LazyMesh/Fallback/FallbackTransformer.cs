using LazyMesh.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace LazyMesh.Fallback;

/// <summary>
/// YARP's default request copy (headers, body, trailers, upgrades; hop-by-hop headers dropped), then Host set to the
/// destination's and the loop marker added. LazyMesh's own headers are removed from the incoming request beforehand.
/// </summary>
internal sealed class FallbackTransformer(string hostHeader) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Host = hostHeader;
        proxyRequest.Headers.TryAddWithoutValidation(FallbackHeaderNames.Hop, "1");
    }
}
