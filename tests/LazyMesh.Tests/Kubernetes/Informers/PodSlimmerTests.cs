using k8s;
using k8s.Models;
using LazyMesh.Inventory;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Mesh;

namespace LazyMesh.Tests.Kubernetes.Informers;

public sealed class PodSlimmerTests
{
    [Fact]
    public void Keeps_what_the_index_reads_and_drops_the_rest()
    {
        var pod = FullPod();

        var slim = PodSlimmer.Slim(pod);

        Assert.Equal("web-abc-0", slim.Metadata.Name);
        Assert.Equal("shop", slim.Metadata.NamespaceProperty);
        Assert.Null(slim.Metadata.Uid); // read by nothing: see PodSlimmer.WithoutUid
        Assert.Equal("42", slim.Metadata.ResourceVersion);
        Assert.Equal("web", slim.Metadata.Labels["app"]);
        Assert.Equal("false", slim.Metadata.Annotations["lazymesh.io/enabled"]);
        Assert.False(slim.Metadata.Annotations.ContainsKey(MetadataSlimmer.LastAppliedAnnotation));
        Assert.Null(slim.Metadata.ManagedFields);
        Assert.Equal("web-abc", Assert.Single(slim.Metadata.OwnerReferences).Name);
        Assert.True(slim.Metadata.OwnerReferences[0].Controller);
        Assert.Equal(pod.Metadata.CreationTimestamp, slim.Metadata.CreationTimestamp);
        Assert.Equal(pod.Metadata.DeletionTimestamp, slim.Metadata.DeletionTimestamp);
        Assert.True(slim.Spec.HostNetwork);
        Assert.Equal("web", slim.Spec.ServiceAccountName);
        // The app's named ports, and the istio-proxy container (name only: no "router" argument, so a sidecar, not a gateway).
        Assert.Equal(["app", "istio-proxy"], slim.Spec.Containers.Select(static c => c.Name));
        Assert.Null(slim.Spec.Containers[1].Args);
        Assert.Null(slim.Spec.Containers[1].Image);
        Assert.Equal(LazyMesh.Mesh.ProxyKind.Sidecar, LazyMesh.Mesh.ProxyKinds.Of(slim));
        var container = slim.Spec.Containers[0];
        Assert.Equal(("http", 8080), (container.Ports[0].Name, container.Ports[0].ContainerPort));
        Assert.Null(container.Image);
        Assert.Null(container.Env);
        Assert.Null(slim.Spec.Volumes);
        Assert.Equal("Running", slim.Status.Phase);
        Assert.Equal("10.0.0.1", slim.Status.PodIP);
        Assert.Equal(["10.0.0.1", "fd00::1"], slim.Status.PodIPs.Select(p => p.Ip));
        Assert.Equal(("Ready", "True"), (Assert.Single(slim.Status.Conditions).Type, slim.Status.Conditions[0].Status));
        Assert.Null(slim.Status.ContainerStatuses);
    }

