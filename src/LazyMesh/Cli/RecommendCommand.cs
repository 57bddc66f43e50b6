using System.CommandLine;
using LazyMesh.AccessLogs;
using LazyMesh.Attribution;
using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
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
        var namespaces = new Option<string[]>("--namespace", "-n") { Description = "Only workloads in this namespace (repeatable)", AllowMultipleArgumentsPerToken = false };
        var workloads = new Option<string[]>("--workload") { Description = "Only this workload: name, Kind/name or namespace/Kind/name (repeatable)", AllowMultipleArgumentsPerToken = false };
        var includeUnseen = new Option<bool>("--include-unseen")
        {
            Description = "Also write Sidecars (baseline hosts only) for workloads the logs show no traffic of; by default they get none",
        };
        var meshConfig = CommonOptions.MeshConfigFile();
        var routing = CommonOptions.FallbackRouting("Also write the fallback routing objects: the fallback's Service and DestinationRule, and an EnvoyFilter per generated Sidecar");
        var fallbackNamespace = CommonOptions.FallbackNamespace();
        var logFormat = CommonOptions.AccessLogFormat();
        var command = new Command("recommend", "Offline: turn inventory files and Istio access logs into the Sidecar each workload needs")
        {
            inventory, accessLogs, outputDir, clusterDomain, baseline, maxHosts, strict, meshConfig, routing, fallbackNamespace, logFormat, namespaces, workloads, includeUnseen,
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
            StderrConsole.Create(),
            parse.GetValue(meshConfig),
            parse.GetValue(routing)
                ? new FallbackRoutingOptions { Namespace = parse.GetRequiredValue(fallbackNamespace), ClusterDomain = parse.GetRequiredValue(clusterDomain) }
                : null,
            parse.GetValue(logFormat),
            new RecommendFilter(parse.GetValue(namespaces) ?? [], parse.GetValue(workloads) ?? [], parse.GetValue(includeUnseen))));
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
        IAnsiConsole stderr,
        string? meshConfigPath = null,
        FallbackRoutingOptions? routing = null,
        string[]? logFormats = null,
        RecommendFilter? filter = null)
    {
        var formats = CommonOptions.AccessLogFormats(logFormats);
        filter ??= RecommendFilter.Default;
        CommonOptions.RequireExisting("--inventory", inventoryPaths);
        CommonOptions.RequireExisting("--access-log", accessLogPaths);
        if (maxHosts < 1)
        {
            throw new UsageException($"--max-hosts must be at least 1, not {maxHosts}");
        }

        var renderOptions = CommonOptions.RenderOptions(baselineHosts);
        if (routing is not null)
        {
            renderOptions = FallbackSidecarHosts.WithFallback(renderOptions, routing);
        }

        var meshOptions = CommonOptions.MeshOptions(clusterDomain, meshConfigPath);
        var snapshot = InventoryLoader.Load(inventoryPaths);
        var index = MeshIndexBuilder.Build(snapshot, meshOptions);
        var store = new DependencyStore(maxHosts);
        var learner = new EdgeLearner(new MeshIndexHolder(index), store);
        var stats = new AccessLogReadStats
        {
            OnProblem = strict ? p => { if (p.Kind != AccessLogLineKind.NotAccessLog) { throw new StrictModeException(p); } } : null,
        };
        var evidence = new TrafficEvidence(index, learner);
        var logWarnings = new List<string>();
        foreach (var path in accessLogPaths)
        {
            var (lines, parsed, usable) = (stats.Lines, stats.Parsed, evidence.Usable);
            AccessLogIngest.ReadAll([path], evidence, stats, stderr, formats);
            if (evidence.Usable == usable)
            {
                logWarnings.Add($"{path}: no usable access-log entries ({stats.Lines - lines} lines, {stats.Parsed - parsed} entries, none from or to a pod in the inventory); " +
                    "is access logging on (README: \"Access logs\") and is the inventory from the same cluster?");
            }
        }

        var all = DesiredStateBuilder.Build(index, store, renderOptions, enabledByDefault: true);
        var desired = filter.Apply(index, all, evidence, logWarnings);
        var routingObjects = routing is null ? [] : FallbackRoutingObjects.All(index, desired.Sidecars, routing);
        var written = 0;
        var unchanged = 0;
        var pruned = 0;
        if (outputDir is null)
        {
            ResourceYaml.WriteAll(stdout, desired.Sidecars.Select(static d => (object)d.Sidecar).Concat(routingObjects));
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

            // Routing objects after the Sidecars that import the fallback host (the order to apply them in).
            foreach (var resource in routingObjects)
            {
                if (sink.Write(resource) == WriteResult.Written)
                {
                    written++;
                }
                else
                {
                    unchanged++;
                }
            }

            // Managed Sidecars of workloads that no longer get one are removed; user files are never touched.
            // Only within --namespace/--workload, and never a workload whose traffic these logs do not show.
            var keep = desired.Sidecars.Select(static d => (d.Sidecar.Metadata.NamespaceProperty, d.Sidecar.Metadata.Name)).ToHashSet();
            foreach (var stored in sink.ReadAll().Where(s => sink.IsAtItsOwnPath(s) && filter.MayPrune(index, s.Sidecar, evidence)))
            {
                var key = (stored.Sidecar.Metadata.NamespaceProperty, stored.Sidecar.Metadata.Name);
                if (!keep.Contains(key) && sink.Delete(key.NamespaceProperty, key.Name))
                {
                    pruned++;
                }
            }
        }

        PrintSummary(stderr, snapshot, index, store, learner.Stats, stats, desired, outputDir, written, unchanged, pruned, logWarnings);
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
        int pruned,
        List<string> logWarnings)
    {
        console.MarkupLine($"[bold]inventory[/]: {snapshot.Count} objects, {index.Workloads.Count} workloads, {index.Services.Count} services/hosts" +
            (snapshot.SkippedKinds.Count > 0 ? $", skipped kinds: {Markup.Escape(string.Join(", ", snapshot.SkippedKinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} x{k.Value}")))}" : string.Empty));
        foreach (var warning in index.Warnings)
        {
            console.MarkupLine($"[yellow]warning[/]: {Markup.Escape(warning)}");
        }

        var accessLogLines = AccessLogIngest.Describe(reads).ToList();
        console.MarkupLine($"[bold]access logs[/]: {Markup.Escape(accessLogLines[0])}");
        foreach (var warning in logWarnings)
        {
            console.MarkupLine($"[yellow]warning[/]: {Markup.Escape(warning)}");
        }

        foreach (var line in accessLogLines.Skip(1))
        {
            console.MarkupLine(line.StartsWith("  formats", StringComparison.Ordinal) || line.StartsWith("  line prefixes", StringComparison.Ordinal)
                ? Markup.Escape(line)
                : $"[yellow]{Markup.Escape(line)}[/]");
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
