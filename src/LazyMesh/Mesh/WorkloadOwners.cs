using k8s;
using k8s.Models;
using LazyMesh.Inventory;

namespace LazyMesh.Mesh;

/// <summary>
/// Resolves a pod's top-level owner (ReplicaSet to Deployment, Job to CronJob, StatefulSet, DaemonSet, else the bare
/// pod) from the inventory's workload controllers, and lists the scaled-to-zero controllers that keep a workload.
/// A missing owner is warned once per owner.
/// </summary>
internal sealed class WorkloadOwners
{
    private readonly HashSet<string> _warnedOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1ReplicaSet> _replicaSets;
    private readonly Dictionary<string, V1Deployment> _deployments;
    private readonly Dictionary<string, V1StatefulSet> _statefulSets;
    private readonly Dictionary<string, V1DaemonSet> _daemonSets;
    private readonly Dictionary<string, V1Job> _jobs;
    private readonly Dictionary<string, V1CronJob> _cronJobs;

    public WorkloadOwners(InventorySnapshot snapshot)
    {
        _replicaSets = ByKey(snapshot.ReplicaSets);
        _deployments = ByKey(snapshot.Deployments);
        _statefulSets = ByKey(snapshot.StatefulSets);
        _daemonSets = ByKey(snapshot.DaemonSets);
        _jobs = ByKey(snapshot.Jobs);
        _cronJobs = ByKey(snapshot.CronJobs);
    }

    /// <summary><c>namespace/Kind/name</c> of a workload.</summary>
    public static string KeyOf(string ns, WorkloadKind kind, string name) => $"{ns}/{kind}/{name}";

    /// <summary>Scaled-to-zero controllers keep a workload (and so their Sidecar) when their selector is plain labels.</summary>
    public IEnumerable<(string Key, WorkloadOwner Owner)> IdleCandidates() =>
        Idle(_deployments.Values, WorkloadKind.Deployment, d => d.Spec?.Selector, d => d.Spec?.Template?.Metadata?.Labels)
            .Concat(Idle(_statefulSets.Values, WorkloadKind.StatefulSet, s => s.Spec?.Selector, s => s.Spec?.Template?.Metadata?.Labels))
            .Concat(Idle(_daemonSets.Values, WorkloadKind.DaemonSet, d => d.Spec?.Selector, d => d.Spec?.Template?.Metadata?.Labels));

    public WorkloadOwner Resolve(V1Pod pod, List<string> warnings)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var reference = ControllerOf(pod.Metadata);
        if (reference is null)
        {
            return new WorkloadOwner(WorkloadKind.Pod, pod.Metadata.Name, pod.Metadata, null, null);
        }

