using LazyMesh.AccessLogs;
using LazyMesh.Inventory;
using LazyMesh.Mesh;

namespace LazyMesh.Tests.Fuzzing;

/// <summary>Every input a fuzz run found to throw something undocumented, minimised, kept as a regression test (docs/security.md).</summary>
public sealed class FuzzFindingsTests
{
    /// <summary>YamlDotNet 18.1.0's scanner throws InvalidOperationException (an empty stack) on these 5 bytes.</summary>
    private const string YamlScannerCrash = ": {\nm";

    [Fact]
    public void Yaml_that_crashes_yamldotnets_scanner_is_an_inventory_error_naming_the_file()
    {
        var e = Assert.Throws<InventoryException>(() => InventoryLoader.LoadText(YamlScannerCrash, "crash.yaml"));

        Assert.StartsWith("crash.yaml:", e.Message, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_that_crashes_yamldotnets_scanner_is_an_inventory_error_in_a_mesh_config_too()
    {
        var e = Assert.Throws<InventoryException>(() => MeshConfigParser.Parse("rootNamespace: x\nmeshNetworks" + YamlScannerCrash, "mesh.yaml"));

        Assert.StartsWith("mesh.yaml:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_log_format_labels_with_a_duplicate_key_are_a_format_error()
    {
        var e = Assert.Throws<AccessLogFormatException>(() => AccessLogFormatLoader.Load(["{\"time\":\"%START_TIME%\",\"time\":\"%START_TIME%\"}"]));

        Assert.Contains("not a JSON object of labels", e.Message, StringComparison.Ordinal);
        Assert.Contains("time", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_list_item_skips_the_object_with_a_warning_instead_of_crashing_the_mesh_index()
    {
        var text = "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec:\n  clusterIP: 10.96.0.9\n  ports:\n  - {name: http, port: 80}\n  - \n";

        var snapshot = InventoryLoader.LoadText(text, "svc.yaml");
        var index = MeshIndexBuilder.Build(snapshot);

        var warning = Assert.Single(snapshot.Warnings);
        Assert.Equal("svc.yaml:1: Service shop/s has an empty list item at spec.ports[1] (object skipped)", warning);
        Assert.Empty(index.Services);
    }

    [Fact]
    public void A_resource_quantity_the_kubernetes_client_cannot_parse_skips_the_object_with_a_warning()
    {
        var text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - name: app\n    resources: {limits: {cpu: 100mx}}\n";

        var snapshot = InventoryLoader.LoadText(text, "pod.yaml");

        var warning = Assert.Single(snapshot.Warnings);
        Assert.StartsWith("pod.yaml:1: cannot read Pod shop/p", warning, StringComparison.Ordinal);
        Assert.EndsWith("(object skipped)", warning, StringComparison.Ordinal);
        Assert.Empty(snapshot.Pods);
    }

    [Theory]
    [InlineData("apiVersion: 1e309\nkind: Pod\nmetadata: {name: p, namespace: shop}\n", "x.yaml")]
    [InlineData("{\"apiVersion\": 1e309, \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\", \"namespace\": \"shop\"}}", "x.json")]
    public void A_number_that_overflows_a_double_is_a_warning_not_an_infinity_that_cannot_be_written(string text, string name)
    {
        var snapshot = InventoryLoader.LoadText(text, name);

        // apiVersion is the string "1e309" (a core-group version, as the builder reads it), not an infinity that made
        // every attempt to describe or serialise the object throw.
        Assert.Empty(snapshot.Warnings);
        Assert.Equal("1e309", Assert.Single(snapshot.Pods).ApiVersion);
    }
}
