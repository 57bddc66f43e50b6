using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Rendering;

public sealed class IstioCrdValidationTests
{
    private const string ValidSidecar = """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata:
          name: lazymesh-productpage
          namespace: default
        spec:
          workloadSelector:
            labels:
              app: productpage
          egress:
          - hosts:
            - istio-system/*
            - default/reviews.default.svc.cluster.local
          outboundTrafficPolicy:
            mode: REGISTRY_ONLY
        """;

    [Fact]
    public void Rendered_sidecars_validate()
    {
        Workload[] workloads =
        [
            TestWorkloads.Create(selectorNote: "note", labels: [("app", "productpage"), ("version", "v1")]),
            TestWorkloads.Create(kind: WorkloadKind.StatefulSet, name: new string('s', 300), labels: [("app", "db")]),
        ];

        foreach (var workload in workloads)
        {
            var sidecar = SidecarRenderer.Render(
                workload,
                ["default/reviews.default.svc.cluster.local", "*/*.example.com"],
                ["~/*"],
                RenderOptions.Default with { OutboundTrafficPolicyMode = "ALLOW_ANY" });

            Assert.Empty(IstioCrdSchemas.ValidateObject("Sidecar", sidecar));
        }
    }

    [Fact]
    public void Hand_written_sidecar_validates_as_yaml_and_as_json()
    {
        Assert.Empty(IstioCrdSchemas.Validate("Sidecar", ValidSidecar));
        Assert.Empty(IstioCrdSchemas.Validate("Sidecar", YamlJson.Parse(ValidSidecar)!.ToJsonString()));
    }

    [Theory]
    [InlineData("hosts:\n    - istio-system/*\n    - default/reviews.default.svc.cluster.local", "hosts: istio-system/*", "ArrayExpected")]
    [InlineData("hosts:\n    - istio-system/*\n    - default/reviews.default.svc.cluster.local", "port:\n      number: 80", "PropertyRequired")]
    [InlineData("egress:\n  - hosts:", "egres:\n  - hosts:", "NoAdditionalPropertiesAllowed")]
    [InlineData("mode: REGISTRY_ONLY", "mode: DENY", "NotInEnumeration")]
    [InlineData("app: productpage", "app: 123", "StringExpected")]
    [InlineData("app: productpage", "app: productpage-0123456789012345678901234567890123456789012345678901234567890", "StringTooLong")]
    [InlineData("name: lazymesh-productpage", "name: LazyMesh_ProductPage", "PatternMismatch")]
    [InlineData("apiVersion: networking.istio.io/v1", "apiVersion: networking.istio.io/v2", "has no version v2")]
    [InlineData("apiVersion: networking.istio.io/v1", "apiVersion: v1", "NotInEnumeration")]
    [InlineData("kind: Sidecar", "kind: Gateway", "NotInEnumeration")]
    public void Broken_sidecars_fail_validation(string from, string to, string expectedKind)
    {
        var broken = ValidSidecar.ReplaceLineEndings("\n").Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(ValidSidecar.ReplaceLineEndings("\n"), broken);

        var errors = IstioCrdSchemas.Validate("Sidecar", broken);

        Assert.Contains(errors, e => e.Contains(expectedKind, StringComparison.Ordinal));
    }

    [Fact]
    public void Other_metadata_fields_are_accepted() =>
        Assert.Empty(IstioCrdSchemas.Validate("Sidecar", ValidSidecar.Replace("namespace: default", "namespace: default\n  generation: 3", StringComparison.Ordinal)));

    [Fact]
    public void Unknown_fields_under_preserved_status_are_accepted() =>
        Assert.Empty(IstioCrdSchemas.Validate("Sidecar", ValidSidecar + "\nstatus:\n  anything: [1, 2]\n"));

    [Fact]
    public void Other_kinds_validate_through_the_same_helper()
    {
        var serviceEntry = new ServiceEntryResource
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "external-api", NamespaceProperty = "default" },
            Spec = new ServiceEntrySpec
            {
                Hosts = ["api.example.com"],
                Ports = [new ServiceEntryPort { Number = 443, Name = "https", Protocol = "TLS" }],
                Location = "MESH_EXTERNAL",
                Resolution = "DNS",
            },
        };

        Assert.Empty(IstioCrdSchemas.ValidateObject("ServiceEntry", serviceEntry));

        serviceEntry.Spec.Resolution = "MAGIC";
        Assert.Contains(IstioCrdSchemas.ValidateObject("ServiceEntry", serviceEntry), e => e.Contains("NotInEnumeration", StringComparison.Ordinal));
        Assert.NotNull(IstioCrdSchemas.SchemaFor("networking.istio.io", "EnvoyFilter", "v1alpha3"));
    }

    [Fact]
    public void Unknown_kind_or_version_is_reported() =>
        Assert.Throws<ArgumentException>(() => IstioCrdSchemas.SchemaFor("networking.istio.io", "Sidecar", "v9"));
}
