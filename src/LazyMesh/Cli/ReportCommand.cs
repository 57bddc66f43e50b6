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
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var clusterDomain = CommonOptions.ClusterDomain();
        var costModel = CommonOptions.CostModel();
        var command = new Command("report", "What scoping saves: clusters, endpoints, HTTP virtual hosts and estimated Envoy memory per workload")
        {
            inventory, sidecars, format, clusterDomain, costModel,
        };
        command.SetAction(parse => Run(
            parse.GetRequiredValue(inventory),
            parse.GetValue(sidecars),
            parse.GetRequiredValue(format),
            parse.GetRequiredValue(clusterDomain),
            Console.Out,
            parse.GetValue(costModel)));
        return command;
    }

    public static int Run(string[] inventoryPaths, string? sidecarsDir, string format, string clusterDomain, TextWriter stdout, string? costModelPath = null)
    {
        CommonOptions.RequireExisting("--inventory", inventoryPaths);
        var costs = CommonOptions.LoadCostModel(costModelPath);
        if (sidecarsDir is not null && !Directory.Exists(sidecarsDir))
        {
            throw new UsageException($"--sidecars: '{sidecarsDir}' is not a directory");
        }

        var index = MeshIndexBuilder.Build(WithSidecars(InventoryLoader.Load(inventoryPaths), sidecarsDir, Console.Error), new MeshOptions { ClusterDomain = clusterDomain });
        var report = SavingsCalculator.Compute(index, costs: costs);
        if (format == "json")
        {
            stdout.WriteLine(SavingsReportJson.Serialize(report));
        }
        else
        {
            WriteTable(report, stdout);
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

    private static void WriteTable(SavingsReport report, TextWriter stdout)
    {
        var console = PlainConsole.Create(stdout, 160);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Namespace").AddColumn("Workload").AddColumn("Sidecar")
            .AddColumn(new TableColumn("Clusters").RightAligned())
            .AddColumn(new TableColumn("Endpoints").RightAligned())
            .AddColumn(new TableColumn("HTTP vhosts").RightAligned())
            .AddColumn(new TableColumn("Est. memory").RightAligned())
            .AddColumn(new TableColumn("Saved").RightAligned());
        foreach (var row in report.Workloads)
        {
            table.AddRow(
                Markup.Escape(row.Namespace),
                Markup.Escape($"{row.Kind}/{row.Name}"),
                Markup.Escape(row.Sidecar ?? "(none: full mesh)"),
                $"{row.Full.Clusters} -> {row.Scoped.Clusters}",
                $"{row.Full.Endpoints} -> {row.Scoped.Endpoints}",
                $"{row.Full.HttpVirtualHosts} -> {row.Scoped.HttpVirtualHosts}",
                $"{Mib(row.Full.EstimatedMemoryBytes)} -> {Mib(row.Scoped.EstimatedMemoryBytes)}",
                $"{SavingsReport.Percent(row.Full.EstimatedMemoryBytes, row.Scoped.EstimatedMemoryBytes):0.0}%");
        }

        table.AddEmptyRow();
        table.AddRow(
            "[bold]total[/]",
            $"{report.Workloads.Count} workloads",
            string.Empty,
            $"{report.TotalFull.Clusters} -> {report.TotalScoped.Clusters}",
            $"{report.TotalFull.Endpoints} -> {report.TotalScoped.Endpoints}",
            $"{report.TotalFull.HttpVirtualHosts} -> {report.TotalScoped.HttpVirtualHosts}",
            $"{Mib(report.TotalFull.EstimatedMemoryBytes)} -> {Mib(report.TotalScoped.EstimatedMemoryBytes)}",
            $"{report.MemoryReductionPercent:0.0}%");
        console.Write(table);
        foreach (var line in SavingsSummary.Lines(report))
        {
            console.WriteLine(line);
        }
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:0.00} MiB";
}
