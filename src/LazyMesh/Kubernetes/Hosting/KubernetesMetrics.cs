using System.Diagnostics.Metrics;
using LazyMesh.Hosting;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.Sink;

namespace LazyMesh.Kubernetes.Hosting;

/// <summary>
/// What the controller does against the API server, on the controller's meter: writes by result, status merges,
/// retries, the write budget, and informer activity, observed from the lock-free counters the sink, the budget and
/// the informers keep; and leadership.
/// </summary>
public static class KubernetesMetrics
{
    public static void Register(Meter meter, KubeSinkStats sink, WriteBudget budget, KubernetesInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(inventory);
        meter.CreateObservableCounter<long>(
            "lazymesh_kube_writes_total",
            MetricLabel.Counts(
                "result",
                ("applied", () => sink.Applied),
                ("unchanged", () => sink.Unchanged),
                ("deleted", () => sink.Deleted),
                ("failed", () => sink.Failures)),
            description: "API writes by result (applied, unchanged = not sent, deleted, failed)");
        meter.CreateObservableCounter("lazymesh_kube_status_writes_total", () => sink.StatusWrites, description: "LazySidecar status writes");
        meter.CreateObservableCounter("lazymesh_kube_status_conflicts_total", () => sink.StatusConflicts, description: "LazySidecar status writes refused with 409 and merged again");
        meter.CreateObservableCounter("lazymesh_kube_retries_total", () => sink.Retries, description: "API calls retried (409, 429, 5xx, connection errors)");
        meter.CreateObservableCounter("lazymesh_kube_events_total", () => sink.Events, description: "Kubernetes Events written");
        meter.CreateObservableCounter("lazymesh_kube_write_budget_granted_total", () => budget.Granted, description: "Writes granted by the global write budget");
        meter.CreateObservableGauge("lazymesh_kube_write_budget_waiting", () => budget.Waiting, description: "Writers waiting for the write budget");
        meter.CreateObservableCounter(
            "lazymesh_informer_events_total",
            () => inventory.Informers.SelectMany(static i => new[]
            {
                InformerCount(i.Counters.Added, i.Resource, "added"),
                InformerCount(i.Counters.Modified, i.Resource, "modified"),
                InformerCount(i.Counters.Deleted, i.Resource, "deleted"),
            }),
            description: "Watch events by resource and type");
        meter.CreateObservableCounter(
            "lazymesh_informer_relists_total",
            () => inventory.Informers.Select(static i => MetricLabel.Count(i.Counters.Relists, "resource", i.Resource)),
            description: "Fresh LISTs after 410 Gone or a resync");
        meter.CreateObservableCounter(
            "lazymesh_informer_errors_total",
            () => inventory.Informers.Select(static i => MetricLabel.Count(i.Counters.Errors, "resource", i.Resource)),
            description: "List/watch errors (retried with backoff)");
    }

    /// <summary><c>lazymesh_leader</c> (1 on the Lease holder) and <c>lazymesh_leader_transitions_total</c>.</summary>
    public static void RegisterLeadership(Meter meter, Leadership.ControllerLeadership? leadership)
    {
        ArgumentNullException.ThrowIfNull(meter);
        const string LeaderHelp = "1 while this replica holds the lazymesh-controller Lease (always 1 without leader election)";
        const string TransitionsHelp = "Times this replica started or stopped leading";
        var transitions = new AtomicCount();
        meter.CreateObservableCounter("lazymesh_leader_transitions_total", () => transitions.Value, description: TransitionsHelp);
        if (leadership is null)
        {
            meter.CreateObservableGauge("lazymesh_leader", () => 1, description: LeaderHelp);
            return;
        }

        leadership.StartedLeading += transitions.Inc;
        leadership.StoppedLeading += transitions.Inc;
        meter.CreateObservableGauge("lazymesh_leader", () => leadership.IsLeader ? 1 : 0, description: LeaderHelp);
    }

    private static Measurement<long> InformerCount(long value, string resource, string type) =>
        new(value, new KeyValuePair<string, object?>("resource", resource), new KeyValuePair<string, object?>("type", type));
}
