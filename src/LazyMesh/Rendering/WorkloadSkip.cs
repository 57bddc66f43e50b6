namespace LazyMesh.Rendering;

/// <summary>Why a workload gets no generated Sidecar.</summary>
public enum WorkloadSkip
{
    None,

    /// <summary>Not enabled by annotation, label or the mode's default.</summary>
    Disabled,

    /// <summary>A user-written Sidecar already selects it.</summary>
    Conflict,

    /// <summary>No labels a workloadSelector could use.</summary>
    NoSelector,

    /// <summary>In its observe phase (<c>lazymesh.io/observe-for</c>): keeps its full scope for now.</summary>
    Observing,
}
