using System.Text.Json.Nodes;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Rendering;

public sealed class ResourceYamlTests
{
    private static SidecarResource Render() => SidecarRenderer.Render(
        TestWorkloads.Create(selectorNote: "no selector: using pod labels", labels: [("version", "v1"), ("app", "productpage")]),
        ["default/reviews.default.svc.cluster.local", "default/details.default.svc.cluster.local"],
        ["external/api.example.com"],
        RenderOptions.Default);

    [Fact]
    public void Rendered_sidecar_has_the_exact_expected_text()
    {
        const string expected = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: lazymesh-productpage
              namespace: default
              annotations:
                lazymesh.io/selector-note: 'no selector: using pod labels'
                lazymesh.io/workload: default/Deployment/productpage
              labels:
                app.kubernetes.io/managed-by: lazymesh
                lazymesh.io/workload-kind: Deployment
                lazymesh.io/workload-name: productpage
            spec:
              egress:
              - hosts:
                - default/details.default.svc.cluster.local
                - default/reviews.default.svc.cluster.local
                - external/api.example.com
                - istio-system/*
              workloadSelector:
                labels:
                  app: productpage
                  version: v1

            """;

        Assert.Equal(expected.ReplaceLineEndings("\n"), ResourceYaml.Serialize(Render()));
    }

    [Fact]
    public void Same_object_twice_gives_byte_identical_text_with_lf_line_endings()
    {
        var first = ResourceYaml.SerializeToUtf8(Render());
        var second = ResourceYaml.SerializeToUtf8(Render());

        Assert.Equal(first, second);
        Assert.DoesNotContain((byte)'\r', first);
        Assert.NotEqual(0xEF, first[0]);
    }

    [Fact]
    public void Map_keys_are_sorted_whatever_the_insertion_order()
    {
        static SidecarResource With(params string[] keys) => new()
        {
            Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "default", Labels = keys.ToDictionary(k => k, k => "v") },
            Spec = new SidecarSpec { WorkloadSelector = new WorkloadSelector { Labels = keys.Reverse().ToDictionary(k => k, k => "v") } },
        };

        var a = ResourceYaml.Serialize(With("b", "a", "c", "B"));
        var b = ResourceYaml.Serialize(With("c", "B", "a", "b"));

        Assert.Equal(a, b);
        Assert.Contains("labels:\n    B: v\n    a: v\n    b: v\n    c: v\n", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Nulls_are_not_emitted()
    {
        var yaml = ResourceYaml.Serialize(new SidecarResource { Metadata = new V1ObjectMeta { Name = "x" } });

        Assert.Equal("apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: x\nspec: {}\n", yaml);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("-7")]
    [InlineData("1.5")]
    [InlineData(".5")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData(".inf")]
    [InlineData("2024-01-01")]
    [InlineData("- a")]
    [InlineData("a: b")]
    [InlineData("#x")]
    [InlineData("*/*")]
    [InlineData("line one\nline two")]
    [InlineData(" padded ")]
    public void Strings_that_look_like_other_types_round_trip_as_strings(string value)
    {
        var sidecar = new SidecarResource
        {
            Metadata = new V1ObjectMeta { Name = "x", Annotations = new Dictionary<string, string> { ["v"] = value } },
            Spec = new SidecarSpec { Egress = [new IstioEgressListener { Hosts = [value] }] },
        };

        var parsed = YamlJson.Parse(ResourceYaml.Serialize(sidecar))!;

        Assert.Equal(value, parsed["metadata"]!["annotations"]!["v"]!.GetValue<string>());
        Assert.Equal(value, parsed["spec"]!["egress"]![0]!["hosts"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Numbers_and_booleans_stay_typed()
    {
        var node = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "X", ["spec"] = new JsonObject { ["port"] = 9080, ["on"] = true, ["ratio"] = 0.5 } };

        var yaml = ResourceYaml.SerializeNode(node);

        Assert.Equal("apiVersion: v1\nkind: X\nspec:\n  \"on\": true\n  port: 9080\n  ratio: 0.5\n", yaml);
        Assert.True(JsonNode.DeepEquals(node, YamlJson.Parse(yaml)));
    }

    [Fact]
    public void Multi_document_output_separates_documents_and_parses_back()
    {
        var a = Render();
        var b = SidecarRenderer.Render(TestWorkloads.Create(name: "reviews"), [], [], RenderOptions.Default);

        var text = ResourceYaml.SerializeAll([a, b]);

        Assert.Equal(ResourceYaml.Serialize(a) + "---\n" + ResourceYaml.Serialize(b), text);
        var docs = YamlJson.ParseAll(text);
        Assert.Equal(["lazymesh-productpage", "lazymesh-reviews"], docs.Select(d => d!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Header_comment_precedes_the_first_document()
    {
        var text = ResourceYaml.SerializeAll([Render()], "Generated by LazyMesh\ndo not edit");

        Assert.StartsWith("# Generated by LazyMesh\n# do not edit\n---\napiVersion: networking.istio.io/v1\n", text, StringComparison.Ordinal);
        Assert.Single(YamlJson.ParseAll(text));
    }

    [Fact]
    public void Empty_input_gives_empty_output() => Assert.Equal(string.Empty, ResourceYaml.SerializeAll([]));
}
