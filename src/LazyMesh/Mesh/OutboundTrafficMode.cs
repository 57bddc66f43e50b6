namespace LazyMesh.Mesh;

/// <summary>MeshConfig / Sidecar <c>outboundTrafficPolicy.mode</c>.</summary>
public enum OutboundTrafficMode
{
    /// <summary><c>ALLOW_ANY</c>: unknown calls go to <c>PassthroughCluster</c>; the catch-all virtual host is <c>allow_any</c>.</summary>
    AllowAny,

    /// <summary><c>REGISTRY_ONLY</c>: unknown calls go to <c>BlackHoleCluster</c>; the catch-all virtual host is <c>block_all</c> (502).</summary>
    RegistryOnly,
}
