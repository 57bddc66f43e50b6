using System.Net;
using BenchmarkDotNet.Attributes;
using LazyMesh.Authorization;
using LazyMesh.Fallback;
using LazyMesh.Inventory;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using Microsoft.AspNetCore.Http;

namespace LazyMesh.Bench;

/// <summary>
/// Issue 11: what the fallback's identity and authorization checks cost per call, measured in-process so that the
/// machine's other load (which dominates the end-to-end tail in bench/LazyMesh.Load) cancels out. Baseline: resolving
/// the destination, which the fallback did before the checks existed. Same mesh and policies as bench/LazyMesh.Load.
/// </summary>
[MemoryDiagnoser]
public class FallbackChecksBenchmarks
{
    private const string Xfcc = "By=spiffe://cluster.local/ns/lazymesh-system/sa/lazymesh-fallback;Hash=0f;Subject=\"\";URI=spiffe://cluster.local/ns/bench/sa/client";

    private MeshIndex _index = null!;
    private AuthorizationIndex _authorization = null!;
    private MeshService _echo = null!;
    private FallbackRequest _request;
    private FallbackCaller _caller;
    private HeaderDictionary _headers = null!;

    [GlobalSetup]
    public void Setup()
    {
        const string inventory = """
            apiVersion: v1
            kind: Service
            metadata: {name: echo, namespace: bench}
            spec: {clusterIP: "10.96.0.10", ports: [{name: http, port: 8080, targetPort: 8080}], selector: {app: echo}}
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
            status: {phase: Running, podIP: 10.9.0.5}
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
        _index = MeshIndexBuilder.Build(InventoryLoader.LoadText(inventory), MeshOptions.Default);
        _authorization = AuthorizationIndex.Build(_index);
        _echo = _index.Services.Single(s => s.Name == "echo");
        _request = new FallbackRequest("echo.bench:8080", null, "10.9.0.5", "bench", IPAddress.Loopback);
        _caller = ResolveCaller();
        _headers = new HeaderDictionary { ["user-agent"] = "bench", ["x-forwarded-client-cert"] = Xfcc };
        if (!Authorize().Allowed || _caller.Identity is null || ResolveDestination().Destination is null)
        {
            throw new InvalidOperationException("the benchmark's call must be verified and allowed");
        }
    }

    /// <summary>What every call paid before issue 11: finding the destination.</summary>
    [Benchmark(Baseline = true)]
    public FallbackResolution ResolveDestination() => FallbackDestinationResolver.Resolve(_index, _request, FallbackRoutingOptions.Default);

    /// <summary>The identity check: the last XFCC element's URI, its SPIFFE id, the pod at the claimed source IP.</summary>
    [Benchmark]
    public FallbackCaller ResolveCaller() => FallbackCaller.Resolve(_index, _request, Xfcc, FallbackCallerIdentity.ClientCertificate);

    /// <summary>The destination's AuthorizationPolicies (mesh-wide DENY, namespace DENY, workload ALLOW) for that caller.</summary>
    [Benchmark]
    public AuthorizationDecision Authorize() =>
        _authorization.Check(_echo, new AuthorizationRequest(_caller.PeerUri, _caller.SourceIp, "echo.bench:8080", "GET", "/", 8080, _headers));
}
