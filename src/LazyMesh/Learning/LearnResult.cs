namespace LazyMesh.Learning;

public enum LearnResult : byte
{
    /// <summary>The edge was already known; its last-seen time may have moved.</summary>
    Known,

    /// <summary>A new dependency for the workload.</summary>
    New,

    /// <summary>New, but the workload already has the maximum number of learned hosts: rejected.</summary>
    Capped,
}
