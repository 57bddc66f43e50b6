using System.CommandLine;
using System.Text.Json;
using k8s;
using LazyMesh.Kubernetes.State;
using Spectre.Console;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh status</c>: each lazy workload with its host count, last learned dependency and conditions.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only this namespace (default: all)" };
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var kubeconfig = KubeClientFactory.KubeconfigOption();
        var context = KubeClientFactory.ContextOption();
        var command = new Command("status", "Lazy workloads: learned host count, last learned dependency, phase (observing until when, narrowed), conditions") { ns, format, kubeconfig, context };
        command.SetAction(async (parse, ct) =>
        {
            using var client = (IDisposable)KubeClientFactory.Create(parse.GetValue(kubeconfig), parse.GetValue(context));
            return await RunAsync((IKubernetes)client, parse.GetValue(ns), parse.GetRequiredValue(format), Console.Out, ct);
        });
        return command;
    }

    public static async Task<int> RunAsync(IKubernetes client, string? @namespace, string format, TextWriter stdout, CancellationToken cancellationToken)
    {
        var rows = (await new ApiLazySidecarSource(client).ListAsync(@namespace, cancellationToken))
            .Select(Row)
            .OrderBy(static r => r.Namespace, StringComparer.Ordinal).ThenBy(static r => r.Workload, StringComparer.Ordinal)
            .ToList();
        if (format == "json")
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(rows, StatusJsonContext.Default.ListStatusRow));
            return CliExitCodes.Success;
        }

        var console = PlainConsole.Create(stdout, 200);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Namespace").AddColumn("Workload").AddColumn("Sidecar")
            .AddColumn(new TableColumn("Hosts").RightAligned())
            .AddColumn("Last learned").AddColumn("Ready").AddColumn("Phase").AddColumn("Conflict");
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Namespace),
                Markup.Escape(row.Workload),
                Markup.Escape(row.Sidecar ?? "-"),
                row.Hosts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(row.LastLearnedHost is null ? "-" : $"{row.LastLearnedHost} ({row.LastLearnedTime})"),
                Markup.Escape(row.Ready ?? "Unknown"),
                Markup.Escape(row.Phase),
                Markup.Escape(row.Conflict is "True" ? $"True: {row.ConflictMessage}" : row.Conflict ?? "-"));
        }

        console.Write(table);
        console.WriteLine($"{rows.Count} lazy workloads");
        return CliExitCodes.Success;
    }

    private static StatusRow Row(LazySidecarResource lazy) => new(
        lazy.Metadata.NamespaceProperty,
        $"{lazy.Spec.Workload.Kind}/{lazy.Spec.Workload.Name}",
        lazy.Status?.SidecarName,
        lazy.Status?.HostCount ?? lazy.Status?.LearnedHosts?.Count ?? 0,
        lazy.Status?.LastLearned?.Host,
        lazy.Status?.LastLearned?.Time,
        LazySidecarStatuses.Condition(lazy.Status, LazySidecarCondition.Ready)?.Status,
        LazySidecarStatuses.Condition(lazy.Status, LazySidecarCondition.Conflict)?.Status,
        LazySidecarStatuses.Condition(lazy.Status, LazySidecarCondition.Conflict)?.Message,
        lazy.Spec.Paused == true,
        Phase(lazy));

    /// <summary>
    /// <c>observing until T</c> (the message of Ready=False/Observing, lazymesh.io/observe-for), <c>paused</c>,
    /// <c>conflict</c>, <c>narrowed</c> (a Sidecar is applied), or <c>pending</c>.
    /// </summary>
    private static string Phase(LazySidecarResource lazy)
    {
        var ready = LazySidecarStatuses.Condition(lazy.Status, LazySidecarCondition.Ready);
        return ready switch
        {
            { Reason: LazySidecarCondition.ObservingReason } => ready.Message,
            _ when lazy.Spec.Paused == true => "paused",
            _ when LazySidecarStatuses.IsTrue(lazy.Status, LazySidecarCondition.Conflict) => "conflict",
            { Status: "True" } => "narrowed",
            _ => "pending",
        };
    }
}
