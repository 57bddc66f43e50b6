using LazyMesh.Cli;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Cli;

public sealed class CrdCommandTests
{
    private const string Valid = """
        apiVersion: lazymesh.io/v1alpha1
        kind: LazySidecar
        metadata:
          name: productpage-v1
          namespace: bookinfo
        spec:
          workload: {kind: Deployment, name: productpage-v1}
          workloadSelector:
            labels: {app: productpage, version: v1}
          staticHosts: [istio-system/*]
          ttl: 168h
        status:
          sidecarName: lazymesh-productpage-v1
          hostCount: 1
          learnedHosts:
          - host: bookinfo/details.bookinfo.svc.cluster.local
            firstSeen: "2026-11-24T00:00:00Z"
            lastSeen: "2026-11-24T01:00:00Z"
          conditions:
          - type: Ready
            status: "True"
            reason: Applied
            message: Sidecar is up to date
            lastTransitionTime: "2026-11-24T01:00:00Z"
        """;

    [Fact]
    public void The_manifest_is_a_crd_for_lazysidecars_with_status_and_printer_columns()
    {
        var crd = YamlJson.Parse(CrdCommand.Manifest())!;
        Assert.Equal("lazysidecars.lazymesh.io", crd["metadata"]!["name"]!.GetValue<string>());
        var version = crd["spec"]!["versions"]![0]!;
        Assert.Equal("v1alpha1", version["name"]!.GetValue<string>());
        Assert.NotNull(version["subresources"]!["status"]);
        Assert.Contains("Hosts", version["additionalPrinterColumns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void A_lazysidecar_validates_and_broken_ones_do_not()
    {
        Assert.Empty(IstioCrdSchemas.Validate("lazymesh.io", "LazySidecar", "v1alpha1", Valid));
        Assert.NotEmpty(IstioCrdSchemas.Validate("lazymesh.io", "LazySidecar", "v1alpha1", Valid.Replace("ttl: 168h", "ttl: a week")));
        Assert.NotEmpty(IstioCrdSchemas.Validate("lazymesh.io", "LazySidecar", "v1alpha1", Valid.Replace("kind: Deployment", "kind: Gadget")));
        Assert.NotEmpty(IstioCrdSchemas.Validate("lazymesh.io", "LazySidecar", "v1alpha1", Valid.Replace("status: \"True\"", "status: Maybe")));
    }
}
