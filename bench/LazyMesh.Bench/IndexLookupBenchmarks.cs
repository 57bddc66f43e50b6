using System.Collections.Frozen;
using BenchmarkDotNet.Attributes;
using LazyMesh.Mesh;

namespace LazyMesh.Bench;

/// <summary>
/// The per-access-log-line lookups of <see cref="MeshIndex"/> on an index built whole (<c>fresh</c>: its layered maps
/// have an empty overlay), on one updated by parts until its overlays hold about a thousand changes
/// (<c>layered</c>), and on one whose lookups each have an overlay being merged under a newer one (<c>merging</c>), next to a bare <see cref="FrozenDictionary{TKey, TValue}"/> of the same pods (how pods were
/// stored before the index could be updated by parts). 10,000 pods of 2,000 Deployments, 2,000 Services; times are
/// per lookup over 1,024 probes (every pod IP probed is a hit; one in eight name probes misses; names resolve from
/// their own namespace).
/// </summary>
[MemoryDiagnoser]
public class IndexLookupBenchmarks
{
    private const int Probes = 1024;
    private const int Deployments = 2000;
    private const int PodsPerDeployment = 5;

    private MeshIndex _index = null!;
    private FrozenDictionary<IpKey, PodInfo> _frozen = null!;
    private IpKey[] _ips = [];
    private IpKey[] _serviceIps = [];
    private string[] _names = [];
    private string[] _namespaces = [];

    [Params("fresh", "layered", "merging")]
    public string Index { get; set; } = "fresh";

    [GlobalSetup]
    public void Setup()
    {
        var mesh = new UpdatableMesh(Deployments, PodsPerDeployment, servicesPerDeployment: 1);
        var snapshot = mesh.Snapshot();

        // layered: overlays never merged, grown to about a thousand entries; merging: every lookup holds an overlay
        // being merged (never finished here) under a newer one, the most layers a lookup reads.
        var updater = Index switch
        {
            "layered" => new MeshIndexUpdater(null, new LayerMergePolicy(static _ => int.MaxValue, static _ => { })),
            "merging" => new MeshIndexUpdater(null, new LayerMergePolicy(static _ => 200, static _ => { })),
            _ => new MeshIndexUpdater(),
        };
        _index = updater.Rebuild(snapshot);
        _frozen = _index.Pods.SelectMany(p => p.Ips.Select(ip => KeyValuePair.Create(ip, p))).ToFrozenDictionary();
        for (var i = 0; (Index == "layered" && _index.OverlayCount < 1000) || (Index == "merging" && _index.Merging < 4); i++)
        {
            // Move pods to new IPs one change at a time.
            var moved = mesh.Pod((i * 7) % Deployments, i % PodsPerDeployment, $"10.2.{i >> 8 & 255}.{i & 255}");
            _index = updater.TryApplyPods([new PodChange(mesh.Key(moved), moved)])
                ?? throw new InvalidOperationException($"refused: {updater.LastRefusal}");
            if (i > 10_000)
            {
                throw new InvalidOperationException($"the {Index} index was not reached in 10,000 changes");
            }
        }

        var random = new Random(7);
        _ips = [.. Enumerable.Range(0, Probes).Select(_ => _index.Pods[random.Next(_index.Pods.Count)].Ips[0])];
        _serviceIps = [.. Enumerable.Range(0, Probes).Select(_ => _index.Services[random.Next(_index.Services.Count)].Addresses[0])];
        var services = Enumerable.Range(0, Probes).Select(_ => _index.Services[random.Next(_index.Services.Count)]).ToArray();
        _names = [.. services.Select((s, i) => i % 8 == 0 ? "missing" : s.Name)];
        _namespaces = [.. services.Select(s => s.Namespace)];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Probes)]
    public int FrozenDictionaryOfPods()
    {
        var found = 0;
        foreach (var ip in _ips)
        {
            found += _frozen.TryGetValue(ip, out _) ? 1 : 0;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Probes)]
    public int FindPod()
    {
        var found = 0;
        foreach (var ip in _ips)
        {
            found += _index.FindPod(ip, out _) == PodIpMatch.Pod ? 1 : 0;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Probes)]
    public int FindByAddress()
    {
        var found = 0;
        foreach (var ip in _serviceIps)
        {
            found += _index.FindByAddress(ip, 80) is null ? 0 : 1;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Probes)]
    public int ResolveName()
    {
        var found = 0;
        for (var i = 0; i < _names.Length; i++)
        {
            found += _index.ResolveName(_names[i], _namespaces[i]) is null ? 0 : 1;
        }

        return found;
    }
}
