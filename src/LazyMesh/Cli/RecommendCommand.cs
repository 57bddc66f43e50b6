using System.CommandLine;
using LazyMesh.AccessLogs;
using LazyMesh.Attribution;
using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Sinks;
using Spectre.Console;

namespace LazyMesh.Cli;

/// <summary>
/// <c>lazymesh recommend</c>: offline, inventory files + Istio access logs -> one Sidecar per workload,
/// as files under <c>--output-dir</c> or multi-document YAML on stdout. Summary on stderr.
/// </summary>
public static class RecommendCommand
{
    public static Command Create()
    {
        var inventory = CommonOptions.Inventory();
        var accessLogs = CommonOptions.AccessLogs();
        var outputDir = new Option<string?>("--output-dir", "-o") { Description = "Write DIR/<namespace>/<name>.yaml (atomically; unchanged files untouched) instead of YAML on stdout" };
        var clusterDomain = CommonOptions.ClusterDomain();
        var baseline = CommonOptions.BaselineHosts();
        var maxHosts = CommonOptions.MaxHostsPerWorkload();
        var strict = new Option<bool>("--strict") { Description = "Fail at the first malformed access-log line instead of counting it" };
        var command = new Command("recommend", "Offline: turn inventory files and Istio access logs into the Sidecar each workload needs")
        {
            inventory, accessLogs, outputDir, clusterDomain, baseline, maxHosts, strict,
        };
        command.SetAction(parse => Run(
            parse.GetRequiredValue(inventory),
            parse.GetRequiredValue(accessLogs),
            parse.GetValue(outputDir),
            parse.GetRequiredValue(clusterDomain),
            parse.GetValue(baseline),
            parse.GetValue(maxHosts),
            parse.GetValue(strict),
            Console.Out,
            StderrConsole.Create()));
        return command;
    }

    public static int Run(
        string[] inventoryPaths,
        string[] accessLogPaths,
        string? outputDir,
        string clusterDomain,
        string[]? baselineHosts,
        int maxHosts,
        bool strict,
        TextWriter stdout,
        IAnsiConsole stderr)
    {
        CommonOptions.RequireExisting("--inventory", inventoryPaths);
        CommonOptions.RequireExisting("--access-log", accessLogPaths);
        if (maxHosts < 1)
        {
            throw new UsageException($"--max-hosts must be at least 1, not {maxHosts}");
        }

        var renderOptions = CommonOptions.RenderOptions(baselineHosts);
        var snapshot = InventoryLoader.Load(inventoryPaths);
        var index = MeshIndexBuilder.Build(snapshot, new MeshOptions { ClusterDomain = clusterDomain });
        var store = new DependencyStore(maxHosts);
        var learner = new EdgeLearner(new MeshIndexHolder(index), store);
        var stats = new AccessLogReadStats
        {
            OnProblem = strict ? p => { if (p.Kind != AccessLogLineKind.NotAccessLog) { throw new StrictModeException(p); } } : null,
        };
        AccessLogIngest.ReadAll(accessLogPaths, learner, stats, stderr);

        var desired = DesiredStateBuilder.Build(index, store, renderOptions, enabledByDefault: true);
        var written = 0;
        var unchanged = 0;
        var pruned = 0;
        if (outputDir is null)
        {
            ResourceYaml.WriteAll(stdout, desired.Sidecars.Select(static d => (object)d.Sidecar));
            stdout.Flush();
        }
        else
        {
            var sink = new DirectorySink(outputDir);
            foreach (var d in desired.Sidecars)
            {
                var result = sink.Write(d.Sidecar);
                if (result == WriteResult.Written)
                {
                    written++;
                }
                else if (result == WriteResult.NotOurs)
                {
                    var path = sink.PathFor(d.Sidecar.Metadata.NamespaceProperty, d.Sidecar.Metadata.Name);
                    stderr.MarkupLine($"[yellow]warning[/]: not writing {Markup.Escape(path)}: the file there is not LazyMesh's (no managed-by label, or another object)");
                }
                else
                {
                    unchanged++;
                }
            }

            // Managed Sidecars of workloads that no longer get one are removed; user files are never touched.
            var keep = desired.Sidecars.Select(static d => (d.Sidecar.Metadata.NamespaceProperty, d.Sidecar.Metadata.Name)).ToHashSet();
            foreach (var stored in sink.ReadAll().Where(sink.IsAtItsOwnPath))
            {
                var key = (stored.Sidecar.Metadata.NamespaceProperty, stored.Sidecar.Metadata.Name);
                if (!keep.Contains(key) && sink.Delete(key.NamespaceProperty, key.Name))
                {
                    pruned++;
                }
            }
        }

        PrintSummary(stderr, snapshot, index, store, learner.Stats, stats, desired, outputDir, written, unchanged, pruned);
        return CliExitCodes.Success;
    }

    private static void PrintSummary(
        IAnsiConsole console,
        InventorySnapshot snapshot,
        MeshIndex index,
        DependencyStore store,
        AttributionStats attribution,
        AccessLogReadStats reads,
        DesiredState desired,
        string? outputDir,
        int written,
        int unchanged,
        int pruned)
    {
        console.MarkupLine($"[bold]inventory[/]: {snapshot.Count} objects, {index.Workloads.Count} workloads, {index.Services.Count} services/hosts" +
            (snapshot.SkippedKinds.Count > 0 ? $", skipped kinds: {Markup.Escape(string.Join(", ", snapshot.SkippedKinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} x{k.Value}")))}" : string.Empty) +
            (snapshot.SkippedObjects > 0 ? $", [yellow]{snapshot.SkippedObjects} malformed objects skipped[/]" : string.Empty));
        foreach (var warning in index.Warnings)
        {
            console.MarkupLine($"[yellow]warning[/]: {Markup.Escape(warning)}");
        }

        console.MarkupLine($"[bold]access logs[/]: {reads.Lines} lines, {reads.Parsed} entries, {reads.NotAccessLog} not access-log lines, {reads.Malformed} malformed, {reads.TooLong} too long");
        foreach (var example in reads.Examples)
        {
            console.MarkupLine($"  [yellow]{Markup.Escape(example.ToString())}[/]");
        }

        var skipped = Enum.GetValues<SkipReason>()
            .Where(r => r != SkipReason.None && attribution.SkippedCount(r) > 0)
            .Select(r => $"{r} {attribution.SkippedCount(r)}")
            .ToList();
        console.MarkupLine($"[bold]attribution[/]: {attribution.TotalAttributed} attributed, {attribution.TotalSkipped} skipped" +
            (skipped.Count > 0 ? $" ({string.Join(", ", skipped)})" : string.Empty));
        console.MarkupLine($"[bold]learned[/]: {store.EdgeCount} edges across {store.WorkloadCount} workloads" +
            (store.CappedCount > 0 ? $", [yellow]{store.CappedCount} new hosts rejected by --max-hosts[/]" : string.Empty));
        foreach (var warning in desired.Warnings)
        {
            console.MarkupLine($"[yellow]warning[/]: {Markup.Escape(warning)}");
        }

        var where = outputDir is null ? "stdout" : $"{Markup.Escape(outputDir)} ({written} written, {unchanged} unchanged, {pruned} removed)";
        console.MarkupLine($"[bold]sidecars[/]: {desired.Sidecars.Count} to {where}; {desired.DisabledWorkloads} workloads disabled, {desired.ConflictingWorkloads} skipped for user-written Sidecars");
    }
}
