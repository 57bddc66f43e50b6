using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Examples;

/// <summary>
/// Every example, through LazyMesh's real <c>recommend --fallback-routing</c>, judged by istiosim's check_lazy.py
/// (istio/istio 1.28's sidecar outbound config generation): before learning every HTTP/gRPC call reaches the fallback
/// with its original destination, after learning every call ends on the full mesh's cluster with mTLS, and the
/// fallback's own sidecar forwards it there.
/// </summary>
public sealed class CheckLazyExamplesTests
{
    [Theory]
    [InlineData("bookinfo", 5)]
    [InlineData("boutique", 16)]
    [InlineData("edge", 7)]
    [InlineData("scope", 7)]
    public void Example_has_no_broken_call(string name, int calls)
    {
        using var example = LazyExample.Generate(name);
        var result = example.Check();

        Assert.True(result.Broken == 0, result.ToString());
        Assert.Equal(calls, result.Calls);
        Assert.Equal(0, result.ExitCode);
    }

    /// <summary>
    /// The harness sees what istio/istio 1.28 does with an auto-detected fallback port (the previous design): Istio binds
    /// it to the fallback's own VIP with route configuration "fqdn:port" and no allow_any (listener.go
    /// buildSidecarOutboundHTTPListenerOpts, httproute.go useSniffing), so a first call leaves through PassthroughCluster.
    /// </summary>
    [Fact]
    public void Sniffed_fallback_ports_break_first_calls()
    {
        using var example = LazyExample.Generate("bookinfo");
        var service = Path.Combine(example.Output, "lazymesh-system", "lazymesh-fallback.service.yaml");
        var yaml = File.ReadAllText(service);
        Assert.Contains("name: http-9080", yaml, StringComparison.Ordinal);
        File.WriteAllText(service, System.Text.RegularExpressions.Regex.Replace(yaml.Replace("name: http-", "name: lazymesh-", StringComparison.Ordinal), @"appProtocol: http\n\s+", string.Empty));

        var result = example.Check();

        Assert.Equal(4, result.Broken);
        Assert.Contains("PassthroughCluster", result.Output, StringComparison.Ordinal);
    }
}
