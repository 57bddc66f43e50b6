using LazyMesh.Rendering;

namespace LazyMesh.Routing;

/// <summary>Makes every generated Sidecar import the fallback's host, so the EnvoyFilter's cluster exists in each lazy sidecar.</summary>
public static class FallbackSidecarHosts
{
    /// <summary><paramref name="render"/> with <see cref="FallbackRoutingOptions.SidecarHost"/> added to its baseline hosts (once) and the fallback's namespace set.</summary>
    public static RenderOptions WithFallback(RenderOptions render, FallbackRoutingOptions fallback)
    {
        ArgumentNullException.ThrowIfNull(render);
        ArgumentNullException.ThrowIfNull(fallback);
        var host = fallback.SidecarHost;
        var withHost = render.BaselineHosts.Contains(host, StringComparer.Ordinal)
            ? render
            : render with { BaselineHosts = [.. render.BaselineHosts, host] };
        return withHost.FallbackNamespace == fallback.Namespace ? withHost : withHost with { FallbackNamespace = fallback.Namespace };
    }
}
