using System.Text;
using LazyMesh.Inventory;

namespace LazyMesh.Tests.Inventory;

/// <summary>
/// Issue 11, "a 200 MB JSON inventory of skipped kinds peaks at 1.5 GB": objects of kinds LazyMesh skips are counted
/// without being built, and a List's items are built one at a time, in JSON and in YAML.
/// </summary>
public sealed class LargeInventoryTests
{
    private const int Blob = 100_000;

    private static string ConfigMapJson(int i) =>
        $"{{\"apiVersion\":\"v1\",\"data\":{{\"blob\":\"{new string('x', Blob)}\"}},\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"c{i}\",\"namespace\":\"shop\"}}}}";

    private static string SecretJson(int i) =>
        $"{{\"apiVersion\":\"v1\",\"data\":{{\"key\":\"{new string('A', Blob)}\"}},\"kind\":\"Secret\",\"metadata\":{{\"name\":\"s{i}\",\"namespace\":\"shop\"}},\"type\":\"Opaque\"}}";

    private const string PodJson = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"shop\"},\"status\":{\"podIP\":\"10.0.0.1\"}}";

    private const string MeshConfigMapJson = "{\"apiVersion\":\"v1\",\"data\":{\"mesh\":\"rootNamespace: istio-system\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"istio\",\"namespace\":\"istio-system\"}}";

    [Fact]
    public void A_json_list_of_skipped_kinds_is_counted_without_building_them()
    {
        using var dir = new TempDirectory();
        var items = Enumerable.Range(0, 100).SelectMany(i => new[] { ConfigMapJson(i), SecretJson(i) }).Append(MeshConfigMapJson).Append(PodJson);
        var path = dir.Write("big.json", "{\"apiVersion\":\"v1\",\"items\":[\n" + string.Join(",\n", items) + "\n],\"kind\":\"List\",\"metadata\":{}}");
        Assert.InRange(new FileInfo(path).Length, 20_000_000, 21_000_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var snapshot = InventoryLoader.Load([path]);

        // Building the 200 skipped objects would allocate their 20 MB of data twice over (UTF-16 strings); peeking at
        // kind and name allocates a few short strings per object.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, 2_000_000);
        Assert.Equal(100, snapshot.SkippedKinds["ConfigMap"]);
        Assert.Equal(100, snapshot.SkippedKinds["Secret"]);
        Assert.Equal("istio", Assert.Single(snapshot.ConfigMaps).Metadata.Name);
        Assert.Equal("p", Assert.Single(snapshot.Pods).Metadata.Name);
        Assert.Empty(snapshot.Warnings);
    }

    [Fact]
    public void Json_objects_whose_kind_is_not_a_string_are_built_and_warned_about_not_skipped()
    {
        var json = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":7,\"metadata\":{\"name\":\"x\"}}]}";

        var snapshot = InventoryLoader.LoadText(json, "odd.json");

        Assert.Contains("kind must be a string", Assert.Single(snapshot.Warnings), StringComparison.Ordinal);
        Assert.Empty(snapshot.SkippedKinds);
    }

    [Fact]
    public void A_yaml_list_over_the_object_limit_is_read_item_by_item_and_loads()
    {
        using var dir = new TempDirectory();
        var text = new StringBuilder("apiVersion: v1\nitems:\n");
        var count = (InventoryLimits.MaxObjectBytes / Blob) + 10;
        for (var i = 0; i < count; i++)
        {
            text.Append($"- apiVersion: v1\n  data:\n    blob: {new string('x', Blob)}\n  kind: ConfigMap\n  metadata: {{name: c{i}, namespace: shop}}\n");
        }

        text.Append("- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, namespace: shop}\n  status: {podIP: 10.0.0.1}\nkind: List\nmetadata: {}\n");
        var path = dir.Write("big.yaml", text.ToString());
        Assert.True(new FileInfo(path).Length > InventoryLimits.MaxObjectBytes);

        var snapshot = InventoryLoader.Load([path]);

        // Before, the whole List was one document over the 16 MiB object limit: skipped, Pod and all.
        Assert.Empty(snapshot.Warnings);
        Assert.Equal(count, snapshot.SkippedKinds["ConfigMap"]);
        Assert.Equal("p", Assert.Single(snapshot.Pods).Metadata.Name);
    }

    [Fact]
    public void A_yaml_list_is_handed_over_item_by_item_while_it_is_read()
    {
        var yaml = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n- {this is: [not closed\n";
        var seen = new List<int>();

        Assert.Throws<InventoryException>(() =>
        {
            foreach (var document in YamlDocumentReader.Read(new StringReader(yaml), "big.yaml", skipOverLimitDocuments: true))
            {
                seen.Add(document.Line);
            }
        });

        // Both complete items reached the caller before the reader got to the broken tail: the List was never one tree.
        Assert.Equal([4, 5], seen);
    }

    [Fact]
    public void A_typed_yaml_list_gives_its_streamed_items_their_kind_and_other_documents_still_load()
    {
        var yaml = "kind: PodList\napiVersion: v1\nitems:\n- metadata: {name: a, namespace: shop}\n- metadata: {name: b, namespace: shop}\n---\n"
            + "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec: {ports: [{port: 80}]}\n";

        var snapshot = InventoryLoader.LoadText(yaml, "pods.yaml");

        Assert.Equal(["a", "b"], snapshot.Pods.Select(p => p.Metadata.Name));
        Assert.Equal("s", Assert.Single(snapshot.Services).Metadata.Name);
        Assert.Empty(snapshot.Warnings);
    }
}
