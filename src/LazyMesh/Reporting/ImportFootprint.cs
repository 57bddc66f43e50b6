namespace LazyMesh.Reporting;

/// <summary>What one sidecar imports: services, outbound clusters, endpoints, HTTP virtual hosts, estimated memory.</summary>
public sealed record ImportFootprint(long Services, long Clusters, long Endpoints, long HttpVirtualHosts, long EstimatedMemoryBytes)
{
    public static ImportFootprint Zero { get; } = new(0, 0, 0, 0, 0);

    public ImportFootprint Add(ImportFootprint other) => new(
        Services + other.Services,
        Clusters + other.Clusters,
        Endpoints + other.Endpoints,
        HttpVirtualHosts + other.HttpVirtualHosts,
        EstimatedMemoryBytes + other.EstimatedMemoryBytes);
}
