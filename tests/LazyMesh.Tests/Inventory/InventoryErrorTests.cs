using LazyMesh.Inventory;

namespace LazyMesh.Tests.Inventory;

public sealed class InventoryErrorTests
{
    [Fact]
    public void Missing_file_names_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "lazymesh-does-not-exist.yaml");

        var ex = Assert.Throws<InventoryException>(() => InventoryLoader.Load([path]));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(0, ex.Line);
        Assert.Equal($"{path}: no such file or directory", ex.Message);
    }

    [Fact]
    public void Invalid_yaml_names_file_and_line()
    {
        var text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: [unclosed\n";

        var ex = Assert.Throws<InventoryException>(() => InventoryLoader.LoadText(text, "pods.yaml"));

        Assert.Equal("pods.yaml", ex.FilePath);
        Assert.InRange(ex.Line, 5, 6);
        Assert.StartsWith($"pods.yaml:{ex.Line}: invalid YAML: ", ex.Message);
        Assert.DoesNotContain("Idx:", ex.Message);
    }

    [Fact]
    public void Invalid_json_names_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("pods.json", "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"a\",}\n  oops\n}\n");

        var ex = Assert.Throws<InventoryException>(() => InventoryLoader.Load([path]));

        Assert.Equal(5, ex.Line);
        Assert.StartsWith($"{path}:5: invalid JSON: ", ex.Message);
    }

    [Fact]
    public void Object_without_name_names_the_line_it_starts_at()
    {
        var text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# a pod\napiVersion: v1\nkind: Pod\nmetadata:\n  namespace: a\n";

        var warning = SkippedWarning(InventoryLoader.LoadText(text, "x.yaml"));

        Assert.Equal("x.yaml:6: Pod has no metadata.name (object skipped)", warning);
    }

    [Fact]
    public void List_item_errors_name_the_item_line()
    {
        var text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: ok}\n- apiVersion: v1\n  metadata: {name: nokind}\n";

        var warning = SkippedWarning(InventoryLoader.LoadText(text, "l.yaml"));

        Assert.Equal("l.yaml:7: object has no kind (object skipped)", warning);
    }

    [Fact]
    public void Json_list_item_errors_name_the_item_line()
    {
        var text = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}},\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {}}\n]}";

        var warning = SkippedWarning(InventoryLoader.LoadText(text, "l.json"));

        Assert.Equal("l.json:3: Pod has no metadata.name (object skipped)", warning);
    }

    [Fact]
    public void Object_without_api_version_is_an_error()
    {
        var warning = SkippedWarning(InventoryLoader.LoadText("kind: Pod\nmetadata: {name: a}\n", "p.yaml"));

        Assert.Equal("p.yaml:1: Pod has no apiVersion (object skipped)", warning);
    }

    [Fact]
    public void Non_object_document_is_an_error()
    {
        var warning = SkippedWarning(InventoryLoader.LoadText("just a string\n", "s.yaml"));

        Assert.StartsWith("s.yaml:1: expected a Kubernetes object", warning);
    }

    [Fact]
    public void Duplicate_objects_name_both_locations()
    {
        using var dir = new TempDirectory();
        var first = dir.Write("a.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\n");
        var second = dir.Write("b.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\n");

        var snapshot = InventoryLoader.Load([dir.Path]);

        Assert.Single(snapshot.Pods);
        Assert.Equal($"{second}:5: duplicate Pod shop/p, first defined at {first}:1 (object skipped)", SkippedWarning(snapshot));
    }

    [Fact]
    public void Same_name_in_another_namespace_or_kind_is_not_a_duplicate()
    {
        var text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: other}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: p}\n";

        var snapshot = InventoryLoader.LoadText(text);

        Assert.Equal(2, snapshot.Pods.Count);
        Assert.Single(snapshot.Services);
    }

    [Fact]
    public void Duplicate_mapping_key_is_an_error()
    {
        var ex = Assert.Throws<InventoryException>(() => InventoryLoader.LoadText("apiVersion: v1\nkind: Pod\nkind: Service\n", "d.yaml"));

        Assert.Equal("d.yaml:3: duplicate key 'kind'", ex.Message);
    }

    [Fact]
    public void Field_of_the_wrong_type_names_the_object_and_path()
    {
        var text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostNetwork: [1]}\n";

        var warning = SkippedWarning(InventoryLoader.LoadText(text, "t.yaml"));

        Assert.StartsWith("t.yaml:5: cannot read Pod default/p at $.spec.hostNetwork", warning);
    }

    [Fact]
    public void List_without_items_is_an_error()
    {
        var warning = SkippedWarning(InventoryLoader.LoadText("apiVersion: v1\nkind: List\n", "l.yaml"));

        Assert.Equal("l.yaml:1: List has no items (object skipped)", warning);
    }

    /// <summary>A bad object is skipped with one file:line warning (issue 11), never an exception for the whole input.</summary>
    private static string SkippedWarning(InventorySnapshot snapshot)
    {
        Assert.Equal(1, snapshot.SkippedObjects);
        return Assert.Single(snapshot.Warnings);
    }
}
