using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using LazyMesh.Fallback;
using LazyMesh.Inventory;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Cli;

/// <summary>
/// <c>lazymesh fallback</c>: runs the fallback proxy until SIGINT/SIGTERM. The inventory is loaded once at start
/// (restart the proxy, or roll its pods, to pick up new services; file watching lives in the controller).
/// </summary>
public static class FallbackCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Proxy address HOST:PORT (HTTP/1.1 and h2c)", DefaultValueFactory = _ => "0.0.0.0:8080" };
        var httpListen = new Option<string>("--http-listen") { Description = "Health and metrics address HOST:PORT (/healthz, /readyz, /metrics)", DefaultValueFactory = _ => "0.0.0.0:8081" };
        var inventory = CommonOptions.Inventory();
        var alsTarget = new Option<string?>("--als-target") { Description = "The controller's ALS endpoint HOST:PORT (cleartext HTTP/2); without it, calls are not reported" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds without activity (no bytes either way) before a forwarded call fails with 504", DefaultValueFactory = _ => 100 };
        var fallbackNamespace = new Option<string>("--fallback-namespace") { Description = "The fallback's own namespace (loop detection)", DefaultValueFactory = _ => FallbackRoutingOptions.DefaultNamespace };
        var serviceName = new Option<string>("--fallback-service") { Description = "The fallback's own Service name (loop detection)", DefaultValueFactory = _ => FallbackRoutingOptions.DefaultServiceName };
        var clusterDomain = CommonOptions.ClusterDomain();
        var command = new Command("fallback", "Run the fallback proxy: serve calls to services a lazy sidecar does not know yet, and report them to the controller")
        {
            listen, httpListen, inventory, alsTarget, timeout, fallbackNamespace, serviceName, clusterDomain,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            ParseEndPoint("--listen", parse.GetRequiredValue(listen)),
            ParseEndPoint("--http-listen", parse.GetRequiredValue(httpListen)),
            parse.GetRequiredValue(inventory),
            parse.GetValue(alsTarget) is { } target ? ParseTarget(target) : null,
            parse.GetValue(timeout),
            new FallbackRoutingOptions
            {
                Namespace = parse.GetRequiredValue(fallbackNamespace),
                ServiceName = parse.GetRequiredValue(serviceName),
                ClusterDomain = parse.GetRequiredValue(clusterDomain),
            },
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(
        IPEndPoint listen,
        IPEndPoint httpListen,
        string[] inventoryPaths,
        Uri? alsTarget,
        double timeoutSeconds,
        FallbackRoutingOptions routing,
        CancellationToken cancellationToken)
    {
        CommonOptions.RequireExisting("--inventory", inventoryPaths);
        if (timeoutSeconds <= 0)
        {
            throw new UsageException($"--timeout must be positive, not {timeoutSeconds}");
        }

        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .SetMinimumLevel(LogLevel.Information)

            // No per-request logs; and Kestrel's Http2DisabledWithHttp1AndNoTls warning is wrong here (h2c is detected).
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Yarp", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error));
        var logger = loggerFactory.CreateLogger("lazymesh.fallback");

        var index = MeshIndexBuilder.Build(InventoryLoader.Load(inventoryPaths), new MeshOptions { ClusterDomain = routing.ClusterDomain });
        logger.LogInformation("Inventory: {Services} services, {Pods} pods, {Workloads} workloads", index.Services.Count, index.Pods.Count, index.Workloads.Count);

        var metrics = new FallbackMetrics();
        await using var reporter = alsTarget is null ? null : new FallbackReporter(alsTarget, new FallbackReporterOptions(), metrics, loggerFactory);
        if (reporter is null)
        {
            logger.LogWarning("No --als-target: forwarded calls are not reported, so nothing is learned from them");
        }

        await using var proxy = new FallbackProxy(
            new MeshIndexHolder(index),
            new FallbackProxyOptions { Listen = listen, AdminListen = httpListen, ActivityTimeout = TimeSpan.FromSeconds(timeoutSeconds), Routing = routing },
            upstreamResolver: null,
            reporter,
            metrics,
            loggerFactory);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        await proxy.StartAsync(cancellationToken).ConfigureAwait(false);
        reporter?.Start();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Stopping");
        }

        return CliExitCodes.Success;
    }

    /// <summary><c>HOST:PORT</c> with an IP literal (IPv6 in brackets) or <c>localhost</c>; <c>*</c> for any.</summary>
    public static IPEndPoint ParseEndPoint(string option, string value)
    {
        var text = value.StartsWith("*:", StringComparison.Ordinal) ? "0.0.0.0" + value[1..] : value;
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1" + text["localhost".Length..];
        }

        if (!IPEndPoint.TryParse(text, out var endpoint) || !text.Contains(':', StringComparison.Ordinal) || text.EndsWith(']'))
        {
            throw new UsageException($"{option}: '{value}' is not HOST:PORT with an IP address");
        }

        return endpoint;
    }

    /// <summary><c>HOST:PORT</c> (a DNS name is fine) to <c>http://HOST:PORT</c>.</summary>
    public static Uri ParseTarget(string value)
    {
        if (!Uri.TryCreate("http://" + value, UriKind.Absolute, out var uri) || uri.IsDefaultPort || uri.AbsolutePath != "/")
        {
            throw new UsageException($"--als-target: '{value}' is not HOST:PORT");
        }

        return uri;
    }
}
