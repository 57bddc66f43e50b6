using BenchmarkDotNet.Attributes;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Bench;

/// <summary>What the controller spends per workload write: render the Sidecar, then serialize it to YAML.</summary>
[MemoryDiagnoser]
public class SidecarRenderBenchmarks
{
    private Workload _workload = null!;
    private string[] _hosts = [];
    private SidecarResource _sidecar = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload("team-01", WorkloadKind.Deployment, "checkout")
        {
            SelectorLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["app"] = "checkout", ["version"] = "v1" },
        };
        _hosts = [.. Enumerable.Range(0, 10).Select(i => $"team-{i:D2}/svc-{i:D4}.team-{i:D2}.svc.cluster.local")];
        _sidecar = Render();
    }

    [Benchmark]
    public SidecarResource Render() => SidecarRenderer.Render(_workload, _hosts, [], RenderOptions.Default);

    [Benchmark]
    public byte[] SerializeYaml() => ResourceYaml.SerializeToUtf8(_sidecar);
}
