using System.Text;
using LazyMesh.Controller;
using LazyMesh.Inventory;
using LazyMesh.Mesh;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Inventory;

/// <summary>Issue 11, "Inventory that kills the process": each input used to end recommend or the controller.</summary>
public sealed class HostileInventoryTests
{
    private const string GoodPod = "apiVersion: v1\nkind: Pod\nmetadata: {name: good, namespace: shop}\nstatus: {podIP: 10.0.0.1}\n";

    /// <summary>The classic "billion laughs" in 447 bytes: nine levels of nine aliases, 9^9 strings once expanded.</summary>
    public static string AliasBomb()
    {
        var text = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            text.Append($"  {level}: &{level} [{string.Join(",", Enumerable.Repeat("*" + previous, 9))}]\n");
        }

        return text.ToString();
    }

    [Fact]
    public void A_yaml_alias_bomb_is_skipped_within_a_small_bound_and_the_next_document_loads()
    {
        var bomb = AliasBomb();
        Assert.InRange(Encoding.UTF8.GetByteCount(bomb), 400, 500);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var snapshot = InventoryLoader.LoadText(bomb + "---\n" + GoodPod, "bomb.yaml");

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, 64L * 1024 * 1024);
        var warning = Assert.Single(snapshot.Warnings);
        Assert.StartsWith("bomb.yaml:", warning, StringComparison.Ordinal);
        Assert.Contains($"aliases expand to more than {InventoryLimits.MaxAliasNodes} nodes", warning, StringComparison.Ordinal);
        Assert.Equal("good", Assert.Single(snapshot.Pods).Metadata.Name);
    }

    [Fact]
    public void Deeply_nested_brackets_in_yaml_are_skipped_at_the_depth_limit()
    {
        using var dir = new TempDirectory();
        var deep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: " + new string('[', 1_000) + new string(']', 1_000) + "\n";
        var path = dir.Write("deep.yaml", deep + "---\n" + GoodPod);

        var snapshot = InventoryLoader.Load([path]);

        Assert.Contains(snapshot.Warnings, w => w.StartsWith(path + ":4: nested deeper than 64 levels", StringComparison.Ordinal));
        Assert.Single(snapshot.Pods);
    }

    private const int IssueDepth = 200_000;

    private const string DeepYamlHead = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ";

    /// <summary>The issue's 200,000 levels, as <c>[</c> and as <c>{</c>, closed or not, in YAML and JSON files.</summary>
    public static TheoryData<string, string, string> TwoHundredThousandLevels() => new()
    {
        { "deep.yaml", DeepYamlHead + new string('[', IssueDepth) + new string(']', IssueDepth) + "\n", ":4: [ and { nested deeper than 1024 levels" },
        { "open.yaml", DeepYamlHead + new string('[', IssueDepth) + "\n", ":4: [ and { nested deeper than 1024 levels" },
        { "maps.yaml", DeepYamlHead + string.Concat(Enumerable.Repeat("{a: ", IssueDepth)) + "1" + new string('}', IssueDepth) + "\n", ":4: [ and { nested deeper than 1024 levels" },
        { "braces.yaml", DeepYamlHead + new string('{', IssueDepth) + "\n", ":4: invalid YAML" },
        { "deep.json", new string('[', IssueDepth) + new string(']', IssueDepth), ":1: invalid JSON: The maximum configured depth of 64 has been exceeded" },
        { "maps.json", string.Concat(Enumerable.Repeat("{\"a\":", IssueDepth)) + "1" + new string('}', IssueDepth), ":1: invalid JSON: The maximum configured depth of 64 has been exceeded" },
        { "braces.json", new string('{', IssueDepth), ":1: invalid JSON:" },
    };

    [Theory]
    [MemberData(nameof(TwoHundredThousandLevels))]
    public void Two_hundred_thousand_nested_levels_are_an_error_naming_the_file_and_line(string file, string content, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Write(file, content);

        var ex = Assert.Throws<InventoryException>(() => InventoryLoader.Load([path]));

        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(path + expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TwoHundredThousandLevels))]
    public void Two_hundred_thousand_nested_levels_dropped_into_a_watched_inventory_directory_keep_the_previous_inventory(string file, string content, string expected)
    {
        using var dir = new TempDirectory();
        dir.Write("good.yaml", GoodPod);
        using var logs = new RecordingLoggerProvider();
        using var watcher = new InventoryWatcher([dir.Path], MeshOptions.Default, TimeSpan.FromHours(1), logs.CreateLogger("inventory"));
        var before = watcher.LoadAndWatch();
        var path = dir.Write(file, content);

        watcher.Reload();

        Assert.Equal(1, watcher.FailedReloads);
        Assert.Same(before, watcher.Holder.Current);
        Assert.Contains(logs.Messages, m => m.StartsWith("inventory reload failed, keeping the previous inventory: " + path + expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: Shop}\n", "namespace \"Shop\" is not a valid DNS-1123 label")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ../../x}\n", "namespace \"../../x\" is not a valid DNS-1123 label")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a/b}\n", "namespace \"a/b\" is not a valid DNS-1123 label")]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a/b, namespace: shop}\n", "Deployment name \"a/b\" is not a valid DNS-1123 subdomain")]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata: {name: Shop}\n", "Namespace name \"Shop\" is not a valid DNS-1123 label")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  ownerReferences:\n  - {apiVersion: apps/v1, kind: ReplicaSet, controller: true}\n", "an ownerReference needs a kind and a DNS-1123 name")]
    public void A_name_kubernetes_would_refuse_skips_the_object_with_a_warning(string bad, string reason)
    {
        var snapshot = InventoryLoader.LoadText(GoodPod + "---\n" + bad, "names.yaml");

        var warning = Assert.Single(snapshot.Warnings);
        Assert.StartsWith("names.yaml:6: ", warning, StringComparison.Ordinal);
        Assert.Contains(reason, warning, StringComparison.Ordinal);
        Assert.Equal("good", Assert.Single(snapshot.Pods).Metadata.Name);

        // The index (what recommend and the controller build next) builds, and shows the warning.
        var index = MeshIndexBuilder.Build(snapshot);
        Assert.Contains(warning, index.Warnings);
    }

    [Fact]
    public void A_json_list_is_handed_over_item_by_item_while_it_is_read()
    {
        var items = string.Join(",\n", Enumerable.Range(0, 3).Select(i => $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"c{i}\"}}}}"));
        var json = Encoding.UTF8.GetBytes("{\"apiVersion\":\"v1\",\"items\":[\n" + items + ",\n{ this is not json");
        var seen = new List<int>();

        Assert.Throws<InventoryException>(() => JsonDocumentReader.Read(json, "big.json", d => seen.Add(d.Line)));

        // Every complete item reached the builder before the reader got to the broken tail: nothing was held whole.
        Assert.Equal([2, 3, 4], seen);
    }

    [Fact]
    public void A_typed_list_from_the_api_gives_its_streamed_items_their_kind()
    {
        var json = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":\"shop\"}},{\"metadata\":{\"name\":\"b\",\"namespace\":\"shop\"}}]}";

        var snapshot = InventoryLoader.LoadText(json, "pods.json");

        Assert.Equal(["a", "b"], snapshot.Pods.Select(p => p.Metadata.Name));
        Assert.Empty(snapshot.Warnings);
    }
}
