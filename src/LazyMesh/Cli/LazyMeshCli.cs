using System.CommandLine;
using LazyMesh.Als;
using LazyMesh.Inventory;

namespace LazyMesh.Cli;

/// <summary>The <c>lazymesh</c> command line: one binary, one sub-command per mode.</summary>
public static class LazyMeshCli
{
    public static RootCommand Build() => new("LazyMesh: learns each workload's dependencies from Istio access logs and writes its Sidecar.")
    {
        RecommendCommand.Create(),
        ReportCommand.Create(),
        ControllerCommand.Create(),
        ReplayCommand.Create(),
        CrdCommand.Create(),
        DemoCommand.Create(),
        FallbackCommand.Create(),
        RevertCommand.Create(),
        StatusCommand.Create(),
        InstallCommand.Create(),
        UninstallCommand.Create(),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"lazymesh: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'lazymesh --help' for usage.");
            return CliExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is UsageException or Kubernetes.Connection.KubeConnectionException)
        {
            await Console.Error.WriteLineAsync($"lazymesh: {ex.Message}");
            return CliExitCodes.Usage;
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or System.Net.Http.HttpRequestException or InventoryException or StrictModeException or IOException or InvalidDataException or UnauthorizedAccessException or AlsDecodeException)
        {
            await Console.Error.WriteLineAsync($"lazymesh: {ex.Message}");
            return CliExitCodes.Failed;
        }
    }
}
