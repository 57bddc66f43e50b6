using LazyMesh.Cli;
using LazyMesh.Tests.Support;
using Spectre.Console;

namespace LazyMesh.Tests.Cli;

public sealed class RecommendCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-rec-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _stderr = new();

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static string Example(string file) => Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", file);

    private IAnsiConsole Stderr()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_stderr), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Profile.Width = 10_000;
        return console;
    }

    private int Run(string? outputDir, TextWriter stdout, params string[] logs) =>
        RecommendCommand.Run([Example("inventory.yaml")], logs.Length == 0 ? [Example("access.log")] : logs, outputDir, "cluster.local", null, 500, strict: false, stdout, Stderr());

    [Fact]
    public void A_log_format_without_what_lazymesh_needs_is_refused_before_reading()
    {
        var e = Assert.Throws<UsageException>(() => RecommendCommand.Run(
            [Example("inventory.yaml")], [Example("access.log")], null, "cluster.local", null, 500, strict: false, TextWriter.Null, Stderr(),
            logFormats: ["[%START_TIME%] %UPSTREAM_CLUSTER% %RESPONSE_CODE%"]));
        Assert.Contains("--log-format", e.Message);
        Assert.Contains("%DOWNSTREAM_REMOTE_ADDRESS%", e.Message);
        Assert.Contains("%REQ(:AUTHORITY)%", e.Message);
    }

    [Fact]
    public void Prefixed_logs_give_the_same_sidecars_and_the_summary_names_the_prefix()
    {
        Directory.CreateDirectory(_dir);
        var prefixed = Path.Combine(_dir, "prefixed.log");
        File.WriteAllLines(prefixed, File.ReadAllLines(Example("access.log")).Select(l => $"2024-05-01T12:00:00.000000000Z stdout F {l}"));
        var plain = new StringWriter();
        Assert.Equal(0, Run(null, plain));
        var fromPrefixed = new StringWriter();
        Assert.Equal(0, Run(null, fromPrefixed, prefixed));

        Assert.Equal(plain.ToString(), fromPrefixed.ToString());
        Assert.Contains("line prefixes stripped: CRI (/var/log/pods)", _stderr.ToString());
        Assert.Contains("formats: Istio 1.9+ TEXT", _stderr.ToString());
    }

    [Fact]
    public void The_example_gives_one_valid_sidecar_per_workload_with_exactly_the_observed_hosts()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, Run(null, stdout));
        var documents = stdout.ToString().Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, documents.Length);
        foreach (var doc in documents)
        {
            Assert.Empty(IstioCrdSchemas.Validate("Sidecar", doc));
        }

        var productpage = Assert.Single(documents, d => d.Contains("name: lazymesh-productpage-v1"));
        Assert.Contains("""
              - hosts:
                - bookinfo/api.example.com
                - bookinfo/details.bookinfo.svc.cluster.local
                - bookinfo/ratings.bookinfo.svc.cluster.local
                - bookinfo/reviews.bookinfo.svc.cluster.local
                - istio-system/*
            """, productpage);
        var reviewsV1 = Assert.Single(documents, d => d.Contains("name: lazymesh-reviews-v1"));
        Assert.Contains("  - hosts:\n    - istio-system/*\n  workloadSelector", reviewsV1);

        var summary = _stderr.ToString();
        Assert.Contains("1 malformed", summary);
        Assert.Contains("access.log:21:", summary);
        Assert.Contains("Inbound 22", summary);
    }

    [Fact]
    public void The_json_encoded_log_teaches_the_same_edges_as_far_as_it_goes()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, Run(null, stdout, Example("access.json.log")));
        Assert.Contains("bookinfo/details.bookinfo.svc.cluster.local", stdout.ToString());
    }

    [Fact]
    public void Output_directory_is_byte_identical_on_a_rerun_and_unchanged_files_are_not_rewritten()
    {
        var output = Path.Combine(_dir, "out");
        Assert.Equal(0, Run(output, TextWriter.Null));
        var files = Directory.GetFiles(output, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(6, files.Length);
        var before = files.ToDictionary(f => f, File.ReadAllBytes);
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var f in files)
        {
            File.SetLastWriteTimeUtc(f, old);
        }

        Assert.Equal(0, Run(output, TextWriter.Null));
        foreach (var f in files)
        {
            Assert.Equal(before[f], File.ReadAllBytes(f));
            Assert.Equal(old, File.GetLastWriteTimeUtc(f));
        }

        Assert.Contains("0 written, 6 unchanged", _stderr.ToString());
    }

    [Fact]
    public void Stale_managed_sidecars_are_removed_and_user_files_kept()
    {
        var output = Path.Combine(_dir, "out");
        Directory.CreateDirectory(Path.Combine(output, "bookinfo"));
        var stale = Path.Combine(output, "bookinfo", "lazymesh-gone.yaml");
        File.WriteAllText(stale, "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: lazymesh-gone\n  namespace: bookinfo\n  labels:\n    app.kubernetes.io/managed-by: lazymesh\nspec:\n  workloadSelector:\n    labels:\n      app: gone\n");
        var mine = Path.Combine(output, "bookinfo", "mine.yaml");
        File.WriteAllText(mine, "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: mine\n  namespace: other\nspec: {}\n");
        Assert.Equal(0, Run(output, TextWriter.Null));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(mine));
    }

    [Fact]
    public async Task Strict_mode_fails_on_the_cut_line_and_missing_files_are_usage_errors()
    {
        var inv = Example("inventory.yaml");
        Assert.Equal(1, await LazyMeshCli.RunAsync(["recommend", "-i", inv, "-l", Example("access.log"), "--strict"]));
        Assert.Equal(2, await LazyMeshCli.RunAsync(["recommend", "-i", inv, "-l", Path.Combine(_dir, "missing.log")]));
        Assert.Equal(2, await LazyMeshCli.RunAsync(["recommend", "-i", inv]));
        Assert.Equal(2, await LazyMeshCli.RunAsync(["recommend", "-i", inv, "-l", Example("access.log"), "--baseline-host", "not-a-host"]));
    }

    [Fact]
    public async Task Invalid_inventory_is_a_failed_run_and_leaves_no_output()
    {
        Directory.CreateDirectory(_dir);
        var bad = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(bad, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n");
        var output = Path.Combine(_dir, "out");
        Assert.Equal(1, await LazyMeshCli.RunAsync(["recommend", "-i", bad, "-l", Example("access.log"), "--output-dir", output]));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Workload_and_namespace_filters_limit_what_is_written()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, RecommendCommand.Run(
            [Example("inventory.yaml")], [Example("access.log")], null, "cluster.local", null, 500, strict: false, stdout, Stderr(),
            filter: new RecommendFilter(["bookinfo"], ["Deployment/productpage-v1", "no-such"], IncludeUnseen: false)));

        var documents = stdout.ToString().Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("name: lazymesh-productpage-v1", Assert.Single(documents));
        Assert.Contains("--workload no-such: no such workload", _stderr.ToString());
    }

    [Fact]
    public void A_log_with_no_usable_entries_is_reported_and_writes_nothing()
    {
        Directory.CreateDirectory(_dir);
        var foreign = Path.Combine(_dir, "foreign.log");
        File.WriteAllText(foreign, File.ReadAllText(Example("access.log")).Replace("10.244.", "10.99.", StringComparison.Ordinal));
        var stdout = new StringWriter();

        Assert.Equal(0, Run(null, stdout, foreign));

        Assert.Equal(string.Empty, stdout.ToString().Trim());
        var summary = _stderr.ToString();
        Assert.Contains("foreign.log: no usable access-log entries", summary);
        Assert.Contains("no access-log entry could be used", summary);
        Assert.Contains("get no Sidecar because the logs show no traffic", summary);
    }

    [Fact]
    public void Calls_the_inventory_cannot_explain_are_warned_about_never_silently_cut_off()
    {
        Directory.CreateDirectory(_dir);
        var log = Path.Combine(_dir, "unknown.log");
        var line = File.ReadAllLines(Example("access.log")).First(l => l.Contains("outbound|9080||details", StringComparison.Ordinal));
        File.WriteAllText(log, line.Replace("outbound|9080||details.bookinfo.svc.cluster.local", "PassthroughCluster", StringComparison.Ordinal)
            .Replace("\"details:9080\"", "\"legacy.corp:9080\"", StringComparison.Ordinal)
            .Replace("10.96.10.11:9080", "10.1.2.3:9080", StringComparison.Ordinal) + "\n");
        var stdout = new StringWriter();

        Assert.Equal(0, Run(null, stdout, log));

        Assert.Contains("legacy.corp:9080", _stderr.ToString());
        Assert.Contains("destinations the inventory does not have", _stderr.ToString());
    }
}
