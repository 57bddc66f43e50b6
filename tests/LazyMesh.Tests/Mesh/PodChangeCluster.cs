using k8s.Models;
using LazyMesh.Inventory;
using LazyMesh.Mesh;

namespace LazyMesh.Tests.Mesh;

/// <summary>
/// A small cluster whose pods change, for <see cref="MeshIndexUpdaterTests"/>: two namespaces, each with Deployments
/// (one overlapping another's selector), a ReplicaSet without a Deployment, Services (ClusterIP, headless with a
/// named target port, selector-less) and bare pods. Pod IPs come from a small pool so that they collide.
/// </summary>
internal sealed class PodChangeCluster
{
    public static readonly string[] Namespaces = ["ns-a", "ns-b"];
    public static readonly string[] Owners = ["web", "api", "db", "cache", "canary", "batch", "bare"];
    public static readonly string[] Apps = ["web", "api", "db", "batch", "other"];

    private static readonly string[] Deployments = ["web", "api", "db", "cache", "canary"];

    private readonly SortedDictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private int _next;

    public PodChangeCluster()
    {
        foreach (var ns in Namespaces)
        {
            foreach (var owner in Deployments)
            {
                for (var i = 0; i < 2; i++)
                {
                    Add(ns, owner, $"10.0.{Array.IndexOf(Namespaces, ns)}.{(Array.IndexOf(Owners, owner) * 8) + i}");
                }
            }
        }
    }

    public IReadOnlyCollection<string> PodKeys => _pods.Keys;

    /// <summary>A new cluster and an updater holding its index built whole.</summary>
    public static (PodChangeCluster Cluster, MeshIndexUpdater Updater, MeshIndex Before) Started()
    {
        var cluster = new PodChangeCluster();
        var updater = new MeshIndexUpdater();
        return (cluster, updater, updater.Rebuild(cluster.Snapshot()));
    }

    /// <summary>The pod's current state as a change.</summary>
    public PodChange Change(string key) => new(key, _pods[key]);

    public V1Pod this[string key] => _pods[key];

    public InventorySnapshot Snapshot() => new()
    {
        Namespaces = [.. Namespaces.Select(ns => new V1Namespace { Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { ["istio-injection"] = "enabled" } } })],
        Deployments = [.. Namespaces.SelectMany(ns => Deployments.Select(d => Deployment(ns, d, d == "canary" ? Labels("web", "canary") : Labels(d))))],
        ReplicaSets =
        [
            .. Namespaces.SelectMany(ns => Deployments.Select(d => ReplicaSet(ns, $"{d}-1", d, d == "canary" ? Labels("web", "canary") : Labels(d)))),
            .. Namespaces.Select(ns => ReplicaSet(ns, "batch-1", null, Labels("batch"))),
        ],
        Services =
        [
            .. Namespaces.SelectMany(ns => new[]
            {
                Service(ns, "web", "10.96.0." + (Array.IndexOf(Namespaces, ns) * 10), Labels("web"), "8080"),
                Service(ns, "api", "10.96.0." + ((Array.IndexOf(Namespaces, ns) * 10) + 1), Labels("api"), null),
                Service(ns, "api-headless", "None", Labels("api"), "http"),
                Service(ns, "db", "10.96.0." + ((Array.IndexOf(Namespaces, ns) * 10) + 3), Labels("db"), "8080"),
                Service(ns, "external", "10.96.0." + ((Array.IndexOf(Namespaces, ns) * 10) + 2), null, null),
            }),
        ],
        Pods = [.. _pods.Values],
    };

    /// <summary>A new pod of <paramref name="owner"/> (an index into <see cref="Owners"/>); returns its key.</summary>
    public string Add(string ns, string owner, string? ip, string phase = "Running", bool ready = true)
    {
        var name = $"{owner}-1-{_next++:x4}";
        var labels = owner switch
        {
            "canary" => Labels("web", "canary"),
            "bare" => Labels("other"),
            _ => Labels(owner),
        };
        labels["pod-template-hash"] = "1";
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = labels,
                CreationTimestamp = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(_next),
                OwnerReferences = owner == "bare" ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = $"{owner}-1", Uid = $"uid-{owner}", Controller = true }],
            },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container { Name = "app", Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http" }] },
                    new V1Container { Name = ProxyKinds.ProxyContainer },
                ],
            },
        };
        _pods[$"{ns}/{name}"] = pod;
        SetStatus(pod, ip, phase, ready);
        return $"{ns}/{name}";
    }

    public void Delete(string key) => _pods.Remove(key);

    public static void SetStatus(V1Pod pod, string? ip, string phase, bool ready) =>
        pod.Status = new V1PodStatus
        {
            Phase = phase,
            PodIP = ip,
            PodIPs = ip is null ? null : [new V1PodIP { Ip = ip }],
            Conditions = [new V1PodCondition { Status = "True", Type = "PodScheduled" }, new V1PodCondition { Status = ready ? "True" : "False", Type = "Ready" }],
        };

    /// <summary>A copy of the pod (informers hand out new objects; the index must not see edits to old ones).</summary>
    public V1Pod Replace(string key, Action<V1Pod> edit)
    {
        var old = _pods[key];
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = old.Metadata.Name,
                NamespaceProperty = old.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(old.Metadata.Labels),
                CreationTimestamp = old.Metadata.CreationTimestamp,
                OwnerReferences = old.Metadata.OwnerReferences,
            },
            Spec = new V1PodSpec { Containers = old.Spec.Containers, HostNetwork = old.Spec.HostNetwork },
            Status = old.Status,
        };
        edit(pod);
        _pods[key] = pod;
        return pod;
    }

    private static Dictionary<string, string> Labels(string app, string? track = null)
    {
        var labels = new Dictionary<string, string> { ["app"] = app };
        if (track is not null)
        {
            labels["track"] = track;
        }

        return labels;
    }

    private static V1Deployment Deployment(string ns, string name, Dictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = new Dictionary<string, string> { ["team"] = name } },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = labels },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels } },
        },
    };

    private static V1ReplicaSet ReplicaSet(string ns, string name, string? deployment, Dictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            OwnerReferences = deployment is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment, Uid = $"uid-{deployment}", Controller = true }],
        },
        Spec = new V1ReplicaSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(labels) { ["pod-template-hash"] = "1" } },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels } },
        },
    };

    private static V1Service Service(string ns, string name, string clusterIp, Dictionary<string, string>? selector, string? targetPort) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec
        {
            ClusterIP = clusterIp,
            Selector = selector,
            Ports = [targetPort is null ? new V1ServicePort { Name = "http", Port = 80 } : new V1ServicePort { Name = "http", Port = 80, TargetPort = targetPort }],
        },
    };
}
