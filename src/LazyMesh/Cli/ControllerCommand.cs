using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using LazyMesh.Als;
using LazyMesh.Controller;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh controller</c>: the online loop on files (inventory files in, Sidecar files out).</summary>
public static class ControllerCommand
{
    public static Command Create()
    {
        var inventory = CommonOptions.Inventory();
        var outputDir = new Option<string>("--output-dir", "-o") { Description = "Where Sidecars are written: DIR/<namespace>/<name>.yaml", Required = true };
        var stateDir = new Option<string?>("--state-dir") { Description = "Where learned dependencies are persisted (default OUTPUT-DIR/.lazymesh)" };
        var alsListen = new Option<string>("--als-listen") { Description = "ALS gRPC (HTTP/2 cleartext) listen address", DefaultValueFactory = _ => "0.0.0.0:15800" };
        var httpListen = new Option<string>("--http-listen") { Description = "/healthz, /readyz and /metrics listen address", DefaultValueFactory = _ => "0.0.0.0:15801" };
        var maxMessage = new Option<int>("--max-message-bytes") { Description = "Largest ALS message accepted", DefaultValueFactory = _ => 4 * 1024 * 1024 };
        var maxStreams = new Option<int>("--max-streams") { Description = "Concurrent ALS streams accepted", DefaultValueFactory = _ => 1024 };
        var idle = new Option<int>("--idle-stream-seconds") { Description = "An ALS stream silent this long is ended", DefaultValueFactory = _ => 60 };
        var allow = new Option<string[]>("--allow-sender") { Description = "Only accept ALS from these CIDRs (repeatable; default: anyone)" };
        var writeInterval = new Option<int>("--write-interval-ms") { Description = "At most one Sidecar write per workload per this many ms (the first is immediate)", DefaultValueFactory = _ => 250 };
        var logFormat = new Option<string>("--log-format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Minimum log level", DefaultValueFactory = _ => LogLevel.Information };
        var routing = new Option<bool>("--fallback-routing") { Description = "Also write the fallback's Service and an EnvoyFilter per lazy namespace, and import the fallback in every Sidecar", DefaultValueFactory = _ => true };
        var fallbackNamespace = new Option<string>("--fallback-namespace") { Description = "Namespace of the fallback proxy's Service", DefaultValueFactory = _ => FallbackRoutingOptions.DefaultNamespace };
        var clusterDomain = CommonOptions.ClusterDomain();
        var baseline = CommonOptions.BaselineHosts();
        var maxHosts = CommonOptions.MaxHostsPerWorkload();
        var command = new Command("controller", "Online: learn dependencies from Envoy ALS streams and keep each workload's Sidecar file up to date")
        {
            inventory, outputDir, stateDir, alsListen, httpListen, maxMessage, maxStreams, idle, allow, writeInterval, logFormat, logLevel, routing, fallbackNamespace, clusterDomain, baseline, maxHosts,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var inventoryPaths = parse.GetRequiredValue(inventory);
            CommonOptions.RequireExisting("--inventory", inventoryPaths);
            var options = new ControllerOptions
            {
                InventoryPaths = inventoryPaths,
                OutputDirectory = parse.GetRequiredValue(outputDir),
                StateDirectory = parse.GetValue(stateDir),
                AlsEndPoint = EndpointParser.Parse("--als-listen", parse.GetRequiredValue(alsListen)),
                HttpEndPoint = EndpointParser.Parse("--http-listen", parse.GetRequiredValue(httpListen)),
                Als = new AlsServerOptions
                {
                    MaxReceiveMessageSize = Positive("--max-message-bytes", parse.GetValue(maxMessage)),
                    MaxConcurrentStreams = Positive("--max-streams", parse.GetValue(maxStreams)),
                    IdleStreamTimeout = TimeSpan.FromSeconds(Positive("--idle-stream-seconds", parse.GetValue(idle))),
                    AllowedSenders = ParseCidrs(parse.GetValue(allow)),
                },
                Mesh = new MeshOptions { ClusterDomain = parse.GetRequiredValue(clusterDomain) },
                Render = CommonOptions.RenderOptions(parse.GetValue(baseline)),
                FallbackRouting = parse.GetValue(routing)
                    ? new FallbackRoutingOptions { Namespace = parse.GetRequiredValue(fallbackNamespace), ClusterDomain = parse.GetRequiredValue(clusterDomain) }
                    : null,
                MaxHostsPerWorkload = Positive("--max-hosts", parse.GetValue(maxHosts)),
                MinWriteInterval = TimeSpan.FromMilliseconds(Positive("--write-interval-ms", parse.GetValue(writeInterval))),
            };
            using var loggerFactory = Logging.Create(parse.GetRequiredValue(logFormat), parse.GetValue(logLevel));
            return await RunAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(ControllerOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        await using var controller = new LazyMeshController(options, loggerFactory);
        await controller.StartAsync(stop.Token).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return CliExitCodes.Success;
    }

    private static int Positive(string option, int value) =>
        value > 0 ? value : throw new UsageException($"{option} must be positive, not {value}");

    private static IReadOnlyList<IPNetwork>? ParseCidrs(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        return [.. values.Select(v => IPNetwork.TryParse(v, out var network) ? network : throw new UsageException($"--allow-sender: '{v}' is not a CIDR like 10.0.0.0/8"))];
    }
}
