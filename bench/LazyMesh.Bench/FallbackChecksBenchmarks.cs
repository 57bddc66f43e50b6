using System.Net;
using BenchmarkDotNet.Attributes;
using LazyMesh.Authorization;
using LazyMesh.BenchShared;
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
    private MeshIndex _index = null!;
    private AuthorizationIndex _authorization = null!;
    private MeshService _echo = null!;
    private FallbackRequest _request;
    private FallbackCaller _caller;
    private HeaderDictionary _headers = null!;

    [GlobalSetup]
    public void Setup()
    {
        _index = MeshIndexBuilder.Build(InventoryLoader.LoadText(FallbackBenchMesh.Inventory("10.96.0.10", 8080)), MeshOptions.Default);
        _authorization = AuthorizationIndex.Build(_index);
        _echo = _index.Services.Single(s => s.Name == "echo");
        _request = new FallbackRequest("echo.bench:8080", null, FallbackBenchMesh.CallerIp, "bench", IPAddress.Loopback);
        _caller = ResolveCaller();
        _headers = new HeaderDictionary { ["user-agent"] = "bench", ["x-forwarded-client-cert"] = FallbackBenchMesh.Xfcc };
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
    public FallbackCaller ResolveCaller() => FallbackCaller.Resolve(_index, _request, FallbackBenchMesh.Xfcc, FallbackCallerIdentity.ClientCertificate);

    /// <summary>The destination's AuthorizationPolicies (mesh-wide DENY, namespace DENY, workload ALLOW) for that caller.</summary>
    [Benchmark]
    public AuthorizationDecision Authorize() =>
        _authorization.Check(_echo, new AuthorizationRequest(_caller.PeerUri, _caller.SourceIp, "echo.bench:8080", "GET", "/", 8080, _headers));
}
