using LazyMesh.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace LazyMesh.Fallback;

/// <summary>
/// YARP's default request copy (headers, body, trailers, upgrades; hop-by-hop headers dropped), then Host set to the
/// destination's and the loop marker added. LazyMesh's own headers are removed from the incoming request beforehand.
/// Calls <paramref name="onResponse"/> with the upstream status as soon as its headers arrive, before the body is
/// relayed, so a call is reported by the time its caller has the response.
/// </summary>
internal sealed class FallbackTransformer(string hostHeader, Action<int>? onResponse) : HttpTransformer
{
    /// <summary>Whether an upstream response arrived (and <c>onResponse</c> ran).</summary>
    public bool Responded { get; private set; }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Host = hostHeader;
        proxyRequest.Headers.TryAddWithoutValidation(FallbackHeaderNames.Hop, "1");
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (proxyResponse is not null && !Responded)
        {
            Responded = true;
            onResponse?.Invoke((int)proxyResponse.StatusCode);
        }

        return proceed;
    }
}
