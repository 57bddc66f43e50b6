using System.CommandLine;
using System.Net;
using LazyMesh.Fallback;
using LazyMesh.Hosting;
using LazyMesh.Inventory;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Cli;

/// <summary>
/// <c>lazymesh fallback</c>: runs the fallback proxy until SIGINT/SIGTERM. Its mesh index comes from the same
/// sources as the controller's: on a cluster (no <c>--inventory</c>: <c>--kubeconfig</c>, <c>KUBECONFIG</c> or
/// in-cluster) from <see cref="KubernetesInventory"/>'s informers, so a Service created after start is forwarded to
/// as soon as its watch event arrives; on files from <see cref="InventoryWatcher"/>, reloaded when they change.
/// </summary>
public static partial class FallbackCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Proxy address HOST:PORT (HTTP/1.1 and h2c)", DefaultValueFactory = _ => "0.0.0.0:8080" };
        var httpListen = new Option<string>("--http-listen") { Description = "Health and metrics address HOST:PORT (/healthz, /readyz, /metrics)", DefaultValueFactory = _ => "0.0.0.0:8081" };
        var inventory = CommonOptions.Inventory(required: false);
        var kubeconfig = KubeClientFactory.KubeconfigOption();
        var context = KubeClientFactory.ContextOption();
        var alsTarget = new Option<string?>("--als-target") { Description = "The controller's ALS endpoint HOST:PORT (cleartext HTTP/2); without it, calls are not reported" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds without activity (no bytes either way) before a forwarded call fails with 504", DefaultValueFactory = _ => 100 };
        var fallbackNamespace = new Option<string>("--fallback-namespace") { Description = "The fallback's own namespace (loop detection)", DefaultValueFactory = _ => FallbackRoutingOptions.DefaultNamespace };
        var serviceName = new Option<string>("--fallback-service") { Description = "The fallback's own Service name (loop detection)", DefaultValueFactory = _ => FallbackRoutingOptions.DefaultServiceName };
        var clusterDomain = CommonOptions.ClusterDomain();
        var trustSourceHeader = new Option<bool>("--trust-source-header")
        {
            Description = "Believe x-lazymesh-source-ip as sent instead of checking it against the client certificate the fallback's sidecar verified. " +
                "Only for meshes without mTLS: anyone who can reach the fallback can then make the controller learn dependencies for another workload (docs/security.md)",
        };
        var rootNamespace = new Option<string>("--root-namespace") { Description = "Istio's root namespace, whose AuthorizationPolicies apply mesh-wide", DefaultValueFactory = _ => "istio-system" };
        var maxConnections = new Option<long>("--max-connections") { Description = "Open connections at most; further ones are closed", DefaultValueFactory = _ => 10_000 };
        var istioNamespace = CommonOptions.IstioNamespace();
        var command = new Command("fallback", "Run the fallback proxy: serve calls to services a lazy sidecar does not know yet, and report them to the controller")
        {
            listen, httpListen, inventory, kubeconfig, context, alsTarget, timeout, fallbackNamespace, serviceName, clusterDomain, trustSourceHeader, rootNamespace, maxConnections, istioNamespace,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            EndpointParser.ParseListen("--listen", parse.GetRequiredValue(listen)),
            EndpointParser.ParseListen("--http-listen", parse.GetRequiredValue(httpListen)),
            parse.GetValue(inventory) is { Length: > 0 } paths
                ? FallbackInventory.Files(paths)
                : FallbackInventory.Cluster(parse.GetValue(kubeconfig), parse.GetValue(context)),
            parse.GetValue(alsTarget) is { } target ? EndpointParser.ParseTarget("--als-target", target) : null,
            parse.GetValue(timeout),
            new FallbackRoutingOptions
            {
                Namespace = parse.GetRequiredValue(fallbackNamespace),
                ServiceName = parse.GetRequiredValue(serviceName),
                ClusterDomain = parse.GetRequiredValue(clusterDomain),
            },
            cancellationToken,
            new FallbackProxyOptions
            {
                CallerIdentity = parse.GetValue(trustSourceHeader) ? FallbackCallerIdentity.SourceHeader : FallbackCallerIdentity.ClientCertificate,
                RootNamespace = parse.GetRequiredValue(rootNamespace),
                MaxConnections = parse.GetValue(maxConnections),
            },
            new MeshOptions { MeshConfigNamespace = parse.GetRequiredValue(istioNamespace) }));
        return command;
    }

    public static async Task<int> RunAsync(
        IPEndPoint listen,
        IPEndPoint httpListen,
        FallbackInventory inventorySource,
        Uri? alsTarget,
        double timeoutSeconds,
        FallbackRoutingOptions routing,
        CancellationToken cancellationToken,
        FallbackProxyOptions? proxyOptions = null,
        MeshOptions? mesh = null)
    {
        ArgumentNullException.ThrowIfNull(inventorySource);
        if (timeoutSeconds <= 0)
        {
            throw new UsageException($"--timeout must be positive, not {timeoutSeconds}");
        }

        proxyOptions ??= new FallbackProxyOptions();
        if (proxyOptions.MaxConnections < 1)
        {
            throw new UsageException($"--max-connections must be at least 1, not {proxyOptions.MaxConnections}");
        }

        using var loggerFactory = Logging.Create("text", LogLevel.Information);
        var logger = loggerFactory.CreateLogger("LazyMesh.Fallback");

        using var inventory = inventorySource.Open((mesh ?? MeshOptions.Default) with { ClusterDomain = routing.ClusterDomain }, logger);
        if (inventory.Holder.Current is { Services.Count: > 0 } index)
        {
            LogInventory(logger, index.Services.Count, index.Pods.Count, index.Workloads.Count);
        }

        using var metrics = new FallbackMetrics();
        await using var reporter = alsTarget is null ? null : new FallbackReporter(alsTarget, new FallbackReporterOptions(), metrics, loggerFactory);
        if (reporter is null)
        {
            LogNoAlsTarget(logger);
        }

        if (proxyOptions.CallerIdentity == FallbackCallerIdentity.SourceHeader)
        {
            LogTrustingSourceHeader(logger);
        }

        await using var proxy = new FallbackProxy(
            inventory.Holder,
            new FallbackProxyOptions
            {
                Listen = listen,
                AdminListen = httpListen,
                ActivityTimeout = TimeSpan.FromSeconds(timeoutSeconds),
                Routing = routing,
                CallerIdentity = proxyOptions.CallerIdentity,
                RootNamespace = proxyOptions.RootNamespace,
                MaxConnections = proxyOptions.MaxConnections,
            },
            upstreamResolver: null,
            reporter,
            metrics,
            loggerFactory);

        await ConsoleHost.RunAsync(
            async ct =>
            {
                await proxy.StartAsync(ct).ConfigureAwait(false);
                reporter?.Start();
            },
            _ =>
            {
                LogStopping(logger);
                return Task.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        return CliExitCodes.Success;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "inventory: {Services} services, {Pods} pods, {Workloads} workloads")]
    private static partial void LogInventory(ILogger logger, int services, int pods, int workloads);

    [LoggerMessage(Level = LogLevel.Warning, Message = "no --als-target: forwarded calls are not reported, so nothing is learned from them")]
    private static partial void LogNoAlsTarget(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "--trust-source-header: x-lazymesh-source-ip is believed as sent; any client that reaches the fallback can make the controller learn dependencies for another workload")]
    private static partial void LogTrustingSourceHeader(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping")]
    private static partial void LogStopping(ILogger logger);
}
