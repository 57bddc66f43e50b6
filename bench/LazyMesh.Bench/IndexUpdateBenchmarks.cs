using BenchmarkDotNet.Attributes;
using LazyMesh.Mesh;

namespace LazyMesh.Bench;

/// <summary>
/// One pod change applied to a 50,000-pod index by parts (<see cref="MeshIndexUpdater.TryApplyPods"/>): a pod of one of
/// 5,000 Deployments (10 pods each, 2 Services each: 10,000 Services) moves to a new IP. The overlays grow and are
/// frozen into their bases as they would be under churn, so the mean includes that merge, amortised. The whole
/// rebuild it replaces takes 1.6-1.8 s at this size (InformerBench, docs/benchmarks.md).
/// </summary>
[MemoryDiagnoser]
public class IndexUpdateBenchmarks
{
    private const int Deployments = 5000;
    private const int PodsPerDeployment = 10;

    private readonly UpdatableMesh _mesh = new(Deployments, PodsPerDeployment, servicesPerDeployment: 2);
    private MeshIndexUpdater _updater = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _updater = new MeshIndexUpdater();
        _updater.Rebuild(_mesh.Snapshot());
    }

    [Benchmark]
    public MeshIndex OnePodChangesIp()
    {
        var i = _next++;
        var moved = _mesh.Pod((i * 7919) % Deployments, i % PodsPerDeployment, $"10.{2 + (i >> 16 & 63)}.{i >> 8 & 255}.{i & 255}");
        return _updater.TryApplyPods([new PodChange(_mesh.Key(moved), moved)]) ?? throw new InvalidOperationException($"refused: {_updater.LastRefusal}");
    }
}
