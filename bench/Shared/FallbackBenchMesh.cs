namespace LazyMesh.BenchShared;

/// <summary>
/// The mesh the fallback benchmarks run against (bench/LazyMesh.Load end to end, LazyMesh.Bench's
/// FallbackChecksBenchmarks in-process): Service bench/echo and its pod, the calling pod 10.9.0.5 running as
/// bench/client, and echo's policies (a mesh-wide DENY on /admin, a namespace DENY for another namespace, and an ALLOW
/// for bench/client on GET), which the fallback evaluates for every call.
/// </summary>
internal static class FallbackBenchMesh
{
    /// <summary>The caller's sidecar-verified certificate, as the fallback's sidecar forwards it.</summary>
    public const string Xfcc = "By=spiffe://cluster.local/ns/lazymesh-system/sa/lazymesh-fallback;Hash=0f;Subject=\"\";URI=spiffe://cluster.local/ns/bench/sa/client";

    public const string CallerIp = "10.9.0.5";

    public static string Inventory(string clusterIp, int port) => $$$"""
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: bench}
        spec: {clusterIP: "{{{clusterIp}}}", ports: [{name: http, port: {{{port}}}, targetPort: {{{port}}}}], selector: {app: echo}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: echo-1, namespace: bench, labels: {app: echo}}
        spec: {serviceAccountName: echo}
        status: {phase: Running, podIP: 10.9.0.9}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client-1, namespace: bench, labels: {app: client}}
        spec: {serviceAccountName: client}
        status: {phase: Running, podIP: {{{CallerIp}}}}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-admin, namespace: istio-system}
        spec: {action: DENY, rules: [{to: [{operation: {paths: ["/admin*"]}}]}]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-other, namespace: bench}
        spec: {action: DENY, rules: [{from: [{source: {namespaces: ["other"]}}]}]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: echo-allow, namespace: bench}
        spec:
          selector: {matchLabels: {app: echo}}
          rules: [{from: [{source: {principals: ["cluster.local/ns/bench/sa/client"]}}], to: [{operation: {methods: ["GET"], paths: ["/*"]}}]}]
        """;
}
