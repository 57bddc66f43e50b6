using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Demo;

/// <summary>`lazymesh demo` as a user runs it: real servers on 127.0.0.x, fallback, controller, ALS.</summary>
public sealed class DemoProcessTests
{
    [Fact]
    public async Task The_demo_learns_every_bookinfo_dependency_and_ends_with_direct_calls()
    {
        await using var demo = LazyMeshProcess.Start("demo", "--extra-services", "50");
        Assert.Equal(0, await demo.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        var output = demo.Output;

        // Each dependency was first served by the fallback, then learned, then called directly.
        foreach (var (caller, callee) in new[] { ("productpage-v1", "details"), ("productpage-v1", "reviews"), ("reviews-v2", "ratings"), ("reviews-v3", "ratings") })
        {
            var viaFallback = output.IndexOf($"{caller} -> {callee}: not in its Sidecar yet, served by the fallback (200", StringComparison.Ordinal);
            var learned = output.IndexOf($"learned bookinfo/Deployment/{caller} -> bookinfo/{callee}.bookinfo.svc.cluster.local", StringComparison.Ordinal);
            var direct = output.IndexOf($"{caller} -> {callee}: now direct (200", StringComparison.Ordinal);
            Assert.True(viaFallback >= 0 && learned > viaFallback && direct > learned, $"{caller} -> {callee} out of order:\n{output}");
        }

        // Nobody learned what they never called.
        Assert.DoesNotContain("learned bookinfo/Deployment/reviews-v1", output);
        Assert.DoesNotContain("learned bookinfo/Deployment/details-v1", output);
        Assert.Contains("done: 4 dependencies learned", output);
        Assert.Contains(", 0 failed,", output);
    }
}
