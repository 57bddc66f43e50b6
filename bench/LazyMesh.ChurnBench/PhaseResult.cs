namespace LazyMesh.ChurnBench;

/// <summary>What one phase of the run recorded.</summary>
internal sealed class PhaseResult(string name, int changesPerSecond)
{
    public string Name { get; } = name;

    public int ChangesPerSecond { get; } = changesPerSecond;

    public int Operations { get; set; }

    public int CompletedOperations { get; set; }

    public int FailedOperations { get; set; }

    /// <summary>From the first pod change due to the last one answered.</summary>
    public TimeSpan DrivingTime { get; set; }

    /// <summary>From a pod change's due time to its API calls answered.</summary>
    public Percentiles ChurnCalls { get; set; } = new();

    public int ByParts { get; set; }

    public int Whole { get; set; }

    public int PodChanges { get; set; }

    /// <summary>Updates made while a lookup's overlay was being merged off the update path.</summary>
    public int WhileMerging { get; set; }

    /// <summary>Time the inventory's loop spent making each index.</summary>
    public Percentiles Cost { get; } = new();

    /// <summary>From the oldest informer event an index took in to that index in the holder.</summary>
    public Percentiles Latency { get; } = new();

    public int DependenciesSent { get; set; }

    public int DependenciesUnseen { get; set; }

    /// <summary>From an ALS message with a new dependency sent to the watch event of the Sidecar that lists it.</summary>
    public Percentiles DependencyLatency { get; } = new();

    /// <summary>CPU time of this whole process over the phase: informers, index updates, the controller, the drivers.</summary>
    public TimeSpan ProcessCpu { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>The test API server process's GC pauses over 20 ms during the phase (the API stands still meanwhile).</summary>
    public IReadOnlyList<LazyMesh.InformerBench.GcPause> ServerPauses { get; set; } = [];

    /// <summary>What the informers did besides events (relists, 410s, re-watches, errors, bookmarks), per resource.</summary>
    public string Informers { get; set; } = "";

    /// <summary>The slowest new dependencies with where their time went (<see cref="StageTrace.Explain"/>).</summary>
    public string SlowDependencies { get; set; } = "";
}
