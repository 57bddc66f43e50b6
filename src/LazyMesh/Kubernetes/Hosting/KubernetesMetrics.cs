using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.Sink;
using Prometheus;

namespace LazyMesh.Kubernetes.Hosting;

/// <summary>
/// What the controller does against the API server, added to the controller's registry: writes by result,
/// status merges, retries, the write budget, and informer activity. Copied from lock-free counters at scrape time.
/// </summary>
public static class KubernetesMetrics
{
    public static void Register(CollectorRegistry registry, KubeSinkStats sink, WriteBudget budget, KubernetesInventory inventory)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var writes = factory.CreateCounter("lazymesh_kube_writes_total", "API writes by result (applied, unchanged = not sent, deleted, failed)", "result");
        var statusWrites = factory.CreateCounter("lazymesh_kube_status_writes_total", "LazySidecar status writes");
        var statusConflicts = factory.CreateCounter("lazymesh_kube_status_conflicts_total", "LazySidecar status writes refused with 409 and merged again");
        var retries = factory.CreateCounter("lazymesh_kube_retries_total", "API calls retried (409, 429, 5xx, connection errors)");
        var events = factory.CreateCounter("lazymesh_kube_events_total", "Kubernetes Events written");
        var granted = factory.CreateCounter("lazymesh_kube_write_budget_granted_total", "Writes granted by the global write budget");
        var waiting = factory.CreateGauge("lazymesh_kube_write_budget_waiting", "Writers waiting for the write budget");
        var informerEvents = factory.CreateCounter("lazymesh_informer_events_total", "Watch events by resource and type", "resource", "type");
        var relists = factory.CreateCounter("lazymesh_informer_relists_total", "Fresh LISTs after 410 Gone or a resync", "resource");
        var errors = factory.CreateCounter("lazymesh_informer_errors_total", "List/watch errors (retried with backoff)", "resource");
        registry.AddBeforeCollectCallback(() =>
        {
            writes.WithLabels("applied").IncTo(sink.Applied);
            writes.WithLabels("unchanged").IncTo(sink.Unchanged);
            writes.WithLabels("deleted").IncTo(sink.Deleted);
            writes.WithLabels("failed").IncTo(sink.Failures);
            statusWrites.IncTo(sink.StatusWrites);
            statusConflicts.IncTo(sink.StatusConflicts);
            retries.IncTo(sink.Retries);
            events.IncTo(sink.Events);
            granted.IncTo(budget.Granted);
            waiting.Set(budget.Waiting);
            foreach (var informer in inventory.Informers)
            {
                var counters = informer.Counters;
                informerEvents.WithLabels(informer.Resource, "added").IncTo(counters.Added);
                informerEvents.WithLabels(informer.Resource, "modified").IncTo(counters.Modified);
                informerEvents.WithLabels(informer.Resource, "deleted").IncTo(counters.Deleted);
                relists.WithLabels(informer.Resource).IncTo(counters.Relists);
                errors.WithLabels(informer.Resource).IncTo(counters.Errors);
            }
        });
    }

    /// <summary><c>lazymesh_leader</c> (1 on the Lease holder) and <c>lazymesh_leader_transitions_total</c>.</summary>
    public static void RegisterLeadership(CollectorRegistry registry, Leadership.ControllerLeadership? leadership)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var leader = factory.CreateGauge("lazymesh_leader", "1 while this replica holds the lazymesh-controller Lease (always 1 without leader election)");
        var transitions = factory.CreateCounter("lazymesh_leader_transitions_total", "Times this replica started or stopped leading");
        if (leadership is null)
        {
            leader.Set(1);
            return;
        }

        leadership.StartedLeading += () => transitions.Inc();
        leadership.StoppedLeading += () => transitions.Inc();
        registry.AddBeforeCollectCallback(() => leader.Set(leadership.IsLeader ? 1 : 0));
    }
}
