using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.Informers.Wire;

namespace LazyMesh.Tests.Kubernetes.Informers;

/// <summary>The slim wire models give the very objects the slimmers make of the whole ones.</summary>
public sealed class SlimWireTests
{
    [Fact]
    public void A_pod_read_slim_equals_the_slimmed_whole_pod()
    {
        var json = KubernetesJson.Serialize(PodSlimmerTests.FullPod());

        AssertSameSlimPod(json);
        // Spot checks that the comparison compares something.
        var pod = KubernetesJson.Deserialize<WirePod>(json).ToPod();
        Assert.Equal(["10.0.0.1", "fd00::1"], pod.Status.PodIPs.Select(p => p.Ip));
        Assert.Equal("web-abc", Assert.Single(pod.Metadata.OwnerReferences).Name);
        Assert.False(pod.Metadata.Annotations.ContainsKey(MetadataSlimmer.LastAppliedAnnotation));
    }

    [Fact]
    public void A_gateway_pod_with_a_native_proxy_and_the_old_service_account_field_reads_the_same()
    {
        var full = PodSlimmerTests.FullPod();
        full.Spec.ServiceAccountName = null;
        full.Spec.ServiceAccount = "legacy";
        full.Spec.HostNetwork = null;
        full.Spec.Containers[1].Args = ["proxy", "router", "--domain", "x"];
        full.Spec.Containers.Add(new V1Container { Name = "no-ports", Image = "x" });
        full.Spec.InitContainers = [new V1Container { Name = "istio-init", Image = "init" }, new V1Container { Name = "istio-proxy", Image = "proxy", RestartPolicy = "Always" }];
        full.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }];
        full.Metadata.Annotations = new Dictionary<string, string> { [MetadataSlimmer.LastAppliedAnnotation] = "{}" };
        var json = KubernetesJson.Serialize(full);

        var pod = AssertSameSlimPod(json);

        Assert.Equal("legacy", pod.Spec.ServiceAccountName);
        Assert.Equal(["router"], pod.Spec.Containers[1].Args);
        Assert.Equal("istio-proxy", Assert.Single(pod.Spec.InitContainers).Name);
        Assert.Null(pod.Status.Conditions);
        Assert.Null(pod.Metadata.Annotations);
    }

    [Fact]
    public void A_pod_with_almost_nothing_reads_the_same()
    {
        var pod = AssertSameSlimPod("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bare","namespace":"shop"}}""");

        Assert.Null(pod.Status);
        Assert.Null(pod.Spec.Containers);
    }

    [Fact]
    public void Fields_the_model_does_not_know_are_skipped_at_every_level()
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(PodSlimmerTests.FullPod()))!;
        JsonNode Unknown() => JsonNode.Parse("""{"nested":[1,"two",{"three":null,"four":[[]]}],"flag":true}""")!;
        node["futureField"] = Unknown();
        node["metadata"]!["futureField"] = Unknown();
        node["metadata"]!["ownerReferences"]![0]!["futureField"] = Unknown();
        node["spec"]!["futureField"] = Unknown();
        node["spec"]!["containers"]![0]!["futureField"] = Unknown();
        node["spec"]!["containers"]![0]!["ports"]![0]!["futureField"] = Unknown();
        node["status"]!["futureField"] = Unknown();
        node["status"]!["podIPs"]![0]!["futureField"] = Unknown();
        var json = node.ToJsonString();

        var pod = AssertSameSlimPod(json);

        Assert.Equal(KubernetesJson.Serialize(PodSlimmer.Slim(PodSlimmerTests.FullPod())), KubernetesJson.Serialize(pod));
    }

    [Fact]
    public void Workloads_read_slim_equal_the_slimmed_whole_ones()
    {
        var labels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "abc" };
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels, Annotations = new Dictionary<string, string> { ["a"] = "b" } },
            Spec = PodSlimmerTests.FullPod().Spec,
        };
        var metadata = PodSlimmerTests.FullPod().Metadata;
        var selector = new V1LabelSelector
        {
            MatchLabels = labels,
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["a", "b"] }],
        };
        var rs = new V1ReplicaSet { ApiVersion = "apps/v1", Kind = "ReplicaSet", Metadata = metadata, Spec = new V1ReplicaSetSpec { Selector = selector, Replicas = 3, Template = template } };
        var deployment = new V1Deployment { ApiVersion = "apps/v1", Kind = "Deployment", Metadata = metadata, Spec = new V1DeploymentSpec { Selector = selector, Replicas = 2, Template = template } };
        var bare = new V1ReplicaSet { Metadata = new V1ObjectMeta { Name = "bare", NamespaceProperty = "shop" }, Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector() } };

        AssertSame<V1ReplicaSet, WireWorkload, V1ReplicaSet>(rs, WorkloadSlimmer.Slim, w => w.ToReplicaSet());
        AssertSame<V1ReplicaSet, WireWorkload, V1ReplicaSet>(bare, WorkloadSlimmer.Slim, w => w.ToReplicaSet());
        AssertSame<V1Deployment, WireWorkload, V1Deployment>(deployment, WorkloadSlimmer.Slim, w => w.ToDeployment());
        var slim = KubernetesJson.Deserialize<WireWorkload>(KubernetesJson.Serialize(rs)).ToReplicaSet();
        Assert.Equal("tier", Assert.Single(slim.Spec.Selector.MatchExpressions).Key);
        Assert.Equal(labels, slim.Spec.Template.Metadata.Labels);
        Assert.Null(slim.Spec.Template.Spec);
    }

    [Fact]
    public void A_service_read_slim_equals_the_one_with_slimmed_metadata()
    {
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = PodSlimmerTests.FullPod().Metadata,
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = "10.96.0.10",
                ClusterIPs = ["10.96.0.10", "fd00::10"],
                Selector = new Dictionary<string, string> { ["app"] = "web" },
                Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http", Protocol = "TCP", AppProtocol = "http" }, new V1ServicePort { Name = "grpc", Port = 9090, TargetPort = 9090 }],
                ExternalName = "x.example",
                SessionAffinity = "None",
            },
            Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "1.2.3.4" }] } },
        };

        AssertSame<V1Service, WireService, V1Service>(service, MetadataSlimmer.Slim, w => w.ToService());
    }

    [Fact]
    public void Repeated_strings_are_read_into_one_copy()
    {
        var json = KubernetesJson.Serialize(PodSlimmerTests.FullPod());

        var a = KubernetesJson.Deserialize<WirePod>(json).ToPod();
        var b = KubernetesJson.Deserialize<WirePod>(json).ToPod();

        Assert.Same(a.Metadata.Labels["app"], b.Metadata.Labels["app"]);
        Assert.Same(a.Metadata.Annotations["sidecar.istio.io/status"], b.Metadata.Annotations["sidecar.istio.io/status"]);
        Assert.Same(a.Metadata.NamespaceProperty, b.Metadata.NamespaceProperty);
        Assert.Same(a.Metadata.OwnerReferences[0].Name, b.Metadata.OwnerReferences[0].Name);
        // Per-object values are not pooled.
        Assert.NotSame(a.Metadata.ResourceVersion, b.Metadata.ResourceVersion);
        Assert.NotSame(a.Status.PodIP, b.Status.PodIP);
    }

    [Fact]
    public void Pods_of_one_workload_share_their_repeated_parts_and_different_ones_do_not()
    {
        var first = PodSlimmerTests.FullPod();
        var second = PodSlimmerTests.FullPod();
        second.Metadata.Name = "web-abc-1";
        second.Metadata.Uid = "uid-2";
        second.Status.PodIP = "10.0.0.2";
        var other = PodSlimmerTests.FullPod();
        other.Metadata.Labels = new Dictionary<string, string> { ["pod-template-hash"] = "abc", ["app"] = "web" };
        other.Spec.Containers[0].Ports[0].ContainerPort = 8081;
        other.Metadata.OwnerReferences[0].Uid = "rs-uid-2";

        var a = KubernetesJson.Deserialize<WirePod>(KubernetesJson.Serialize(first)).ToPod();
        var b = KubernetesJson.Deserialize<WirePod>(KubernetesJson.Serialize(second)).ToPod();
        var c = AssertSameSlimPod(KubernetesJson.Serialize(other));

        Assert.Same(a.Spec, b.Spec);
        Assert.Same(a.Metadata.Labels, b.Metadata.Labels);
        Assert.Same(a.Metadata.Annotations, b.Metadata.Annotations);
        Assert.Same(a.Metadata.OwnerReferences, b.Metadata.OwnerReferences);
        Assert.Same(a.Status.Conditions, b.Status.Conditions);
        Assert.NotSame(a.Status, b.Status);
        Assert.Equal("10.0.0.2", b.Status.PodIP);
        // The same labels in another order, another port, another owner: not shared, and read as written.
        Assert.NotSame(a.Metadata.Labels, c.Metadata.Labels);
        Assert.Equal(["pod-template-hash", "app"], c.Metadata.Labels.Keys);
        Assert.NotSame(a.Spec, c.Spec);
        Assert.Equal(8081, c.Spec.Containers[0].Ports[0].ContainerPort);
        Assert.NotSame(a.Metadata.OwnerReferences, c.Metadata.OwnerReferences);
        Assert.Equal("rs-uid-2", c.Metadata.OwnerReferences[0].Uid);
    }

    [Fact]
    public void Escaped_and_long_strings_read_as_written()
    {
        var pod = PodSlimmerTests.FullPod();
        pod.Metadata.Labels["quote"] = "a\"b\\c\u00e9\u2603";
        pod.Metadata.Annotations["long"] = new string('z', WireStrings.MaxLength + 10);

        var slim = AssertSameSlimPod(KubernetesJson.Serialize(pod));

        Assert.Equal("a\"b\\c\u00e9\u2603", slim.Metadata.Labels["quote"]);
        Assert.Equal(WireStrings.MaxLength + 10, slim.Metadata.Annotations["long"].Length);
    }

    [Fact]
    public void A_label_that_is_not_a_string_is_a_json_error_naming_where()
    {
        var e = Assert.ThrowsAny<JsonException>(() =>
            KubernetesJson.Deserialize<WirePod>("""{"metadata":{"name":"x","labels":{"app":3}}}"""));

        Assert.Contains("$.metadata.labels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Container_arguments_are_read_as_written_into_one_copy_each()
    {
        const string Json = """{"name":"istio-proxy","args":["proxy","router",null,"--domain"]}""";

        var a = KubernetesJson.Deserialize<WireContainer>(Json);
        var b = KubernetesJson.Deserialize<WireContainer>(Json);

        Assert.Equal(new string?[] { "proxy", "router", null, "--domain" }, a.Args);
        Assert.Same(a.Args![3], b.Args![3]);
        Assert.Equal(["router"], a.ToContainer().Args);
    }

    [Fact]
    public void Arguments_that_are_not_a_list_of_strings_are_a_json_error_naming_where()
    {
        foreach (var args in new[] { "\"x\"", "[3]" })
        {
            var e = Assert.ThrowsAny<JsonException>(() =>
                KubernetesJson.Deserialize<WirePod>("""{"spec":{"containers":[{"name":"a","args":""" + args + "}]}}"));

            Assert.Contains("$.spec.containers[0].args", e.Message, StringComparison.Ordinal);
        }
    }

    private static V1Pod AssertSameSlimPod(string json)
    {
        var expected = PodSlimmer.Slim(KubernetesJson.Deserialize<V1Pod>(json));
        var actual = KubernetesJson.Deserialize<WirePod>(json).ToPod();
        Assert.Equal(KubernetesJson.Serialize(expected), KubernetesJson.Serialize(actual));
        return actual;
    }

    private static void AssertSame<TFull, TWire, TSlim>(TFull whole, Func<TFull, TSlim> slimmer, Func<TWire, TSlim> convert)
    {
        var json = KubernetesJson.Serialize(whole!);
        var expected = slimmer(KubernetesJson.Deserialize<TFull>(json));
        var actual = convert(KubernetesJson.Deserialize<TWire>(json));
        Assert.Equal(KubernetesJson.Serialize(expected!), KubernetesJson.Serialize(actual!));
    }
}
