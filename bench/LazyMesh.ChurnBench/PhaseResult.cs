namespace LazyMesh.ChurnBench;

/// <summary>What one phase of the run recorded.</summary>
internal sealed class PhaseResult(string name, int changesPerSecond)
{
    public string Name { get; } = name;

    public int ChangesPerSecond { get; } = changesPerSecond;

    public int Operations { get; set; }

    public int FailedOperations { get; set; }

    public int ByParts { get; set; }

    public int Whole { get; set; }

    public int PodChanges { get; set; }

    /// <summary>Time the inventory's loop spent making each index.</summary>
    public Percentiles Cost { get; } = new();

    /// <summary>From the oldest informer event an index took in to that index in the holder.</summary>
    public Percentiles Latency { get; } = new();

    /// <summary><c>MeshIndexChange.Between</c> (previous, new): what the controller computes per index.</summary>
    public Percentiles Mapping { get; } = new();

    public int EmptyChanges { get; set; }

    /// <summary>CPU time of this whole process over the phase: informers (watch, deserialize, slim), index updates, Between.</summary>
    public TimeSpan ProcessCpu { get; set; }

    public TimeSpan Elapsed { get; set; }
}
