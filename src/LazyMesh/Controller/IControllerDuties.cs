using LazyMesh.Controller.Queue;

namespace LazyMesh.Controller;

/// <summary>The duties (keys other than workloads and routing) a mode part owns, and how one runs.</summary>
public interface IControllerDuties
{
    IReadOnlyList<ControllerDuty> Duties { get; }

    /// <summary>Runs one of <see cref="Duties"/>; a thrown exception retries it with backoff.</summary>
    ValueTask<ReconcileResult> RunDutyAsync(ControllerKey key, ControllerContext context, CancellationToken cancellationToken);
}
