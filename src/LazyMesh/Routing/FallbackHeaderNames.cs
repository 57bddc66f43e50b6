namespace LazyMesh.Routing;

/// <summary>The request headers lazy sidecars add for the fallback, and the fallback's own loop marker.</summary>
public static class FallbackHeaderNames
{
    /// <summary>Every LazyMesh header starts with this; the fallback strips them all before forwarding.</summary>
    public const string Prefix = "x-lazymesh-";

    /// <summary>The original destination IP:port (<c>%DOWNSTREAM_LOCAL_ADDRESS%</c> on the caller's sidecar).</summary>
    public const string OriginalDestination = "x-lazymesh-original-dst";

    /// <summary>The calling application's IP, the direct peer (<c>%DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT%</c>).</summary>
    public const string SourceAddress = "x-lazymesh-source-ip";

    /// <summary>The caller's namespace (static in the per-namespace EnvoyFilter).</summary>
    public const string SourceNamespace = "x-lazymesh-source-namespace";

    /// <summary>Added by the fallback to every forwarded request; a request that carries it has looped.</summary>
    public const string Hop = "x-lazymesh-hop";
}
