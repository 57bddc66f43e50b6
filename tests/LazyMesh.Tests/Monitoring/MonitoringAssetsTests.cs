using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Monitoring;

/// <summary>deploy/monitoring: the alert rules pass promtool (syntax and unit tests) and everything references real metric names.</summary>
public sealed partial class MonitoringAssetsTests
{
    private static readonly string Dir = Path.Combine(RepoPaths.RepositoryRoot, "deploy", "monitoring");

    /// <summary>Every metric name the code registers (string literals passed to the prometheus-net factories).</summary>
    private static readonly Lazy<HashSet<string>> Exported = new(() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(static f => QuotedMetric().Matches(File.ReadAllText(f)).Select(static m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal));

    [RequiresCommandFact("promtool")]
    public async Task Alert_rules_pass_promtool_check() =>
        Assert.Equal(0, await PromtoolAsync("check", "rules", "lazymesh-alerts.yaml"));

    [RequiresCommandFact("promtool")]
    public async Task Alert_rules_fire_as_their_unit_tests_say() =>
        Assert.Equal(0, await PromtoolAsync("test", "rules", "lazymesh-alerts.test.yaml"));

    [Fact]
    public void Dashboard_references_only_exported_metrics_and_covers_what_operators_need()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "lazymesh-dashboard.json")))!;
        var expressions = dashboard["panels"]!.AsArray()
            .SelectMany(static p => p!["targets"]?.AsArray() ?? [])
            .Select(static t => (string)t!["expr"]!)
            .ToList();
        Assert.NotEmpty(expressions);
        var used = expressions.SelectMany(static e => Metric().Matches(e).Select(static m => m.Value)).Select(BaseName).ToHashSet(StringComparer.Ordinal);
        NoneMissing(used.Where(static m => !Exported.Value.Contains(m)), "not exported by the code");

        string[] needed =
        [
            "lazymesh_edges_learned_total", // learning rate
            "lazymesh_fallback_entries_by_caller_total", // fallback per caller
            "lazymesh_learn_to_disk_seconds", "lazymesh_learn_to_api_seconds", // first call -> Sidecar (files, Kubernetes)
            "lazymesh_kube_writes_total", "lazymesh_sidecar_writes_total", "lazymesh_kube_write_budget_waiting", // writes and budget
            "lazymesh_write_queue_depth",
            "lazymesh_als_decode_errors_total", "lazymesh_als_streams_rejected_total", // ALS stream errors
            "lazymesh_leader_transitions_total", // leader changes
        ];
        NoneMissing(needed.Where(m => !used.Contains(m)), "not on the dashboard");
        Assert.Equal(dashboard["panels"]!.AsArray().Count, dashboard["panels"]!.AsArray().Select(static p => (int)p!["id"]!).Distinct().Count());
    }

    [Fact]
    public void Alert_rules_reference_only_exported_metrics()
    {
        var rules = File.ReadAllText(Path.Combine(Dir, "lazymesh-alerts.yaml"));
        var exprs = ExprLine().Matches(rules).Select(static m => m.Groups[1].Value).ToList();
        Assert.True(exprs.Count >= 5);
        var used = exprs.SelectMany(static e => Metric().Matches(e).Select(static m => m.Value)).Select(BaseName).ToHashSet(StringComparer.Ordinal);
        NoneMissing(used.Where(static m => !Exported.Value.Contains(m)), "not exported by the code");
        Assert.Contains("lazymesh_fallback_entries_by_caller_total", used);
        Assert.Contains("lazymesh_als_messages_total", used);
        Assert.Contains("lazymesh_kube_writes_total", used);
    }

    [Fact]
    public void Monitoring_page_lists_every_exported_metric()
    {
        var page = File.ReadAllText(Path.Combine(RepoPaths.RepositoryRoot, "docs", "monitoring.md"));
        Assert.True(Exported.Value.Count >= 40, $"found only {Exported.Value.Count} metric names in src/");
        NoneMissing(Exported.Value.Where(m => !page.Contains($"| `{m}` |", StringComparison.Ordinal)).Order(StringComparer.Ordinal), "not in the table of docs/monitoring.md");
    }

    private static void NoneMissing(IEnumerable<string> missing, string what)
    {
        var list = missing.ToList();
        Assert.True(list.Count == 0, $"{what}: {string.Join(", ", list)}");
    }

    private static string BaseName(string name)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && Exported.Value.Contains(name[..^suffix.Length]))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private static async Task<int> PromtoolAsync(params string[] args)
    {
        var info = new ProcessStartInfo(ExternalCommand.Require("promtool")) { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"promtool {string.Join(' ', args)}: {await stdout}{await stderr}");
        return process.ExitCode;
    }

    [GeneratedRegex("\"(lazymesh_[a-z0-9_]+)\"")]
    private static partial Regex QuotedMetric();

    [GeneratedRegex("lazymesh_[a-z0-9_]+")]
    private static partial Regex Metric();

    [GeneratedRegex(@"^\s*expr:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex ExprLine();
}
