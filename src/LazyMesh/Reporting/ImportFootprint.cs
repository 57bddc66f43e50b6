namespace LazyMesh.Reporting;

/// <summary>
/// What one sidecar imports: services, outbound clusters, endpoints, HTTP virtual hosts, estimated memory, and
/// the bytes of one full xDS push of that configuration.
/// </summary>
public sealed record ImportFootprint(long Services, long Clusters, long Endpoints, long HttpVirtualHosts, long EstimatedMemoryBytes, long PushBytes = 0)
{
    public static ImportFootprint Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public ImportFootprint Add(ImportFootprint other) => new(
        Services + other.Services,
        Clusters + other.Clusters,
        Endpoints + other.Endpoints,
        HttpVirtualHosts + other.HttpVirtualHosts,
        EstimatedMemoryBytes + other.EstimatedMemoryBytes,
        PushBytes + other.PushBytes);

    /// <summary>The footprint of <paramref name="proxies"/> identical proxies (a workload's replicas).</summary>
    public ImportFootprint Times(long proxies) => new(
        Services * proxies,
        Clusters * proxies,
        Endpoints * proxies,
        HttpVirtualHosts * proxies,
        EstimatedMemoryBytes * proxies,
        PushBytes * proxies);
}
