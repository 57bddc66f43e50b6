namespace LazyMesh.Reporting;

/// <summary>
/// What one imported object costs: Envoy memory per outbound cluster and per endpoint, and istiod's xDS
/// push bytes per cluster and per endpoint. Every default cites its source with the figure as the source
/// states it (docs/cost-model.md); <c>--cost-model FILE</c> replaces any of them (<see cref="EnvoyCostModelFile"/>).
/// </summary>
public sealed record EnvoyCostModel
{
    /// <summary>
    /// envoyproxy/envoy test/integration/stats_integration_test.cc, <c>MemoryLargeClusterSize</c>: "2021/08/18 13176
    /// 40577 40700 Support slow start mode" (bytes per cluster, exact and upper bound), the last exact golden value;
    /// the current assertion is <c>EXPECT_MEMORY_LE(m_per_cluster, 42000)</c>. A static cluster with stats and no
    /// hosts: Istio's clusters carry TLS and metadata on top, so this is a lower bound.
    /// </summary>
    public const long EnvoyBytesPerCluster = 40577;

    /// <summary>
    /// envoyproxy/envoy test/integration/stats_integration_test.cc, <c>MemoryLargeHostSizeWithStats</c>: "2020/04/02
    /// 10624 1380 1655 Use 100 clusters rather than 1000 to avoid timeouts" (bytes per host), the last exact golden
    /// value; the current assertion is <c>EXPECT_MEMORY_LE(m_per_host, 3000)</c>.
    /// </summary>
    public const long EnvoyBytesPerHost = 1380;

    /// <summary>
    /// istio/istio#39652 (istiod log of one full push to one sidecar): "CDS: PUSH for node:... resources:3186 size:3.5MB".
    /// 3.5 MB / 3186 clusters = 1098 bytes per cluster.
    /// </summary>
    public const long CdsPushBytesPerCluster = 3_500_000 / 3186;

    /// <summary>
    /// The same push: "LDS: PUSH ... resources:551 size:2.8MB" and "RDS: PUSH ... resources:254 size:2.1MB". Listeners
    /// and route virtual hosts grow with the imported services, so their 4.9 MB is spread over the push's 3186
    /// clusters: 1537 bytes per cluster.
    /// </summary>
    public const long ListenerAndRoutePushBytesPerCluster = (2_800_000 + 2_100_000) / 3186;

    /// <summary>
    /// The same push: "EDS: PUSH ... resources:2979 size:755.0kB". The issue does not give the endpoint count, so the
    /// bytes are counted per load assignment (one per cluster with endpoints): 755000 / 2979 = 253 bytes.
    /// </summary>
    public const long EdsPushBytesPerCluster = 755_000 / 2979;

    public static EnvoyCostModel Default { get; } = new();

    /// <summary>Names what the figures were taken from; printed with every total.</summary>
    public string Source { get; init; } =
        "Envoy memory: envoyproxy/envoy stats_integration_test.cc golden values (40577 B/cluster, 1380 B/host); " +
        "xDS push: istio/istio#39652 (CDS 3.5MB/3186 clusters, LDS 2.8MB + RDS 2.1MB, EDS 755.0kB/2979)";

    public long BytesPerCluster { get; init; } = EnvoyBytesPerCluster;

    public long BytesPerEndpoint { get; init; } = EnvoyBytesPerHost;

    /// <summary>xDS bytes a full push sends per imported cluster (CDS + LDS + RDS + EDS).</summary>
    public long PushBytesPerCluster { get; init; } = CdsPushBytesPerCluster + ListenerAndRoutePushBytesPerCluster + EdsPushBytesPerCluster;

    /// <summary>Estimated Envoy memory for the outbound configuration.</summary>
    public long Estimate(long clusters, long endpoints) => (clusters * BytesPerCluster) + (endpoints * BytesPerEndpoint);

    /// <summary>Bytes of one full xDS push to one proxy importing <paramref name="clusters"/> clusters.</summary>
    public long PushBytes(long clusters) => clusters * PushBytesPerCluster;
}
