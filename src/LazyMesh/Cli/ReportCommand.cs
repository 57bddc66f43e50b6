using System.CommandLine;
using LazyMesh.Inventory;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Reporting;
using Spectre.Console;

namespace LazyMesh.Cli;

/// <summary>
/// <c>lazymesh report</c>: per workload, what its sidecar imports with full-mesh configuration and with
/// the Sidecar that applies to it (from <c>--sidecars DIR</c> or the inventory), and the reduction.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var inventory = CommonOptions.Inventory();
        var sidecars = new Option<string?>("--sidecars", "-s") { Description = "A directory of Sidecar YAML (e.g. recommend's --output-dir); Sidecars in the inventory count too" };
        var format = CommonOptions.OutputFormat("table", "json", "yaml");
        var clusterDomain = CommonOptions.ClusterDomain();
        var costModel = CommonOptions.CostModel();
        var namespaces = new NamespaceOptions("Only workloads in this namespace", repeatable: true);
        var command = new Command("report", "What scoping saves: clusters, endpoints, HTTP virtual hosts and estimated Envoy memory per workload")
        {
            inventory, sidecars, format, clusterDomain, costModel,
        };
        namespaces.AddTo(command);
        command.SetAction(parse => Run(
            parse.GetRequiredValue(inventory),
            parse.GetValue(sidecars),
            parse.GetRequiredValue(format),
            parse.GetRequiredValue(clusterDomain),
            Console.Out,
            parse.GetValue(costModel),
            namespaces.Read(parse)));
        return command;
    }

    /// <param name="namespaces">Only workloads in these namespaces (empty: all).</param>
    /// <param name="width">Table width; default <see cref="TerminalWidth.For"/> the writer.</param>
    public static int Run(string[] inventoryPaths, string? sidecarsDir, string format, string clusterDomain, TextWriter stdout, string? costModelPath = null, IReadOnlyList<string>? namespaces = null, int? width = null)
    {
        CommonOptions.RequireExisting("--inventory", inventoryPaths);
        var costs = CommonOptions.LoadCostModel(costModelPath);
        if (sidecarsDir is not null && !Directory.Exists(sidecarsDir))
        {
            throw new UsageException($"--sidecars: '{sidecarsDir}' is not a directory");
        }

        var index = MeshIndexBuilder.Build(WithSidecars(InventoryLoader.Load(inventoryPaths), sidecarsDir, Console.Error), new MeshOptions { ClusterDomain = clusterDomain });
        var report = SavingsCalculator.Compute(index, namespaces is { Count: > 0 } ? w => namespaces.Contains(w.Namespace) : null, costs);
        if (format == "json")
        {
            stdout.WriteLine(SavingsReportJson.Serialize(report));
        }
        else if (format == "yaml")
        {
            // The same document as -o json (docs/report-schema.md), in YAML.
            stdout.Write(Rendering.ResourceYaml.SerializeNode(System.Text.Json.Nodes.JsonNode.Parse(SavingsReportJson.Serialize(report))!));
        }
        else
        {
            WriteTable(report, stdout, width ?? TerminalWidth.For(stdout));
        }

        stdout.Flush();
        return CliExitCodes.Success;
    }

    /// <summary>
    /// Adds the Sidecars of a directory (recommend's or the controller's output: other kinds there, such as
    /// routing objects, are ignored) to the inventory, so that the index knows which Sidecar applies.
    /// </summary>
    public static InventorySnapshot WithSidecars(InventorySnapshot inventory, string? sidecarsDir, TextWriter warnings)
    {
        if (sidecarsDir is null)
        {
            return inventory;
        }

        var stored = Sinks.DirectorySink.ReadDirectory(sidecarsDir, out var problems);
        foreach (var problem in problems)
        {
            warnings.WriteLine($"lazymesh: skipped {problem}");
        }

        return inventory with { Sidecars = [.. inventory.Sidecars, .. stored.Select(static s => s.Sidecar)] };
    }

    private static void WriteTable(SavingsReport report, TextWriter stdout, int width)
    {
        var console = PlainConsole.Create(stdout, width);
        // Names never wrap (they are copied into other commands); the figures are "full -> scoped".
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("Namespace").NoWrap()).AddColumn(new TableColumn("Workload").NoWrap()).AddColumn("Sidecar")
            .AddColumn(new TableColumn("Clusters").RightAligned())
            .AddColumn(new TableColumn("Endpoints").RightAligned())
            .AddColumn(new TableColumn("HTTP vhosts").RightAligned())
            .AddColumn(new TableColumn("Est. memory MiB").RightAligned())
            .AddColumn(new TableColumn("Saved").RightAligned().NoWrap());
        foreach (var row in report.Workloads)
        {
            table.AddRow(
                Markup.Escape(row.Namespace),
                Markup.Escape($"{row.Kind}/{row.Name}"),
                Markup.Escape(row.Sidecar ?? "(none: full mesh)"),
                $"{Count(row.Full.Clusters)} -> {Count(row.Scoped.Clusters)}",
                $"{Count(row.Full.Endpoints)} -> {Count(row.Scoped.Endpoints)}",
                $"{Count(row.Full.HttpVirtualHosts)} -> {Count(row.Scoped.HttpVirtualHosts)}",
                $"{Mib(row.Full.EstimatedMemoryBytes)} -> {Mib(row.Scoped.EstimatedMemoryBytes)}",
                Percent(SavingsReport.Percent(row.Full.EstimatedMemoryBytes, row.Scoped.EstimatedMemoryBytes)));
        }

        table.AddEmptyRow();
        table.AddRow(
            "[bold]total[/]",
            $"{Count(report.Workloads.Count)} workloads",
            string.Empty,
            $"{Count(report.TotalFull.Clusters)} -> {Count(report.TotalScoped.Clusters)}",
            $"{Count(report.TotalFull.Endpoints)} -> {Count(report.TotalScoped.Endpoints)}",
            $"{Count(report.TotalFull.HttpVirtualHosts)} -> {Count(report.TotalScoped.HttpVirtualHosts)}",
            $"{Mib(report.TotalFull.EstimatedMemoryBytes)} -> {Mib(report.TotalScoped.EstimatedMemoryBytes)}",
            Percent(report.MemoryReductionPercent));
        console.Write(table);

        // Prose after the table is not wrapped: a terminal wraps it, a file keeps whole lines.
        foreach (var line in SavingsSummary.Lines(report))
        {
            stdout.WriteLine(line);
        }
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("#,0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static string Count(long n) => HumanNumbers.Count(n);

    private static string Percent(double percent) => percent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
