using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Rendering;

public sealed class SidecarRendererTests
{
    private static readonly Workload ProductPage = TestWorkloads.Create(labels: [("app", "productpage"), ("version", "v1")]);

    [Fact]
    public void Renders_identity_selector_and_metadata()
    {
        var sidecar = SidecarRenderer.Render(ProductPage, ["default/reviews.default.svc.cluster.local"], [], RenderOptions.Default);

        Assert.Equal("networking.istio.io/v1", sidecar.ApiVersion);
        Assert.Equal("Sidecar", sidecar.Kind);
        Assert.Equal("lazymesh-productpage", sidecar.Metadata.Name);
        Assert.Equal("default", sidecar.Metadata.NamespaceProperty);
        Assert.Equal(
            new Dictionary<string, string> { ["app"] = "productpage", ["version"] = "v1" },
            sidecar.Spec.WorkloadSelector!.Labels!);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["app.kubernetes.io/managed-by"] = "lazymesh",
                ["lazymesh.io/workload-kind"] = "Deployment",
                ["lazymesh.io/workload-name"] = "productpage",
            },
            sidecar.Metadata.Labels);
        Assert.Equal(new Dictionary<string, string> { ["lazymesh.io/workload"] = "default/Deployment/productpage" }, sidecar.Metadata.Annotations);
        Assert.Null(sidecar.Spec.OutboundTrafficPolicy);
    }

    [Fact]
    public void Hosts_are_baseline_learned_and_static_sorted_and_deduplicated()
    {
        var sidecar = SidecarRenderer.Render(
            ProductPage,
            ["default/reviews.default.svc.cluster.local", "default/details.default.svc.cluster.local", "istio-system/*"],
            ["external/api.example.com", "default/reviews.default.svc.cluster.local", "*/*.googleapis.com"],
            RenderOptions.Default);

        var listener = Assert.Single(sidecar.Spec.Egress!);
        Assert.Equal(
            [
                "*/*.googleapis.com",
                "default/details.default.svc.cluster.local",
                "default/reviews.default.svc.cluster.local",
                "external/api.example.com",
                "istio-system/*",
            ],
            listener.Hosts);
    }

    [Fact]
    public void Sorting_is_ordinal_not_culture_or_case_insensitive()
    {
        var hosts = SidecarRenderer.Render(ProductPage, ["b/x.B.com", "b/x.a.com", "b/x.a.com", "a-b/x.y.z", "a/x.y.z"], [], RenderOptions.Default with { BaselineHosts = [] })
            .Spec.Egress![0].Hosts;

        Assert.Equal(["a-b/x.y.z", "a/x.y.z", "b/x.B.com", "b/x.a.com"], hosts);
    }

    [Fact]
    public void Baseline_defaults_to_istio_system_and_can_be_replaced_or_emptied()
    {
        Assert.Equal(["istio-system/*"], SidecarRenderer.Render(ProductPage, [], [], RenderOptions.Default).Spec.Egress![0].Hosts);

        var custom = RenderOptions.Default with { BaselineHosts = ["istio-system/*", "lazymesh/*", "./*"] };
        Assert.Equal(["./*", "istio-system/*", "lazymesh/*"], SidecarRenderer.Render(ProductPage, [], [], custom).Spec.Egress![0].Hosts);

        var none = RenderOptions.Default with { BaselineHosts = [] };
        Assert.Equal(["default/a.default.svc.cluster.local"], SidecarRenderer.Render(ProductPage, ["default/a.default.svc.cluster.local"], [], none).Spec.Egress![0].Hosts);
    }

    [Fact]
    public void Empty_host_list_renders_an_explicit_empty_list_never_an_omitted_egress()
    {
        var sidecar = SidecarRenderer.Render(ProductPage, [], [], RenderOptions.Default with { BaselineHosts = [] });

        Assert.Empty(Assert.Single(sidecar.Spec.Egress!).Hosts);
    }

    [Fact]
    public void Invalid_hosts_are_rejected_naming_each_bad_host_and_its_source()
    {
        var e = Assert.Throws<ArgumentException>(() => SidecarRenderer.Render(
            ProductPage,
            ["default/reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local"],
            ["default/reviews"],
            RenderOptions.Default));

        Assert.Contains("default/Deployment/productpage", e.Message, StringComparison.Ordinal);
        Assert.Contains("learned host \"reviews.default.svc.cluster.local\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("static host \"default/reviews\"", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"default/reviews.default.svc.cluster.local\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_baseline_host_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SidecarRenderer.Render(
            ProductPage, [], [], RenderOptions.Default with { BaselineHosts = ["Istio-System/*"] }));

        Assert.Contains("baseline host \"Istio-System/*\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selector_note_becomes_an_annotation()
    {
        var workload = TestWorkloads.Create(selectorNote: "matchExpressions ignored; selecting on pod-template-hash");

        var sidecar = SidecarRenderer.Render(workload, [], [], RenderOptions.Default);

        Assert.Equal("matchExpressions ignored; selecting on pod-template-hash", sidecar.Metadata.Annotations["lazymesh.io/selector-note"]);
    }

    [Fact]
    public void Extra_labels_and_annotations_are_added_but_cannot_override_lazymesh_keys()
    {
        var options = RenderOptions.Default with
        {
            ExtraLabels = new Dictionary<string, string> { ["team"] = "mesh", ["app.kubernetes.io/managed-by"] = "helm" },
            ExtraAnnotations = new Dictionary<string, string> { ["owner"] = "sre", ["lazymesh.io/selector-note"] = "forged" },
        };

        var sidecar = SidecarRenderer.Render(ProductPage, [], [], options);

        Assert.Equal("mesh", sidecar.Metadata.Labels["team"]);
        Assert.Equal("lazymesh", sidecar.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal("sre", sidecar.Metadata.Annotations["owner"]);
        Assert.False(sidecar.Metadata.Annotations.ContainsKey("lazymesh.io/selector-note"));
    }

    [Fact]
    public void Invalid_extra_label_value_is_rejected()
    {
        var options = RenderOptions.Default with { ExtraLabels = new Dictionary<string, string> { ["team"] = "not valid!" } };

        var e = Assert.Throws<ArgumentException>(() => SidecarRenderer.Render(ProductPage, [], [], options));
        Assert.Contains("team", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REGISTRY_ONLY")]
    [InlineData("ALLOW_ANY")]
    public void Outbound_traffic_policy_is_set_when_asked(string mode)
    {
        var sidecar = SidecarRenderer.Render(ProductPage, [], [], RenderOptions.Default with { OutboundTrafficPolicyMode = mode });

        Assert.Equal(mode, sidecar.Spec.OutboundTrafficPolicy!.Mode);
    }

    [Fact]
    public void Unknown_outbound_traffic_policy_is_rejected() =>
        Assert.Throws<ArgumentException>(() =>
            SidecarRenderer.Render(ProductPage, [], [], RenderOptions.Default with { OutboundTrafficPolicyMode = "DENY" }));

    [Fact]
    public void Workload_without_selector_labels_is_rejected()
    {
        var workload = new Workload("default", WorkloadKind.Pod, "bare");

        var e = Assert.Throws<ArgumentException>(() => SidecarRenderer.Render(workload, [], [], RenderOptions.Default));
        Assert.Contains("default/Pod/bare", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_workload_name_gets_a_valid_hashed_label_value_and_full_key_annotation()
    {
        var name = "a" + new string('b', 80) + "-x";
        var workload = TestWorkloads.Create(name: name, labels: [("app", "long")]);

        var sidecar = SidecarRenderer.Render(workload, [], [], RenderOptions.Default);

        var label = sidecar.Metadata.Labels["lazymesh.io/workload-name"];
        Assert.True(KubernetesNames.IsLabelValue(label), label);
        Assert.Equal(63, label.Length);
        Assert.StartsWith("abbb", label, StringComparison.Ordinal);
        Assert.Equal($"default/Deployment/{name}", sidecar.Metadata.Annotations["lazymesh.io/workload"]);
    }

    [Fact]
    public void Rendering_is_pure_same_inputs_give_equal_output_regardless_of_input_order()
    {
        var a = SidecarRenderer.Render(ProductPage, ["default/b.default.svc.cluster.local", "default/a.default.svc.cluster.local"], [], RenderOptions.Default);
        var b = SidecarRenderer.Render(ProductPage, ["default/a.default.svc.cluster.local", "default/b.default.svc.cluster.local"], [], RenderOptions.Default);

        Assert.Equal(ResourceYaml.Serialize(a), ResourceYaml.Serialize(b));
    }
}
