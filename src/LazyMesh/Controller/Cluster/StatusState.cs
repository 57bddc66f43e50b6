using LazyMesh.Controller.Queue;
using LazyMesh.Kubernetes.State;
using LazyMesh.Learning;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace LazyMesh.Controller.Cluster;

/// <summary>
/// Learned state on a cluster: the LazySidecars' status (<see cref="LearnedStatus"/>). Restored from every
/// LazySidecar at start; a new edge needs no record of its own, because each workload's reconcile merges the store
/// into its LazySidecar's status before the Sidecar that shows it is applied.
/// </summary>
public sealed partial class StatusState : ILearnedState
{
    private readonly LearnedStatus _learned;
    private readonly ILazySidecarSource _source;
    private readonly ILogger _logger;

    public StatusState(LearnedStatus learned, ILazySidecarSource source, ILogger logger)
    {
        _learned = learned;
        _source = source;
        _logger = logger;
    }

    public IReadOnlyList<ControllerDuty> Duties { get; } = [];

    public async Task RestoreAsync(DependencyStore store, CancellationToken cancellationToken)
    {
        var restored = await _learned.RestoreAsync(_source, cancellationToken).ConfigureAwait(false);
        LogRestored(_logger, restored, _learned.Store.WorkloadCount);
    }

    public bool TryRecord(DependencyStore store, IReadOnlyList<PendingEdge> edges) => true;

    public ValueTask<ReconcileResult> RunDutyAsync(ControllerKey key, ControllerContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ReconcileResult.Done);

    public void FlushAtExit(DependencyStore store, IReadOnlyList<PendingEdge> unrecorded)
    {
    }

    public void AddMetrics(System.Diagnostics.Metrics.Meter meter)
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "restored {Hosts} learned hosts of {Workloads} workloads from LazySidecar status")]
    private static partial void LogRestored(ILogger logger, int hosts, int workloads);
}