        switch (reference.Kind)
        {
            case "ReplicaSet":
                if (!_replicaSets.TryGetValue($"{ns}/{reference.Name}", out var rs))
                {
                    return Missing(WorkloadKind.ReplicaSet, reference.Name, pod, warnings);
                }

                var rsOwner = ControllerOf(rs.Metadata);
                if (rsOwner?.Kind == "Deployment")
                {
                    if (_deployments.TryGetValue($"{ns}/{rsOwner.Name}", out var deployment))
                    {
                        return new WorkloadOwner(WorkloadKind.Deployment, deployment.Metadata.Name, deployment.Metadata, deployment.Spec?.Selector, null)
                        {
                            TemplateLabels = deployment.Spec?.Template?.Metadata?.Labels ?? rs.Spec?.Template?.Metadata?.Labels,
                        };
                    }

                    // A Deployment's selector is its ReplicaSets' selector without pod-template-hash.
                    var inferred = rs.Spec?.Selector is { } rsSelector
                        ? new V1LabelSelector
                        {
                            MatchExpressions = rsSelector.MatchExpressions,
                            MatchLabels = rsSelector.MatchLabels?.Where(l => l.Key != "pod-template-hash").ToDictionary(l => l.Key, l => l.Value),
                        }
                        : null;
                    var reason = $"Deployment {rsOwner.Name} is not in the inventory; selector taken from ReplicaSet {rs.Metadata.Name} without pod-template-hash";
                    if (_warnedOwners.Add($"{ns}/Deployment/{rsOwner.Name}"))
                    {
                        warnings.Add($"{ns}: {reason}");
                    }

                    return new WorkloadOwner(WorkloadKind.Deployment, rsOwner.Name, null, inferred, reason) { TemplateLabels = rs.Spec?.Template?.Metadata?.Labels };
                }

                return new WorkloadOwner(WorkloadKind.ReplicaSet, rs.Metadata.Name, rs.Metadata, rs.Spec?.Selector, null) { TemplateLabels = rs.Spec?.Template?.Metadata?.Labels };
            case "StatefulSet":
                return _statefulSets.TryGetValue($"{ns}/{reference.Name}", out var sts)
                    ? new WorkloadOwner(WorkloadKind.StatefulSet, sts.Metadata.Name, sts.Metadata, sts.Spec?.Selector, null) { TemplateLabels = sts.Spec?.Template?.Metadata?.Labels }
                    : Missing(WorkloadKind.StatefulSet, reference.Name, pod, warnings);
            case "DaemonSet":
                return _daemonSets.TryGetValue($"{ns}/{reference.Name}", out var ds)
                    ? new WorkloadOwner(WorkloadKind.DaemonSet, ds.Metadata.Name, ds.Metadata, ds.Spec?.Selector, null) { TemplateLabels = ds.Spec?.Template?.Metadata?.Labels }
                    : Missing(WorkloadKind.DaemonSet, reference.Name, pod, warnings);
            case "Job":
                if (!_jobs.TryGetValue($"{ns}/{reference.Name}", out var job))
                {
                    return Missing(WorkloadKind.Job, reference.Name, pod, warnings);
                }

                var jobOwner = ControllerOf(job.Metadata);
                if (jobOwner?.Kind == "CronJob")
                {
                    // A CronJob has no selector; each Job's selector names that run's controller-uid.
                    return _cronJobs.TryGetValue($"{ns}/{jobOwner.Name}", out var cronJob)
                        ? new WorkloadOwner(WorkloadKind.CronJob, cronJob.Metadata.Name, cronJob.Metadata, null, "CronJob has no pod selector")
                        : Missing(WorkloadKind.CronJob, jobOwner.Name, pod, warnings);
                }

                return new WorkloadOwner(WorkloadKind.Job, job.Metadata.Name, job.Metadata, job.Spec?.Selector, null) { TemplateLabels = job.Spec?.Template?.Metadata?.Labels };
            default:
                warnings.Add($"pod {ns}/{pod.Metadata.Name}: owner kind {reference.Kind} is not supported; treated as a bare pod");
                return new WorkloadOwner(WorkloadKind.Pod, pod.Metadata.Name, pod.Metadata, null, null);
        }
    }

    private static IEnumerable<(string Key, WorkloadOwner Owner)> Idle<T>(
        IEnumerable<T> objects,
        WorkloadKind kind,
        Func<T, V1LabelSelector?> selectorOf,
        Func<T, IDictionary<string, string>?> templateLabelsOf)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        foreach (var obj in objects)
        {
            var selector = selectorOf(obj);
            if (selector?.MatchLabels is { Count: > 0 } && selector.MatchExpressions is not { Count: > 0 })
            {
                yield return (KeyOf(obj.Metadata.NamespaceProperty, kind, obj.Metadata.Name),
                    new WorkloadOwner(kind, obj.Metadata.Name, obj.Metadata, selector, null) { TemplateLabels = templateLabelsOf(obj) });
            }
        }
    }

    private WorkloadOwner Missing(WorkloadKind kind, string name, V1Pod pod, List<string> warnings)
    {
        if (_warnedOwners.Add($"{pod.Metadata.NamespaceProperty}/{kind}/{name}"))
        {
            warnings.Add($"{kind} {pod.Metadata.NamespaceProperty}/{name} (owner of pod {pod.Metadata.Name}) is not in the inventory");
        }

        return new WorkloadOwner(kind, name, null, null, $"{kind} {name} is not in the inventory");
    }

    private static V1OwnerReference? ControllerOf(V1ObjectMeta metadata) =>
        metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    private static Dictionary<string, T> ByKey<T>(IEnumerable<T> objects)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var obj in objects)
        {
            map[$"{obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}"] = obj;
        }

        return map;
    }
}
