using System.CommandLine;
using LazyMesh.Als;
using LazyMesh.Inventory;

namespace LazyMesh.Cli;

/// <summary>The <c>lazymesh</c> command line: one binary, one sub-command per mode.</summary>
public static class LazyMeshCli
{
    /// <summary>Set to 1 to print the full exception (with stack trace) of an unexpected failure.</summary>
    public const string DebugVariable = "LAZYMESH_DEBUG";

    /// <summary>The long-running commands, which run on a Generic Host that handles the termination signals itself.</summary>
    private static readonly HashSet<string> HostedCommands = new(StringComparer.Ordinal) { "controller", "fallback", "ui" };

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
        UiCommand.Create(),
        VersionCommand.Create(),
    };

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Bare <c>lazymesh</c> prints usage (exit 0, as kubectl does); argument errors
    /// name the option and exit 2; failures print one clear line and exit 1. No exception escapes and no .NET exception
    /// text reaches the user, except under <c>LAZYMESH_DEBUG=1</c>.
    /// </summary>
    /// <param name="root">The command tree (default: <see cref="Build"/>).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, RootCommand? root = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        root ??= Build();
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = stderr };
        if (args.Length == 0)
        {
            return await root.Parse(["--help"]).InvokeAsync(invocation).ConfigureAwait(false) == 0 ? CliExitCodes.Success : CliExitCodes.Failed;
        }

        var parse = root.Parse(args);
        if (HostedCommands.Contains(parse.CommandResult.Command.Name))
        {
            // Their Generic Host's console lifetime owns SIGTERM and Ctrl+C: System.CommandLine would end the process
            // two seconds after the signal, in the middle of the controller's final flush.
            invocation.ProcessTerminationTimeout = null;
        }

        if (parse.Errors.Count > 0)
        {
            foreach (var message in ParseErrorMessages.Describe(parse))
            {
                await stderr.WriteLineAsync($"lazymesh: {message}").ConfigureAwait(false);
            }

            var command = parse.CommandResult.Command == root ? "lazymesh" : $"lazymesh {parse.CommandResult.Command.Name}";
            await stderr.WriteLineAsync($"Run '{command} --help' for usage.").ConfigureAwait(false);
            return CliExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is UsageException or Kubernetes.Connection.KubeConnectionException)
        {
            await stderr.WriteLineAsync($"lazymesh: {ex.Message}").ConfigureAwait(false);
            return CliExitCodes.Usage;
        }
        catch (Grpc.Core.RpcException ex)
        {
            // Its Message embeds the debug exception's type name; say what failed and why in words.
            var cause = ex.Status.DebugException is { } debug ? $" ({debug.Message})" : string.Empty;
            await stderr.WriteLineAsync($"lazymesh: gRPC call failed, {ex.StatusCode}: {ex.Status.Detail}{cause}").ConfigureAwait(false);
            return CliExitCodes.Failed;
        }
        catch (Exception ex) when (ex is System.Net.Http.HttpRequestException or InventoryException or StrictModeException or IOException or InvalidDataException or UnauthorizedAccessException or AlsDecodeException or MetricsSource.PrometheusQueryException)
        {
            await stderr.WriteLineAsync($"lazymesh: {ex.Message}").ConfigureAwait(false);
            return CliExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("lazymesh: cancelled").ConfigureAwait(false);
            return CliExitCodes.Failed;
        }
        catch (Exception ex)
        {
            // A bug: say so plainly; the details (type, message, stack) only on request.
            await stderr.WriteLineAsync(Environment.GetEnvironmentVariable(DebugVariable) == "1"
                ? $"lazymesh: unexpected failure in '{parse.CommandResult.Command.Name}':\n{ex}"
                : $"lazymesh: unexpected failure in '{parse.CommandResult.Command.Name}' (a bug in LazyMesh; run again with {DebugVariable}=1 for details and report it)").ConfigureAwait(false);
            return CliExitCodes.Failed;
        }
    }
}
