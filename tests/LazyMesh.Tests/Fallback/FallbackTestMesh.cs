using LazyMesh.Mesh;
using LazyMesh.Tests.Mesh;

namespace LazyMesh.Tests.Fallback;

/// <summary>A small mesh for fallback tests: callers in two namespaces, same-named services in both, a headless service, a ServiceEntry and the fallback itself.</summary>
internal static class FallbackTestMesh
{
    public const string ShopCallerIp = "10.1.0.5";
    public const string OtherCallerIp = "10.1.0.6";
    public const string ShopReviewsIp = "10.96.0.12";
    public const string OtherReviewsIp = "10.96.0.14";
    public const string RatingsIp = "10.96.0.13";
    public const string FallbackIp = "10.96.0.99";

    /// <summary>The <c>x-forwarded-client-cert</c> the fallback's sidecar appends for a caller running as <paramref name="ns"/>/<paramref name="sa"/>.</summary>
    public static string Xfcc(string ns, string sa = "default") =>
        $"By=spiffe://cluster.local/ns/lazymesh-system/sa/lazymesh-fallback;Hash=4f1e;Subject=\"\";URI=spiffe://cluster.local/ns/{ns}/sa/{sa}";

    public static MeshIndex Build(params string[] extra) => MeshYaml.Index([

        MeshYaml.Pod("web-1", ShopCallerIp, ns: "shop", labels: "{app: web}"),
        MeshYaml.Pod("client-1", OtherCallerIp, ns: "other", labels: "{app: client}"),
        MeshYaml.Pod("db-0", "10.1.0.9", ns: "other", labels: "{app: db}"),
        MeshYaml.Service("reviews", ShopReviewsIp, ns: "shop", selector: "{app: reviews}"),
        MeshYaml.Service("reviews", OtherReviewsIp, ns: "other", selector: "{app: reviews}"),
        MeshYaml.Service("ratings", RatingsIp, ns: "other", ports: "[{name: http, port: 9080, targetPort: 9080}, {name: grpc, port: 7070, targetPort: 7070}]", selector: "{app: ratings}"),
        MeshYaml.Service("db", "None", ns: "other", ports: "[{name: tcp-pg, port: 5432, targetPort: 5432}, {name: http-admin, port: 8081, targetPort: 8081}]", selector: "{app: db}"),
        MeshYaml.Service("lazymesh-fallback", FallbackIp, ns: "lazymesh-system", ports: "[{name: lazymesh-9080, port: 9080, targetPort: 8080}]", selector: "{app: lazymesh-fallback}"),
        MeshYaml.ServiceEntry("api", "[api.example.com]", ns: "shop", ports: "[{number: 80, name: http, protocol: HTTP}]"),
        .. extra]);
}
