using k8s;
using k8s.Models;
using LazyMesh.Inventory;

namespace LazyMesh.Bench;

/// <summary>
/// A generated mesh: <see cref="Workloads"/> Deployments (each with one ReplicaSet and <see cref="PodsPerWorkload"/>
/// running pods) over <see cref="Namespaces"/> namespaces, and <see cref="Services"/> ClusterIP Services; Service
/// <c>s</c> selects workload <c>s</c>. Workload <c>w</c>'s steady-state dependencies are <see cref="EdgesPerWorkload"/>
/// distinct Services (<see cref="KnownService"/>); <see cref="NewService"/> gives Services it has not called yet.
/// </summary>
internal sealed class AlsSyntheticMesh
{
    public const int ServicePort = 8080;

    public AlsSyntheticMesh(int workloads, int services, int namespaces = 20, int podsPerWorkload = 2, int edgesPerWorkload = 10)
    {
        if (services > workloads || edgesPerWorkload * 2 > services)
        {
            throw new ArgumentException("need services <= workloads and 2 * edgesPerWorkload <= services");
        }

        Workloads = workloads;
        Services = services;
        Namespaces = namespaces;
        PodsPerWorkload = podsPerWorkload;
        EdgesPerWorkload = edgesPerWorkload;
    }

    public int Workloads { get; }

    public int Services { get; }

    public int Namespaces { get; }

    public int PodsPerWorkload { get; }

    public int EdgesPerWorkload { get; }

    private int Step => Services / (2 * EdgesPerWorkload);

    public string Namespace(int workload) => $"ns-{workload % Namespaces}";

    public string WorkloadName(int workload) => $"app-{workload}";

    public string WorkloadKey(int workload) => $"{Namespace(workload)}/Deployment/{WorkloadName(workload)}";

    public string PodName(int workload, int replica) => $"app-{workload}-5d8f7c9b4-r{replica}";

    public string PodIp(int workload, int replica) => Ip(10, 128, (workload * PodsPerWorkload) + replica + 1);

    public string ServiceIp(int service) => Ip(10, 96, service + 1);

    public string ServiceFqdn(int service) => $"svc-{service}.{Namespace(service)}.svc.cluster.local";

    public string ServiceHost(int service) => $"{Namespace(service)}/{ServiceFqdn(service)}";

    public string NodeId(int workload, int replica) =>
        $"sidecar~{PodIp(workload, replica)}~{PodName(workload, replica)}.{Namespace(workload)}~{Namespace(workload)}.svc.cluster.local";

    /// <summary>The <paramref name="k"/>-th steady-state dependency of a workload (k &lt; EdgesPerWorkload); distinct per k.</summary>
    public int KnownService(int workload, int k) => (workload + 1 + (k * Step)) % Services;

    /// <summary>A dependency the workload does not have at steady state (distinct per k, for k &lt; EdgesPerWorkload).</summary>
    public int NewService(int workload, int k) => (workload + 1 + ((EdgesPerWorkload + k) * Step)) % Services;

    public InventorySnapshot BuildSnapshot()
    {
        var namespaces = new List<V1Namespace>();
        for (var n = 0; n < Namespaces; n++)
        {
            namespaces.Add(new V1Namespace
            {
                ApiVersion = "v1",
                Kind = "Namespace",
                Metadata = new V1ObjectMeta { Name = $"ns-{n}", Labels = new Dictionary<string, string> { ["istio-injection"] = "enabled" } },
            });
        }

        var deployments = new List<V1Deployment>(Workloads);
        var replicaSets = new List<V1ReplicaSet>(Workloads);
        var pods = new List<V1Pod>(Workloads * PodsPerWorkload);
        for (var w = 0; w < Workloads; w++)
        {
            var ns = Namespace(w);
            var name = WorkloadName(w);
            var rsName = $"{name}-5d8f7c9b4";
            var labels = new Dictionary<string, string> { ["app"] = name };
            deployments.Add(new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
                Spec = new V1DeploymentSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels } },
                },
            });
            replicaSets.Add(new V1ReplicaSet
            {
                ApiVersion = "apps/v1",
                Kind = "ReplicaSet",
                Metadata = new V1ObjectMeta
                {
                    Name = rsName,
                    NamespaceProperty = ns,
                    Labels = new Dictionary<string, string> { ["app"] = name, ["pod-template-hash"] = "5d8f7c9b4" },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name, Uid = $"uid-d-{w}", Controller = true }],
                },
                Spec = new V1ReplicaSetSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name, ["pod-template-hash"] = "5d8f7c9b4" } },
                },
            });
            for (var r = 0; r < PodsPerWorkload; r++)
            {
                pods.Add(new V1Pod
                {
                    ApiVersion = "v1",
                    Kind = "Pod",
                    Metadata = new V1ObjectMeta
                    {
                        Name = PodName(w, r),
                        NamespaceProperty = ns,
                        Labels = new Dictionary<string, string> { ["app"] = name, ["pod-template-hash"] = "5d8f7c9b4" },
                        OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = rsName, Uid = $"uid-rs-{w}", Controller = true }],
                    },
                    Status = new V1PodStatus { Phase = "Running", PodIP = PodIp(w, r) },
                });
            }
        }

        var services = new List<V1Service>(Services);
        for (var s = 0; s < Services; s++)
        {
            services.Add(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = $"svc-{s}", NamespaceProperty = Namespace(s) },
                Spec = new V1ServiceSpec
                {
                    ClusterIP = ServiceIp(s),
                    Selector = new Dictionary<string, string> { ["app"] = WorkloadName(s) },
                    Ports = [new V1ServicePort { Name = "http", Port = ServicePort, Protocol = "TCP", TargetPort = ServicePort }],
                },
            });
        }

        return new InventorySnapshot
        {
            Namespaces = namespaces,
            Deployments = deployments,
            ReplicaSets = replicaSets,
            Pods = pods,
            Services = services,
        };
    }

    /// <summary>Writes the inventory as multi-document YAML, the way <c>kubectl get -o yaml</c> output is fed to the controller.</summary>
    public void WriteInventoryYaml(string path)
    {
        var snapshot = BuildSnapshot();
        using var writer = new StreamWriter(path);
        var objects = snapshot.Namespaces.Cast<object>().Concat(snapshot.Services).Concat(snapshot.Deployments).Concat(snapshot.ReplicaSets).Concat(snapshot.Pods);
        foreach (var o in objects)
        {
            writer.WriteLine("---");
            writer.Write(KubernetesYaml.Serialize(o));
            writer.WriteLine();
        }
    }

    private static string Ip(int a, int b, int n) => $"{a}.{b + (n >> 16)}.{(n >> 8) & 255}.{n & 255}";
}
