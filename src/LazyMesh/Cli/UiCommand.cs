using System.CommandLine;
using LazyMesh.Hosting;
using LazyMesh.Inventory;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Ui;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh ui</c>: the dependency-graph page for offline results (inventory + a directory of generated Sidecars).</summary>
public static class UiCommand
{
    public static Command Create()
    {
        var inventory = CommonOptions.Inventory();
        var sidecars = new Option<string>("--sidecars", "-s") { Description = "A directory of generated Sidecars (recommend's or the controller's --output-dir)", Required = true };
        var listen = new Option<string>("--listen") { Description = "Where the page is served", DefaultValueFactory = _ => "127.0.0.1:15802" };
        var clusterDomain = CommonOptions.ClusterDomain();
        var baseline = CommonOptions.BaselineHosts();
        var costModel = CommonOptions.CostModel();
        var command = new Command("ui", "Serve the dependency-graph page (/ui) and its JSON (/api/v1/graph) for offline results")
        {
            inventory, sidecars, listen, clusterDomain, baseline, costModel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The address first: it is cheap to check, reading the inputs may not be.
            var endpoint = EndpointParser.ParseListen("--listen", parse.GetRequiredValue(listen));
            var graph = Prepare(
                parse.GetRequiredValue(inventory),
                parse.GetRequiredValue(sidecars),
                parse.GetRequiredValue(clusterDomain),
                parse.GetValue(baseline),
                parse.GetValue(costModel),
                Console.Error);
            await using var server = new UiServer(endpoint, graph);
            await ConsoleHost.RunAsync(
                async ct =>
                {
                    await server.StartAsync(ct).ConfigureAwait(false);
                    await Console.Out.WriteLineAsync($"lazymesh ui: http://{server.BoundEndPoint}{GraphEndpoints.UiPath} (graph JSON at {GraphEndpoints.GraphPath}); Ctrl+C to stop").ConfigureAwait(false);
                },
                _ => Task.CompletedTask,
                cancellationToken).ConfigureAwait(false);
            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>Validates the inputs and returns the graph builder the server calls per request (the files are read once).</summary>
    public static Func<GraphDocument> Prepare(string[] inventoryPaths, string sidecarsDir, string clusterDomain, string[]? baselineHosts, string? costModelPath, TextWriter warnings)
    {
        CommonOptions.RequireExisting("--inventory", inventoryPaths);
        if (!Directory.Exists(sidecarsDir))
        {
            throw new UsageException($"--sidecars: '{sidecarsDir}' is not a directory");
        }

        var render = CommonOptions.RenderOptions(baselineHosts);
        var costs = CommonOptions.LoadCostModel(costModelPath);
        var index = MeshIndexBuilder.Build(ReportCommand.WithSidecars(InventoryLoader.Load(inventoryPaths), sidecarsDir, warnings), new MeshOptions { ClusterDomain = clusterDomain });
        var problems = new List<string>();
        var store = OfflineLearnedState.Load(sidecarsDir, [.. render.BaselineHosts], problems);
        foreach (var problem in problems)
        {
            warnings.WriteLine($"lazymesh: {problem}");
        }

        var options = new GraphOptions { Source = $"files ({sidecarsDir})", Render = render, Costs = costs };
        return () => GraphBuilder.FromMesh(index, store, options, DateTimeOffset.UtcNow);
    }
}
