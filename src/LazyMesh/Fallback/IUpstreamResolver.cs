namespace LazyMesh.Fallback;

/// <summary>Turns a resolved destination into the address the fallback actually connects to.</summary>
public interface IUpstreamResolver
{
    /// <returns>Host (IP or DNS name) and port to connect to.</returns>
    (string Host, int Port) Resolve(FallbackDestination destination);
}
