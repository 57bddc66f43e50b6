using System.CommandLine;
using System.Text.Json.Nodes;
using LazyMesh.Cli;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Cli;

/// <summary>The kubectl habits of the whole CLI (README "CLI conventions").</summary>
public sealed class CliConventionsTests : IDisposable
{
    private static readonly string Inventory = Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "inventory.yaml");
    private static readonly string Log = Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "access.log");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Bare_lazymesh_prints_usage_and_exits_0()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(CliExitCodes.Success, await LazyMeshCli.RunAsync([], stdout, stderr));
        Assert.Contains("Usage:", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("recommend", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, stderr.ToString());
    }

    [Fact]
    public async Task An_unexpected_failure_is_one_plain_line_without_the_exception()
    {
        var root = new RootCommand("test");
        var boom = new Command("boom");
        boom.SetAction(_ => ((string)null!).Length);
        root.Subcommands.Add(boom);
        var stderr = new StringWriter();

        Assert.Equal(CliExitCodes.Failed, await LazyMeshCli.RunAsync(["boom"], TextWriter.Null, stderr, root));
        Assert.Contains("unexpected failure in 'boom'", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains(LazyMeshCli.DebugVariable + "=1", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Object reference", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_a_failed_run_in_words()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var run = await CliRun.RunAsync(["replay", "-t", "127.0.0.1:1", "-l", Log]);

        Assert.Equal(CliExitCodes.Failed, run.ExitCode);
        Assert.Contains("lazymesh: gRPC call failed, Unavailable", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Connection refused", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recommend_prints_yaml_json_or_a_table_and_the_directory_is_output_dir()
    {
        var yaml = await CliRun.RunAsync(["recommend", "-i", Inventory, "-l", Log]);
        var explicitYaml = await CliRun.RunAsync(["recommend", "-i", Inventory, "-l", Log, "-o", "yaml"]);
        Assert.Equal(0, yaml.ExitCode);
        Assert.Equal(yaml.Stdout, explicitYaml.Stdout);
        var fromYaml = YamlJson.ParseAll(yaml.Stdout).OfType<JsonObject>().ToList();
        Assert.Equal(6, fromYaml.Count);

        var json = await CliRun.RunAsync(["recommend", "-i", Inventory, "-l", Log, "-o", "json"]);
        Assert.Equal(0, json.ExitCode);
        var list = JsonNode.Parse(json.Stdout)!.AsObject();
        Assert.Equal("List", list["kind"]!.GetValue<string>());
        var items = list["items"]!.AsArray();
        Assert.Equal(fromYaml.Count, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(fromYaml[i], items[i]), $"item {i} differs between -o yaml and -o json");
        }

        var table = await CliRun.RunAsync(["recommend", "-i", Inventory, "-l", Log, "-o", "table"]);
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"Deployment/productpage-v1\s+lazymesh-productpage-v1\s+4\s", table.Stdout);
        Assert.Contains("6 sidecars", table.Stdout, StringComparison.Ordinal);

        var dir = Path.Combine(_dir, "out");
        var files = await CliRun.RunAsync(["recommend", "-i", Inventory, "-l", Log, "--output-dir", dir]);
        Assert.Equal(0, files.ExitCode);
        Assert.Equal(6, Directory.GetFiles(dir, "*.yaml", SearchOption.AllDirectories).Length);
        Assert.Equal(string.Empty, files.Stdout);
    }

    [Fact]
    public async Task Report_yaml_is_the_json_document_and_namespaces_filter_it()
    {
        var json = await CliRun.RunAsync(["report", "-i", Inventory, "-o", "json"]);
        var yaml = await CliRun.RunAsync(["report", "-i", Inventory, "-o", "yaml"]);
        var legacy = await CliRun.RunAsync(["report", "-i", Inventory, "--format", "json"]);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(json.Stdout, legacy.Stdout);
        Assert.True(JsonNode.DeepEquals(WithoutNulls(JsonNode.Parse(json.Stdout)), YamlJson.Parse(yaml.Stdout)), yaml.Stdout);
        Assert.Equal(6, JsonNode.Parse(json.Stdout)!["workloads"]!.AsArray().Count);

        var bookinfo = await CliRun.RunAsync(["report", "-i", Inventory, "-o", "json", "-n", "bookinfo"]);
        Assert.Equal(6, JsonNode.Parse(bookinfo.Stdout)!["workloads"]!.AsArray().Count);
        var other = await CliRun.RunAsync(["report", "-i", Inventory, "-o", "json", "-n", "elsewhere"]);
        Assert.Empty(JsonNode.Parse(other.Stdout)!["workloads"]!.AsArray());
        var all = await CliRun.RunAsync(["report", "-i", Inventory, "-o", "json", "-A"]);
        Assert.Equal(json.Stdout, all.Stdout);
    }

    [Fact]
    public async Task Redirected_tables_are_120_wide_or_as_wide_as_COLUMNS()
    {
        var fixedWidth = await CliRun.RunAsync(["report", "-i", Inventory], new Dictionary<string, string?> { [TerminalWidth.ColumnsVariable] = null });
        var narrow = await CliRun.RunAsync(["report", "-i", Inventory], new Dictionary<string, string?> { [TerminalWidth.ColumnsVariable] = "80" });
        Assert.Equal(0, fixedWidth.ExitCode);
        Assert.Equal(0, narrow.ExitCode);

        static int[] Widths(string text) => [.. text.Split('\n').Select(static l => l.TrimEnd('\r').Length)];
        Assert.All(Widths(Table(fixedWidth.Stdout)), w => Assert.True(w <= TerminalWidth.Redirected, $"a line of {w} columns"));
        Assert.Contains(Widths(Table(fixedWidth.Stdout)), w => w > 80);
        Assert.All(Widths(Table(narrow.Stdout)), w => Assert.True(w <= 80, $"a line of {w} columns"));
        Assert.Contains("Deployment/productpage-v1", narrow.Stdout, StringComparison.Ordinal);

        // The table only: the summary lines after it are prose and are not wrapped.
        static string Table(string stdout) => stdout[..stdout.IndexOf("All ", StringComparison.Ordinal)];
    }

    /// <summary>YAML output leaves nulls out (as ResourceYaml does for every object).</summary>
    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(static p => p.Value is null).Select(static p => p.Key).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    WithoutNulls(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    WithoutNulls(item);
                }

                break;
        }

        return node;
    }

    [Theory]
    [InlineData("100", 100)]
    [InlineData("abc", null)]
    [InlineData("10", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void COLUMNS_is_used_when_it_is_a_usable_width(string? value, int? expected) =>
        Assert.Equal(expected, TerminalWidth.FromEnvironment(value));

    [Fact]
    public async Task Report_counts_have_thousands_separators()
    {
        Directory.CreateDirectory(_dir);
        var inventory = Path.Combine(_dir, "big.yaml");
        var objects = new List<string> { await File.ReadAllTextAsync(Inventory) };
        for (var i = 0; i < 1_200; i++)
        {
            objects.Add($"apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}, namespace: bookinfo}}\nspec: {{ports: [{{port: 80, name: http}}]}}\n");
        }

        await File.WriteAllTextAsync(inventory, string.Join("\n---\n", objects));
        var stdout = new StringWriter();
        Assert.Equal(0, ReportCommand.Run([inventory], null, "table", "cluster.local", stdout, width: 200));
        Assert.Matches(@"1,2\d\d -> 1,2\d\d", stdout.ToString());
        Assert.Equal("1,234,567", LazyMesh.Reporting.HumanNumbers.Count(1_234_567));
        Assert.Equal("999", LazyMesh.Reporting.HumanNumbers.Count(999));
    }

    [Fact]
    public async Task Version_and_crd_speak_json_and_yaml()
    {
        var json = await CliRun.RunAsync(["version", "-o", "json"]);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(VersionCommand.Version, JsonNode.Parse(json.Stdout)!["lazymeshVersion"]!.GetValue<string>());
        var yaml = await CliRun.RunAsync(["version", "-o", "yaml"]);
        Assert.True(JsonNode.DeepEquals(WithoutNulls(JsonNode.Parse(json.Stdout)), YamlJson.Parse(yaml.Stdout)), yaml.Stdout);

        var crd = await CliRun.RunAsync(["crd", "-o", "json"]);
        Assert.Equal(0, crd.ExitCode);
        var items = JsonNode.Parse(crd.Stdout)!["items"]!.AsArray();
        Assert.Contains(items, i => i!["metadata"]!["name"]!.GetValue<string>() == "lazysidecars.lazymesh.io");
    }

    [Theory]
    [InlineData("lazymesh.lazymesh-system:15800", "http://lazymesh.lazymesh-system:15800/")]
    [InlineData("lazymesh.lazymesh-system.svc.cluster.local:15800", "http://lazymesh.lazymesh-system.svc.cluster.local:15800/")]
    [InlineData("10.1.2.3:15800", "http://10.1.2.3:15800/")]
    [InlineData("[::1]:15800", "http://[::1]:15800/")]
    [InlineData("localhost:1", "http://localhost:1/")]
    public void A_target_may_be_a_host_name_or_an_address(string value, string expected) =>
        Assert.Equal(new Uri(expected), EndpointParser.ParseTarget("--target", value));

    [Theory]
    [InlineData("lazymesh")]
    [InlineData("lazymesh:")]
    [InlineData(":15800")]
    [InlineData("lazymesh:0")]
    [InlineData("lazymesh:65536")]
    [InlineData("::1:15800")]
    [InlineData("[10.0.0.1]:80")]
    [InlineData("bad host:80")]
    [InlineData("http://lazymesh:80")]
    public void A_bad_target_names_the_option(string value)
    {
        var e = Assert.Throws<UsageException>(() => EndpointParser.ParseTarget("--als-target", value));
        Assert.StartsWith("--als-target: ", e.Message, StringComparison.Ordinal);
    }
}
