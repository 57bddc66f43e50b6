using k8s.Models;
using LazyMesh.Mesh;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// Pods are the bulk of a cluster's objects and most of each pod is of no use to the mesh index: keep metadata
/// (<see cref="MetadataSlimmer"/>), <c>spec.hostNetwork</c>, <c>spec.serviceAccountName</c> (the pod's mesh identity), the containers' named ports (a Service's named
/// <c>targetPort</c> resolves through them), and <c>status.phase</c>, <c>podIP</c>, <c>podIPs</c> and the
/// <c>Ready</c> condition. Everything else (images, env, volumes, resources, container statuses, other conditions)
/// is dropped before caching.
/// </summary>
public static class PodSlimmer
{
    /// <summary>The one pod condition kept.</summary>
    public const string ReadyCondition = "Ready";

    public static V1Pod Slim(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var containers = pod.Spec?.Containers?
            .Where(static c => Keeps(c.Name, c.Ports?.Count ?? 0))
            .Select(static c => new V1Container
            {
                Name = c.Name,
                Ports = c.Ports?.Select(static p => new V1ContainerPort { Name = p.Name, ContainerPort = p.ContainerPort, Protocol = p.Protocol }).ToList(),
                Args = RouterArgs(c.Name, c.Args),
            })
            .ToList();
        var ready = pod.Status?.Conditions?.FirstOrDefault(static c => c.Type == ReadyCondition);
        return new V1Pod
        {
            ApiVersion = pod.ApiVersion,
            Kind = pod.Kind,
            Metadata = pod.Metadata is null ? new V1ObjectMeta() : WithoutUid(MetadataSlimmer.Slim(pod.Metadata)),
            Spec = new V1PodSpec
            {
                HostNetwork = pod.Spec?.HostNetwork,
                ServiceAccountName = pod.Spec?.ServiceAccountName ?? pod.Spec?.ServiceAccount,
                Containers = containers is { Count: > 0 } ? containers : null,
                InitContainers = NativeProxy(pod.Spec?.InitContainers?.Select(static c => c.Name)),
            },
            Status = pod.Status is null ? null : new V1PodStatus
            {
                Phase = pod.Status.Phase,
                PodIP = pod.Status.PodIP,
                PodIPs = pod.Status.PodIPs?.Select(static p => new V1PodIP { Ip = p.Ip }).ToList(),
                Conditions = ready is null ? null : [new V1PodCondition { Type = ready.Type, Status = ready.Status }],
            },
        };
    }

    /// <summary>A container is kept when it has ports (named ports) or is the istio-proxy (with its "router" argument: a gateway, Mesh/ProxyKinds).</summary>
    public static bool Keeps(string? containerName, int ports) => ports > 0 || containerName == ProxyKinds.ProxyContainer;

    /// <summary>The arguments kept of a container: <c>["router"]</c> for an istio-proxy that has it, else none.</summary>
    public static List<string>? RouterArgs(string? containerName, IEnumerable<string>? args) =>
        containerName == ProxyKinds.ProxyContainer && args?.Contains("router") == true ? ["router"] : null;

    /// <summary>The init containers kept: the istio-proxy alone (name only) when it runs as a native sidecar, else none.</summary>
    public static List<V1Container>? NativeProxy(IEnumerable<string?>? initContainerNames) =>
        initContainerNames?.Any(static n => n == ProxyKinds.ProxyContainer) == true ? [new V1Container { Name = ProxyKinds.ProxyContainer }] : null;

    /// <summary>
    /// A pod's own UID is read by nothing (workloads are found through the owners' UIDs, kept in the owner
    /// references; a pod deleted and created again under its name comes back with a new resourceVersion): dropping it
    /// saves a 36-character string per pod, ~5 MB of heap at 50,000 pods.
    /// </summary>
    internal static V1ObjectMeta WithoutUid(V1ObjectMeta metadata)
    {
        metadata.Uid = null;
        return metadata;
    }
}
