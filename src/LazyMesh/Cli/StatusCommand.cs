using System.CommandLine;
using k8s;
using LazyMesh.Kubernetes.State;
using Spectre.Console;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh status</c>: each lazy workload with its host count, last learned dependency and conditions.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var namespaces = new NamespaceOptions("Only lazy workloads in this namespace");
        var format = CommonOptions.OutputFormat("table", "json", "yaml");
        var kubeconfig = KubeClientFactory.KubeconfigOption();
        var context = KubeClientFactory.ContextOption();
        var command = new Command("status", "Lazy workloads: learned host count, last learned dependency, phase (observing until when, narrowed), conditions") { format, kubeconfig, context };
        namespaces.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = (IDisposable)KubeClientFactory.Create(parse.GetValue(kubeconfig), parse.GetValue(context));
            return await RunAsync((IKubernetes)client, namespaces.Read(parse).FirstOrDefault(), parse.GetRequiredValue(format), Console.Out, ct);
        });
        return command;
    }

    /// <param name="width">Table width; default <see cref="TerminalWidth.For"/> the writer.</param>
    public static async Task<int> RunAsync(IKubernetes client, string? @namespace, string format, TextWriter stdout, CancellationToken cancellationToken, int? width = null)
    {
        var lazySidecars = await new ApiLazySidecarSource(client).ListAsync(@namespace, cancellationToken);
        if (format is "json" or "yaml")
        {
            // The same document the controller serves at /api/v1/graph (docs/graph-api.md), built by the same builder.
            var json = Ui.GraphJson.Serialize(Ui.GraphBuilder.FromLazySidecars(lazySidecars, DateTimeOffset.UtcNow));
            await stdout.WriteLineAsync(format == "json" ? json : Rendering.ResourceYaml.SerializeNode(System.Text.Json.Nodes.JsonNode.Parse(json)!));
            return CliExitCodes.Success;
        }

        var rows = lazySidecars
            .Select(Row)
            .OrderBy(static r => r.Namespace, StringComparer.Ordinal).ThenBy(static r => r.Workload, StringComparer.Ordinal)
            .ToList();

        var console = PlainConsole.Create(stdout, width ?? TerminalWidth.For(stdout));
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("Namespace").NoWrap()).AddColumn(new TableColumn("Workload").NoWrap()).AddColumn(new TableColumn("Sidecar").NoWrap())
            .AddColumn(new TableColumn("Hosts").RightAligned())
            .AddColumn("Last learned").AddColumn("Ready").AddColumn("Phase").AddColumn("Conflict");
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Namespace),
                Markup.Escape(row.Workload),
                Markup.Escape(row.Sidecar ?? "-"),
                Reporting.HumanNumbers.Count(row.Hosts),
                Markup.Escape(row.LastLearnedHost is null ? "-" : $"{row.LastLearnedHost} ({row.LastLearnedTime})"),
                Markup.Escape(row.Ready ?? "Unknown"),
                Markup.Escape(row.Phase),
                Markup.Escape(row.Conflict is "True" ? $"True: {row.ConflictMessage}" : row.Conflict ?? "-"));
        }

        console.Write(table);
        await stdout.WriteLineAsync($"{Reporting.HumanNumbers.Count(rows.Count)} lazy workloads");
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
