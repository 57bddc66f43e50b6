using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using LazyMesh.Als;
using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Bench;

/// <summary>
/// Target 1 (issue: ALS): the server's per-entry hot path on one thread: <see cref="AlsStreamDecoder"/> over
/// pre-encoded messages of 100 entries from 1,000 sidecars (one decoder per stream, identifier already received)
/// of a 1,000-workload / 500-service mesh, into an <see cref="EdgeLearner"/> over a real <see cref="MeshIndex"/> and
/// <see cref="DependencyStore"/> that already holds every steady-state edge. <see cref="NewEdgePercent"/> of the
/// entries carry an edge the store does not have (forgotten again before each iteration, so they stay new).
/// Times are per entry (OperationsPerInvoke), so entries/s = 1 / Mean.
/// </summary>
[MemoryDiagnoser]
public class AlsIngestBenchmarks
{
    private const int Senders = 1000;
    private const int MessagesPerSender = 2;
    private const int EntriesPerMessage = 100;
    private const int TotalEntries = Senders * MessagesPerSender * EntriesPerMessage;

    private readonly List<(string Workload, string Host)> _newEdges = [];
    private readonly ConcurrentQueue<(string, string, long)> _pending = new();
    private byte[][] _messages = [];
    private AlsStreamDecoder[] _learnDecoders = [];
    private AlsStreamDecoder[] _countDecoders = [];
    private DependencyStore _store = null!;
    private EdgeLearner _learner = null!;

    [Params(0, 1)]
    public int NewEdgePercent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var mesh = new AlsSyntheticMesh(workloads: 1000, services: 500);
        var index = MeshIndexBuilder.Build(mesh.BuildSnapshot());
        _store = new DependencyStore();
        for (var w = 0; w < mesh.Workloads; w++)
        {
            for (var k = 0; k < mesh.EdgesPerWorkload; k++)
            {
                _store.Learn(mesh.WorkloadKey(w), index.FindByHost(mesh.ServiceFqdn(mesh.KnownService(w, k)))!.SidecarHost, 1);
            }
        }

        _learner = new EdgeLearner(new MeshIndexHolder(index), _store, (w, s, t) => _pending.Enqueue((w.Key, s.SidecarHost, t)));
        var counting = new AlsCountingSink();
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        var messages = new List<byte[]>();
        _learnDecoders = new AlsStreamDecoder[Senders * MessagesPerSender];
        _countDecoders = new AlsStreamDecoder[Senders * MessagesPerSender];
        var newIndex = 0;
        for (var m = 0; m < MessagesPerSender; m++)
        {
            for (var s = 0; s < Senders; s++)
            {
                var w = s * (mesh.Workloads / Senders);
                var replica = m % mesh.PodsPerWorkload;
                var destinations = new int[EntriesPerMessage];
                for (var i = 0; i < EntriesPerMessage; i++)
                {
                    if (i % 100 < NewEdgePercent)
                    {
                        var service = mesh.NewService(w, newIndex++ % mesh.EdgesPerWorkload);
                        destinations[i] = service;
                        _newEdges.Add((mesh.WorkloadKey(w), mesh.ServiceHost(service)));
                    }
                    else
                    {
                        destinations[i] = mesh.KnownService(w, i % mesh.EdgesPerWorkload);
                    }
                }

                var slot = messages.Count;
                messages.Add(AlsCorpus.HttpEntries(mesh, w, replica, destinations, start));
                var identifier = AlsCorpus.Identifier(mesh, w, replica);
                _learnDecoders[slot] = new AlsStreamDecoder(_learner);
                _learnDecoders[slot].Decode(identifier);
                _countDecoders[slot] = new AlsStreamDecoder(counting);
                _countDecoders[slot].Decode(identifier);
            }
        }

        _messages = [.. messages];

        // Sanity: every entry attributes, and the new ones are new.
        ForgetNewEdges();
        DecodeAttributeLearn();
        var expectedNew = _newEdges.Distinct().Count();
        if (_learner.Stats.TotalSkipped != 0 || _pending.Count != expectedNew)
        {
            throw new InvalidOperationException($"corpus does not attribute as intended: skipped {_learner.Stats.TotalSkipped}, new {_pending.Count} (expected {expectedNew})");
        }
    }

    [IterationSetup(Target = nameof(DecodeAttributeLearn))]
    public void ForgetNewEdges()
    {
        foreach (var (workload, host) in _newEdges)
        {
            _store.Forget(workload, host);
        }

        _pending.Clear();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var d in _learnDecoders.Concat(_countDecoders))
        {
            d.Dispose();
        }
    }

    /// <summary>Decode only, into a sink that counts (what decoding alone costs).</summary>
    [Benchmark(OperationsPerInvoke = TotalEntries, Baseline = true)]
    public long DecodeOnly()
    {
        long entries = 0;
        for (var i = 0; i < _messages.Length; i++)
        {
            entries += _countDecoders[i].Decode(_messages[i]).HttpEntries;
        }

        return entries;
    }

    /// <summary>Decode + attribute (MeshIndex) + dedupe (DependencyStore): the server's full per-entry work.</summary>
    [Benchmark(OperationsPerInvoke = TotalEntries)]
    public long DecodeAttributeLearn()
    {
        long entries = 0;
        for (var i = 0; i < _messages.Length; i++)
        {
            entries += _learnDecoders[i].Decode(_messages[i]).HttpEntries;
        }

        return entries;
    }
}
