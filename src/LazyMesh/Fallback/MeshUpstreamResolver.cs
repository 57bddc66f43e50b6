namespace LazyMesh.Fallback;

/// <summary>The default: connect to the destination's own address (ClusterIP:port, pod IP, or DNS name), which the fallback's sidecar intercepts.</summary>
public sealed class MeshUpstreamResolver : IUpstreamResolver
{
    public static MeshUpstreamResolver Instance { get; } = new();

    public (string Host, int Port) Resolve(FallbackDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return (destination.UpstreamHost, destination.UpstreamPort);
    }
}
