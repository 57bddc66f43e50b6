using System.Text.Json;
using LazyMesh.Cli;
using LazyMesh.Tests.Support;
using Spectre.Console;

namespace LazyMesh.Tests.Cli;

public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-rep-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static string Example(string file) => Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", file);

    private string Recommend()
    {
        var output = Path.Combine(_dir, "sidecars");
        var quiet = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        Assert.Equal(0, RecommendCommand.Run([Example("inventory.yaml")], [Example("access.log")], output, "cluster.local", null, 500, false, TextWriter.Null, quiet));
        return output;
    }

    private static JsonElement Json(string? sidecars)
    {
        var stdout = new StringWriter();
        Assert.Equal(0, ReportCommand.Run([Example("inventory.yaml")], sidecars, "json", "cluster.local", stdout));
        return JsonDocument.Parse(stdout.ToString()).RootElement;
    }

    [Fact]
    public void Json_report_follows_the_documented_schema_and_adds_up()
    {
        var root = Json(Recommend());
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(Reporting.EnvoyCostModel.Default.BytesPerCluster, root.GetProperty("costs").GetProperty("bytesPerCluster").GetInt64());
        var workloads = root.GetProperty("workloads").EnumerateArray().ToList();
        Assert.Equal(6, workloads.Count);

        var productpage = workloads.Single(w => w.GetProperty("name").GetString() == "productpage-v1");
        Assert.Equal("bookinfo/lazymesh-productpage-v1", productpage.GetProperty("sidecar").GetString());
        // Full mesh: the 4 Bookinfo services, istiod and the ServiceEntry. Scoped: all but details' siblings it doesn't call.
        Assert.Equal(6, productpage.GetProperty("full").GetProperty("services").GetInt64());
        Assert.Equal(5, productpage.GetProperty("scoped").GetProperty("services").GetInt64());
        var reviewsV1 = workloads.Single(w => w.GetProperty("name").GetString() == "reviews-v1");
        Assert.Equal(1, reviewsV1.GetProperty("scoped").GetProperty("services").GetInt64()); // istiod only

        var total = root.GetProperty("total");
        var sumScoped = workloads.Sum(w => w.GetProperty("scoped").GetProperty("clusters").GetInt64());
        Assert.Equal(sumScoped, total.GetProperty("scoped").GetProperty("clusters").GetInt64());
        var full = total.GetProperty("full").GetProperty("estimatedMemoryBytes").GetInt64();
        var scoped = total.GetProperty("scoped").GetProperty("estimatedMemoryBytes").GetInt64();
        Assert.True(scoped < full);
        Assert.Equal(Math.Round(100.0 * (full - scoped) / full, 1), total.GetProperty("reductionPercent").GetProperty("estimatedMemory").GetDouble());
    }

    [Fact]
    public void Without_sidecars_nothing_is_saved()
    {
        var root = Json(null);
        Assert.Equal(0, root.GetProperty("total").GetProperty("reductionPercent").GetProperty("clusters").GetDouble());
        Assert.All(root.GetProperty("workloads").EnumerateArray(), w => Assert.Equal(JsonValueKind.Null, w.GetProperty("sidecar").ValueKind));
    }

    [Fact]
    public void Table_report_lists_every_workload_and_the_total()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, ReportCommand.Run([Example("inventory.yaml")], Recommend(), "table", "cluster.local", stdout));
        var text = stdout.ToString();
        Assert.Contains("Deployment/productpage-v1", text);
        Assert.Contains("total", text);
        Assert.Contains("6 workloads", text);
    }
}
