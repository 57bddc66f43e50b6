using System.Net;

namespace LazyMesh.Demo;

/// <summary>
/// The Bookinfo-shaped application the demo runs: which workloads exist, where their pods listen
/// (127.0.0.x), which Service fronts them (a ClusterIP in 127.0.1.x that nothing listens on, as in a
/// cluster), and who calls whom.
/// </summary>
public sealed class DemoTopology
{
    public const string Namespace = "bookinfo";
    public const int ServicePort = 9080;

    public DemoTopology(int podPort)
    {
        PodPort = podPort;
        Services =
        [
            new DemoService("productpage", IPAddress.Parse("127.0.1.11")),
            new DemoService("details", IPAddress.Parse("127.0.1.12")),
            new DemoService("reviews", IPAddress.Parse("127.0.1.13")),
            new DemoService("ratings", IPAddress.Parse("127.0.1.14")),
        ];
        Pods =
        [
            new DemoPod("productpage-v1", "productpage", "v1", IPAddress.Parse("127.0.0.11"), ["details", "reviews"]),
            new DemoPod("details-v1", "details", "v1", IPAddress.Parse("127.0.0.12"), []),
            new DemoPod("reviews-v1", "reviews", "v1", IPAddress.Parse("127.0.0.13"), []),
            new DemoPod("reviews-v2", "reviews", "v2", IPAddress.Parse("127.0.0.14"), ["ratings"]),
            new DemoPod("reviews-v3", "reviews", "v3", IPAddress.Parse("127.0.0.15"), ["ratings"]),
            new DemoPod("ratings-v1", "ratings", "v1", IPAddress.Parse("127.0.0.16"), []),
        ];
    }

    /// <summary>The port every pod listens on (the Services' targetPort).</summary>
    public int PodPort { get; }

    public IReadOnlyList<DemoService> Services { get; }

    public IReadOnlyList<DemoPod> Pods { get; }

    public DemoService Service(string app) => Services.Single(s => s.App == app);

    public IReadOnlyList<DemoPod> PodsOf(string app) => [.. Pods.Where(p => p.App == app)];

    /// <summary>The dependencies the demo must learn: <c>workload -> ns/fqdn</c>.</summary>
    public IReadOnlyList<(string WorkloadKey, string Host)> ExpectedEdges(string clusterDomain = "cluster.local") =>
        [.. Pods.SelectMany(p => p.Calls.Select(app => ($"{Namespace}/Deployment/{p.Workload}", $"{Namespace}/{app}.{Namespace}.svc.{clusterDomain}")))];
}
