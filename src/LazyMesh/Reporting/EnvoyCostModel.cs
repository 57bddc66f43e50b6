namespace LazyMesh.Reporting;

/// <summary>
/// Per-object Envoy memory costs used for the estimate. Defaults from Envoy's own memory tests
/// (envoyproxy/envoy#15231): about 40-44 KB per cluster (42 KB used) and about 1.4 KB per endpoint.
/// </summary>
public sealed record EnvoyCostModel(long BytesPerCluster, long BytesPerEndpoint)
{
    public static EnvoyCostModel Default { get; } = new(42 * 1024, 1434);

    public long Estimate(long clusters, long endpoints) => (clusters * BytesPerCluster) + (endpoints * BytesPerEndpoint);
}
