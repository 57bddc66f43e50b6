using k8s.Models;
using LazyMesh.Inventory;

namespace LazyMesh.Bench;

/// <summary>
/// A cluster whose pods can be changed by parts (<see cref="Mesh.MeshIndexUpdater"/>): Deployments with one ReplicaSet
/// each, their pods, and Services selecting them, spread over 20 namespaces (100 for 5,000 Deployments or more).
/// </summary>
internal sealed class UpdatableMesh(int deployments, int podsPerDeployment, int servicesPerDeployment)
{
    public int Deployments { get; } = deployments;

    public int PodsPerDeployment { get; } = podsPerDeployment;

    public string Namespace(int d) => $"ns-{d % (Deployments >= 5000 ? 100 : 20)}";

    public InventorySnapshot Snapshot() => new()
    {
        Deployments = [.. Enumerable.Range(0, Deployments).Select(d => new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = $"app-{d}", NamespaceProperty = Namespace(d) },
            Spec = new V1DeploymentSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = $"app-{d}" } } },
        })],
        ReplicaSets = [.. Enumerable.Range(0, Deployments).Select(d => new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"app-{d}-1",
                NamespaceProperty = Namespace(d),
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = $"app-{d}", Uid = $"d{d}", Controller = true }],
            },
        })],
        Services = [.. Enumerable.Range(0, Deployments * servicesPerDeployment).Select(s => new V1Service
        {
            Metadata = new V1ObjectMeta { Name = $"svc-{s}", NamespaceProperty = Namespace(s % Deployments) },
            Spec = new V1ServiceSpec
            {
                ClusterIP = $"10.96.{s >> 8 & 255}.{s & 255}",
                Selector = new Dictionary<string, string> { ["app"] = $"app-{s % Deployments}" },
                Ports = [new V1ServicePort { Name = "http", Port = 80 }],
            },
        })],
        Pods = [.. Enumerable.Range(0, Deployments * PodsPerDeployment).Select(i => Pod(i / PodsPerDeployment, i % PodsPerDeployment, $"10.1.{i >> 8 & 255}.{i & 255}"))],
    };

    /// <summary>Pod <paramref name="p"/> of Deployment <paramref name="d"/>, at <paramref name="ip"/>.</summary>
    public V1Pod Pod(int d, int p, string ip) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"app-{d}-1-{p}",
            NamespaceProperty = Namespace(d),
            Labels = new Dictionary<string, string> { ["app"] = $"app-{d}" },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = $"app-{d}-1", Uid = $"r{d}", Controller = true }],
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app" }, new V1Container { Name = "istio-proxy" }] },
        Status = new V1PodStatus { Phase = "Running", PodIP = ip, PodIPs = [new V1PodIP { Ip = ip }] },
    };

    public string Key(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
}
