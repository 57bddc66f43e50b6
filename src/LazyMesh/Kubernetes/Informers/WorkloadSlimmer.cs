using k8s.Models;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// Workload controllers carry a whole pod template the mesh index never reads: keep metadata
/// (<see cref="MetadataSlimmer"/>), <c>spec.selector</c> and the pod template's labels (which a Sidecar selector
/// needs to tell overlapping workloads apart) only (a CronJob keeps its metadata only).
/// </summary>
public static class WorkloadSlimmer
{
    public static V1ReplicaSet Slim(V1ReplicaSet rs) => new()
    {
        ApiVersion = rs.ApiVersion,
        Kind = rs.Kind,
        Metadata = MetadataSlimmer.Slim(rs.Metadata),
        Spec = new V1ReplicaSetSpec { Selector = rs.Spec?.Selector, Replicas = rs.Spec?.Replicas, Template = TemplateLabels(rs.Spec?.Template) },
    };

    public static V1Deployment Slim(V1Deployment deployment) => new()
    {
        ApiVersion = deployment.ApiVersion,
        Kind = deployment.Kind,
        Metadata = MetadataSlimmer.Slim(deployment.Metadata),
        Spec = new V1DeploymentSpec { Selector = deployment.Spec?.Selector, Replicas = deployment.Spec?.Replicas, Template = TemplateLabels(deployment.Spec?.Template) },
    };

    public static V1StatefulSet Slim(V1StatefulSet statefulSet) => new()
    {
        ApiVersion = statefulSet.ApiVersion,
        Kind = statefulSet.Kind,
        Metadata = MetadataSlimmer.Slim(statefulSet.Metadata),
        Spec = new V1StatefulSetSpec { Selector = statefulSet.Spec?.Selector, Replicas = statefulSet.Spec?.Replicas, Template = TemplateLabels(statefulSet.Spec?.Template) },
    };

    public static V1DaemonSet Slim(V1DaemonSet daemonSet) => new()
    {
        ApiVersion = daemonSet.ApiVersion,
        Kind = daemonSet.Kind,
        Metadata = MetadataSlimmer.Slim(daemonSet.Metadata),
        Spec = new V1DaemonSetSpec { Selector = daemonSet.Spec?.Selector, Template = TemplateLabels(daemonSet.Spec?.Template) },
    };

    public static V1Job Slim(V1Job job) => new()
    {
        ApiVersion = job.ApiVersion,
        Kind = job.Kind,
        Metadata = MetadataSlimmer.Slim(job.Metadata),
        Spec = new V1JobSpec { Selector = job.Spec?.Selector, Template = TemplateLabels(job.Spec?.Template) },
    };

    public static V1CronJob Slim(V1CronJob cronJob) => new()
    {
        ApiVersion = cronJob.ApiVersion,
        Kind = cronJob.Kind,
        Metadata = MetadataSlimmer.Slim(cronJob.Metadata),
    };

    private static V1PodTemplateSpec? TemplateLabels(V1PodTemplateSpec? template) =>
        template?.Metadata?.Labels is { Count: > 0 } labels
            ? new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels) } }
            : null;
}
