using System.Text;
using LazyMesh.Inventory;
using LazyMesh.Mesh;
using LazyMesh.Tests.Support;
using Xunit.Abstractions;

namespace LazyMesh.Tests.Fuzzing;

/// <summary>
/// Issue 11, fuzzing: mutated YAML and JSON inventories load (bad objects skipped with a <c>file:line</c> warning) or are
/// refused with an <see cref="InventoryException"/> naming the file; nothing else is thrown, on the way to the mesh
/// index either, and no input allocates past a bound far above what the limits allow.
/// </summary>
public sealed class InventoryFuzzTests(ITestOutputHelper output)
{
    private const string Name = "fuzz.yaml";

    /// <summary>
    /// The alias budget (100,000 nodes) and the object limit bound what one input may cost; this is far above both
    /// (a seed costs well under 1 MB), and far below what the 447-byte alias bomb took before the limits (over 3 GB).
    /// </summary>
    private const long MaxAllocatedBytes = 512L * 1024 * 1024;

    /// <summary>The bookinfo example's documents one by one, as YAML and as JSON, and as a JSON List and a typed list.</summary>
    private static readonly byte[][] Seeds = BuildSeeds();

    private static byte[][] BuildSeeds()
    {
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "inventory.yaml"));
        var documents = yaml.Split("\n---", StringSplitOptions.RemoveEmptyEntries).Where(d => d.Contains("kind:", StringComparison.Ordinal)).ToList();
        var kinds = documents.GroupBy(d => d.Split("kind:")[1].Split('\n')[0].Trim()).Select(g => g.First()).ToList();
        var json = kinds.Select(d => YamlDocumentReader.Read(new StringReader(d), Name).Single().Root!.ToJsonString()).ToList();
        var seeds = kinds.Select(d => d.TrimStart('-', '\n') + "\n").Concat(json).ToList();
        seeds.Add(string.Join("\n---\n", kinds.Take(4)));
        seeds.Add("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + string.Join(",", json.Take(4)) + "]}");
        seeds.Add("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":\"shop\",\"labels\":{\"app\":\"a\"}},\"status\":{\"podIP\":\"10.0.0.1\"}}]}");
        seeds.Add("base: &b {app: x}\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop, labels: {<<: *b}}\nspec: {selector: *b, ports: [{port: 80}]}\n");
        seeds.Add(LazyMesh.Tests.Inventory.HostileInventoryTests.AliasBomb());
        return [.. seeds.Select(Encoding.UTF8.GetBytes)];
    }

    [Fact]
    public void Mutated_inventories_load_or_are_refused_with_an_inventory_error_naming_the_file()
    {
        FuzzRun.Check(Mutations.Of(Seeds, TextDialect.Instance), LoadAndIndex, iterations: 300, output, Mutations.Print);
    }

    private static void LoadAndIndex(byte[] input)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var snapshot = InventoryLoader.LoadText(Encoding.UTF8.GetString(input), Name);
            Assert.All(snapshot.Warnings, w => Assert.StartsWith(Name + ":", w, StringComparison.Ordinal));
            var index = MeshIndexBuilder.Build(snapshot, MeshOptions.Default);
            Assert.NotNull(index);
        }
        catch (InventoryException e)
        {
            Assert.Equal(Name, e.FilePath);
            Assert.StartsWith(Name + ":", e.Message, StringComparison.Ordinal);
        }

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, MaxAllocatedBytes);
    }

    [Fact]
    public void Mutated_mesh_configs_parse_or_are_refused_with_an_inventory_error()
    {
        byte[][] seeds =
        [
            "accessLogFile: /dev/stdout\noutboundTrafficPolicy: {mode: REGISTRY_ONLY}\nrootNamespace: istio-system\n"u8.ToArray(),
            "extensionProviders:\n- name: als\n  envoyHttpAls: {service: lazymesh.lazymesh-system.svc.cluster.local, port: 15000, logName: x}\n"u8.ToArray(),
        ];
        FuzzRun.Check(
            Mutations.Of(seeds, TextDialect.Instance),
            input =>
            {
                try
                {
                    Assert.NotNull(MeshConfigParser.Parse(Encoding.UTF8.GetString(input), "mesh.yaml"));
                }
                catch (InventoryException e)
                {
                    Assert.StartsWith("mesh.yaml", e.Message, StringComparison.Ordinal);
                }
            },
            iterations: 300,
            output,
            Mutations.Print);
    }
}
