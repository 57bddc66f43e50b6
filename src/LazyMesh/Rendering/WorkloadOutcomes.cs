namespace LazyMesh.Rendering;

/// <summary>What a <see cref="WorkloadOutcome"/> means for the objects that depend on the Sidecar.</summary>
public static class WorkloadOutcomes
{
    /// <summary>The workload's own generated Sidecar is in place: its routing objects may follow.</summary>
    public static bool IsRouted(WorkloadOutcome? outcome) => outcome is WorkloadOutcome.Applied or WorkloadOutcome.Unchanged;

    /// <summary>The workload's learned hosts are in a generated Sidecar now (its own, or the one its pods share).</summary>
    public static bool ShowsLearnedHosts(WorkloadOutcome outcome) => IsRouted(outcome) || outcome == WorkloadOutcome.Merged;
}
