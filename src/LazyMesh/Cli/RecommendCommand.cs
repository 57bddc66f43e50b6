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
/// as files under <c>--output-dir</c>, or on stdout as multi-document YAML (<c>-o yaml</c>, the default), a JSON List
/// (<c>-o json</c>) or a table (<c>-o table</c>). Summary on stderr.
/// </summary>
public static class RecommendCommand
{
    public static Command Create()
    {
        var inventory = CommonOptions.Inventory();
        var accessLogs = CommonOptions.AccessLogs(required: false);
        var prometheus = CommonOptions.Prometheus();
        var window = CommonOptions.PrometheusWindow("7d");
        var outputDir = new Option<string?>("--output-dir") { Description = "Write DIR/<namespace>/<name>.yaml (atomically; unchanged files untouched) instead of printing to stdout", HelpName = "DIR" };
        var format = CommonOptions.OutputFormat("yaml", "json", "table");
        var clusterDomain = CommonOptions.ClusterDomain();
        var baseline = CommonOptions.BaselineHosts();
        var maxHosts = CommonOptions.MaxHostsPerWorkload();
        var strict = new Option<bool>("--strict") { Description = "Fail at the first malformed access-log line instead of counting it" };
        var namespaces = new NamespaceOptions("Only workloads in this namespace", repeatable: true);
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
            inventory, accessLogs, outputDir, format, clusterDomain, baseline, maxHosts, strict, meshConfig, routing, fallbackNamespace, logFormat, workloads, includeUnseen, prometheus, window,
        };
        namespaces.AddTo(command);
        command.SetAction(parse => Run(
            parse.GetRequiredValue(inventory),
            parse.GetValue(accessLogs) ?? [],
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
            new RecommendFilter([.. namespaces.Read(parse)], parse.GetValue(workloads) ?? [], parse.GetValue(includeUnseen)),
            CommonOptions.MetricsPolling(parse.GetValue(prometheus), parse.GetRequiredValue(window), TimeSpan.Zero),
            CommonOptions.IsGiven(parse, format) ? parse.GetRequiredValue(format) : null));
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
        RecommendFilter? filter = null,
        MetricsSource.MetricsPollingOptions? prometheus = null,
        string? format = null)
    {
        if (outputDir is not null && format is not null)
        {
            throw new UsageException($"--output {format}: not with --output-dir, whose files are always YAML; drop one of them");
        }

        var formats = CommonOptions.AccessLogFormats(logFormats);
        filter ??= RecommendFilter.Default;
        CommonOptions.RequireExisting("--inventory", inventoryPaths);
        CommonOptions.RequireExisting("--access-log", accessLogPaths);
        if (accessLogPaths.Length == 0 && prometheus is null)
        {
            throw new UsageException("--access-log or --prometheus is required: something to learn dependencies from");
        }

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

        if (prometheus is not null)
        {
            var fromMetrics = new MetricsSource.MetricsLearner(new MetricsSource.PrometheusClient(prometheus.Prometheus), prometheus.Window)
                .LearnAsync(
                    index,
                    (s, d, seen) =>
                    {
                        evidence.Saw(s.Key);
                        return store.Learn(s, d, seen, LearnedVia.Metrics);
                    },
                    DateTimeOffset.UtcNow,
                    CancellationToken.None)
                .GetAwaiter().GetResult();
            stderr.MarkupLine($"[bold]prometheus[/]: {Markup.Escape(prometheus.Prometheus.ToString())} over {Markup.Escape(prometheus.Window.Text)}: {Markup.Escape(fromMetrics.ToString())}");
        }

        var all = DesiredStateBuilder.Build(index, store, renderOptions, enabledByDefault: true);
        var desired = filter.Apply(index, all, evidence, logWarnings);
        var routingObjects = routing is null ? [] : FallbackRoutingObjects.All(index, desired.Sidecars, routing);
        var written = 0;
        var unchanged = 0;
        var pruned = 0;
        if (outputDir is null && format == "table")
        {
            WriteTable(stdout, desired, routingObjects.Count);
        }
        else if (outputDir is null)
        {
            ObjectOutput.Write(stdout, format ?? "yaml", desired.Sidecars.Select(static d => (object)d.Sidecar).Concat(routingObjects).Select(Install.InstallRenderer.ToJson));
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

    /// <summary><c>-o table</c>: one row per Sidecar, with how many of its hosts were learned and how many are static.</summary>
    private static void WriteTable(TextWriter stdout, DesiredState desired, int routingObjects)
    {
        var console = PlainConsole.Create(stdout, TerminalWidth.For(stdout));
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("Namespace").NoWrap()).AddColumn(new TableColumn("Workload").NoWrap()).AddColumn(new TableColumn("Sidecar").NoWrap())
            .AddColumn(new TableColumn("Learned hosts").RightAligned())
            .AddColumn(new TableColumn("Static hosts").RightAligned());
        foreach (var d in desired.Sidecars)
        {
            table.AddRow(
                Markup.Escape(d.Workload.Namespace),
                Markup.Escape($"{d.Workload.Kind}/{d.Workload.Name}"),
                Markup.Escape(d.Sidecar.Metadata.Name),
                Count(d.LearnedHosts),
                Count(d.StaticHosts));
        }

        console.Write(table);
        stdout.WriteLine($"{Count(desired.Sidecars.Count)} sidecars" + (routingObjects > 0 ? $", {Count(routingObjects)} fallback routing objects (-o yaml shows them)" : string.Empty));
        stdout.Flush();
    }

    private static string Count(long n) => Reporting.HumanNumbers.Count(n);

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
        console.MarkupLine($"[bold]inventory[/]: {Count(snapshot.Count)} objects, {Count(index.Workloads.Count)} workloads, {Count(index.Services.Count)} services/hosts" +
            (snapshot.SkippedKinds.Count > 0 ? $", skipped kinds: {Markup.Escape(string.Join(", ", snapshot.SkippedKinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} x{k.Value}")))}" : string.Empty) +
            (snapshot.SkippedObjects > 0 ? $", [yellow]{Count(snapshot.SkippedObjects)} malformed objects skipped[/]" : string.Empty));
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
            .Select(r => $"{r} {Count(attribution.SkippedCount(r))}")
            .ToList();
        console.MarkupLine($"[bold]attribution[/]: {Count(attribution.TotalAttributed)} attributed, {Count(attribution.TotalSkipped)} skipped" +
            (skipped.Count > 0 ? $" ({string.Join(", ", skipped)})" : string.Empty));
        console.MarkupLine($"[bold]learned[/]: {Count(store.EdgeCount)} edges across {Count(store.WorkloadCount)} workloads" +
            (store.CappedCount > 0 ? $", [yellow]{Count(store.CappedCount)} new hosts rejected by --max-hosts[/]" : string.Empty));
        foreach (var warning in desired.Warnings)
        {
            console.MarkupLine($"[yellow]warning[/]: {Markup.Escape(warning)}");
        }

        var where = outputDir is null ? "stdout" : $"{Markup.Escape(outputDir)} ({Count(written)} written, {Count(unchanged)} unchanged, {Count(pruned)} removed)";
        console.MarkupLine($"[bold]sidecars[/]: {Count(desired.Sidecars.Count)} to {where}; {Count(desired.DisabledWorkloads)} workloads disabled, {Count(desired.ConflictingWorkloads)} skipped for user-written Sidecars");
    }
}
