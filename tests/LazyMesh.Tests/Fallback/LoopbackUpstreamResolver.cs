using LazyMesh.Fallback;

namespace LazyMesh.Tests.Fallback;

/// <summary>Maps a destination's upstream address (e.g. a ClusterIP) to a local test server; others pass through unchanged.</summary>
internal sealed class LoopbackUpstreamResolver(Dictionary<string, int> ports) : IUpstreamResolver
{
    public (string Host, int Port) Resolve(FallbackDestination destination) =>
        ports.TryGetValue(destination.UpstreamHost, out var port) ? ("127.0.0.1", port) : (destination.UpstreamHost, destination.UpstreamPort);
}
