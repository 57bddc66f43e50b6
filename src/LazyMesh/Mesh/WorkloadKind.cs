namespace LazyMesh.Mesh;

/// <summary>The kind of a pod's top-level owner; <see cref="Pod"/> for a bare pod.</summary>
public enum WorkloadKind
{
    Deployment,
    StatefulSet,
    DaemonSet,
    CronJob,
    Job,
    ReplicaSet,
    Pod,
}