    [Fact]
    public void The_index_built_from_slim_pods_equals_the_one_from_full_pods()
    {
        var pod = FullPod();
        pod.Spec.HostNetwork = false;
        pod.Metadata.DeletionTimestamp = null;
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop" },
            Spec = new V1ServiceSpec { ClusterIP = "None", Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 80, TargetPort = "http" }] },
        };

        var full = MeshIndexBuilder.Build(new InventorySnapshot { Pods = [pod], Services = [service] });
        var slim = MeshIndexBuilder.Build(new InventorySnapshot { Pods = [PodSlimmer.Slim(pod)], Services = [service] });

        Assert.True(IpKey.TryParse("10.0.0.1", out var ip));
        Assert.Equal(full.FindPod(ip, out var fullPod), slim.FindPod(ip, out var slimPod));
        Assert.Equal((fullPod!.Workload.Key, fullPod.Ready, fullPod.Phase), (slimPod!.Workload.Key, slimPod.Ready, slimPod.Phase));
        Assert.Equal(("web", "web"), (fullPod.ServiceAccount, slimPod.ServiceAccount));
        Assert.Equal(full.FindByAddress(ip, 8080)?.Host, slim.FindByAddress(ip, 8080)?.Host);
        Assert.NotNull(slim.FindByAddress(ip, 8080));
        Assert.Equal(full.Warnings, slim.Warnings);
    }

    [Fact]
    public void A_realistic_pod_shrinks_to_a_fraction_of_its_size()
    {
        var pod = FullPod();

        var fullBytes = KubernetesJson.Serialize(pod).Length;
        var slimBytes = KubernetesJson.Serialize(PodSlimmer.Slim(pod)).Length;

        Assert.True(slimBytes * 3 < fullBytes, $"{slimBytes} of {fullBytes} bytes");
    }

    [Fact]
    public void Workload_slimming_keeps_the_selector()
    {
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web-abc", NamespaceProperty = "shop", ManagedFields = [new V1ManagedFieldsEntry { Manager = "kube" }] },
            Spec = new V1ReplicaSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "x" }] } },
            },
        };

        var slim = WorkloadSlimmer.Slim(rs);

        Assert.Equal("web", slim.Spec.Selector.MatchLabels["app"]);
        Assert.Null(slim.Spec.Template);
        Assert.Null(slim.Metadata.ManagedFields);
    }

    internal static V1Pod FullPod() => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = "web-abc-0",
            NamespaceProperty = "shop",
            Uid = "uid-1",
            ResourceVersion = "42",
            CreationTimestamp = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            DeletionTimestamp = new DateTime(2024, 1, 3, 3, 4, 5, DateTimeKind.Utc),
            Labels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "abc" },
            Annotations = new Dictionary<string, string>
            {
                ["lazymesh.io/enabled"] = "false",
                [MetadataSlimmer.LastAppliedAnnotation] = new string('x', 2000),
                ["sidecar.istio.io/status"] = "{\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"]}",
            },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-abc", Uid = "rs-uid", Controller = true, BlockOwnerDeletion = true }],
            ManagedFields = [new V1ManagedFieldsEntry { Manager = "kube-controller-manager", Operation = "Update", FieldsType = "FieldsV1", FieldsV1 = new string('f', 3000) }],
        },
        Spec = new V1PodSpec
        {
            HostNetwork = true,
            NodeName = "node-1",
            ServiceAccountName = "web",
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "registry.example/web:1.2.3",
                    Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080, Protocol = "TCP" }],
                    Env = Enumerable.Range(0, 20).Select(i => new V1EnvVar { Name = $"VAR_{i}", Value = $"value-{i}" }).ToList(),
                    Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") } },
                    VolumeMounts = [new V1VolumeMount { Name = "token", MountPath = "/var/run/secrets/kubernetes.io/serviceaccount" }],
                },
                new V1Container
                {
                    Name = "istio-proxy",
                    Image = "docker.io/istio/proxyv2:1.24.0",
                    Args = ["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning"],
                    Env = Enumerable.Range(0, 25).Select(i => new V1EnvVar { Name = $"ISTIO_META_{i}", Value = $"istio-value-{i}" }).ToList(),
                },
            ],
            Volumes = [new V1Volume { Name = "token", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = 3607 } }] } }],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "10.0.0.1",
            PodIPs = [new V1PodIP { Ip = "10.0.0.1" }, new V1PodIP { Ip = "fd00::1" }],
            HostIP = "192.168.1.10",
            Conditions =
            [
                new V1PodCondition { Type = "Initialized", Status = "True" },
                new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = DateTime.UtcNow },
                new V1PodCondition { Type = "ContainersReady", Status = "True" },
            ],
            ContainerStatuses =
            [
                new V1ContainerStatus { Name = "app", Image = "registry.example/web:1.2.3", ImageID = "sha256:" + new string('a', 64), Ready = true, RestartCount = 0, ContainerID = "containerd://" + new string('b', 64) },
                new V1ContainerStatus { Name = "istio-proxy", Image = "docker.io/istio/proxyv2:1.24.0", ImageID = "sha256:" + new string('c', 64), Ready = true, RestartCount = 0 },
            ],
        },
    };
}
