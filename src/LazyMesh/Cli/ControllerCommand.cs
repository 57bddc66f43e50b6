using System.CommandLine;
using System.Net;
using LazyMesh.Als;
using LazyMesh.Controller;
using LazyMesh.Controller.Cluster;
using LazyMesh.Controller.Files;
using LazyMesh.Kubernetes.Hosting;
using LazyMesh.Kubernetes.Leadership;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.Kubernetes.State;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh controller</c>: the one controller, on files (inventory files in, Sidecar files out) or on a cluster.</summary>
public static class ControllerCommand
{
    public static Command Create()
    {
        var inventory = CommonOptions.Inventory(required: false);
        var outputDir = new Option<string?>("--output-dir") { Description = "On files: where Sidecars are written, DIR/<namespace>/<name>.yaml" };
        var kubeconfig = KubeClientFactory.KubeconfigOption();
        var context = KubeClientFactory.ContextOption();
        var ttl = new Option<string>("--ttl") { Description = "On Kubernetes: a learned host not seen for this long is expired (Go duration)", DefaultValueFactory = _ => "168h" };
        var grace = new Option<string>("--expiry-grace") { Description = "On Kubernetes: how long an expiring host is kept before it is removed (Go duration)", DefaultValueFactory = _ => "24h" };
        var writeRate = new Option<double>("--writes-per-second") { Description = "On Kubernetes: the global API write budget", DefaultValueFactory = _ => 20 };
        var leaseNamespace = new Option<string>("--lease-namespace") { Description = "On Kubernetes: namespace of the leader-election Lease", DefaultValueFactory = _ => "lazymesh-system" };
        var stateDir = new Option<string?>("--state-dir") { Description = "Where learned dependencies are persisted (default OUTPUT-DIR/.lazymesh)" };
        var alsListen = new Option<string>("--als-listen") { Description = "ALS gRPC (HTTP/2 cleartext) listen address", DefaultValueFactory = _ => "0.0.0.0:15800" };
        var httpListen = new Option<string>("--http-listen") { Description = "/healthz, /readyz and /metrics listen address", DefaultValueFactory = _ => "0.0.0.0:15801" };
        var maxMessage = new Option<int>("--max-message-bytes") { Description = "Largest ALS message accepted", DefaultValueFactory = _ => 4 * 1024 * 1024 };
        var maxStreams = new Option<int>("--max-streams") { Description = "Concurrent ALS streams accepted", DefaultValueFactory = _ => 1024 };
        var idle = new Option<int>("--idle-stream-seconds") { Description = "An ALS stream silent this long is ended", DefaultValueFactory = _ => 60 };
        var peerCheck = new Option<AlsPeerVerification>("--als-peer-check")
        {
            Description = "Whose entries an ALS stream may report: PodAddress (the peer must be the pod it reports for, or a fallback pod), " +
                "ClientCertificate (the controller runs with a sidecar: the peer's verified identity from x-forwarded-client-cert), " +
                "or None (credit everything: replaying files, trusted networks; see docs/security.md)",
            DefaultValueFactory = _ => AlsPeerVerification.PodAddress,
        };
        var maxStreamsPerPeer = new Option<int>("--max-streams-per-peer") { Description = "Concurrent ALS streams accepted from one peer address", DefaultValueFactory = _ => 64 };
        var maxStreamsPerConnection = new Option<int>("--max-streams-per-connection") { Description = "Concurrent ALS streams accepted on one HTTP/2 connection", DefaultValueFactory = _ => 16 };
        var allow = new Option<string[]>("--allow-sender") { Description = "Only accept ALS from these CIDRs (repeatable; default: anyone)" };
        var writeInterval = new Option<int>("--write-interval-ms") { Description = "At most one Sidecar write per workload per this many ms (the first is immediate)", DefaultValueFactory = _ => 250 };
        var logFormat = new Option<string>("--log-format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Minimum log level", DefaultValueFactory = _ => LogLevel.Information };
        var routing = new Option<bool>("--fallback-routing") { Description = "Also write the fallback's Service and an EnvoyFilter per lazy namespace, and import the fallback in every Sidecar", DefaultValueFactory = _ => true };
        var meshConfig = new Option<string?>("--mesh-config") { Description = "Istio MeshConfig YAML (the istio ConfigMap's data.mesh, or the whole ConfigMap); default: the istio ConfigMap in --istio-namespace (on Kubernetes, watched) or in the inventory, else Istio's defaults" };
        var istioNamespace = CommonOptions.IstioNamespace();
        var fallbackNamespace = new Option<string>("--fallback-namespace") { Description = "Namespace of the fallback proxy's Service", DefaultValueFactory = _ => FallbackRoutingOptions.DefaultNamespace };
        var clusterDomain = CommonOptions.ClusterDomain();
        var baseline = CommonOptions.BaselineHosts();
        var maxHosts = CommonOptions.MaxHostsPerWorkload();
        var prometheus = CommonOptions.Prometheus();
        var prometheusWindow = CommonOptions.PrometheusWindow("1h");
        var prometheusInterval = new Option<string>("--prometheus-interval") { Description = "How often --prometheus is queried (Go duration)", DefaultValueFactory = _ => "60s" };
        var command = new Command("controller", "Online: learn dependencies from Envoy ALS streams and keep each workload's Sidecar up to date, on files (--inventory, --output-dir) or on Kubernetes (--kubeconfig, KUBECONFIG or in-cluster)")
        {
            inventory, outputDir, kubeconfig, context, ttl, grace, writeRate, leaseNamespace, stateDir, alsListen, httpListen, maxMessage, maxStreams, idle, allow, peerCheck, maxStreamsPerPeer, maxStreamsPerConnection, writeInterval, logFormat, logLevel, routing, fallbackNamespace, clusterDomain, meshConfig, istioNamespace, baseline, maxHosts, prometheus, prometheusWindow, prometheusInterval,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var inventoryPaths = parse.GetValue(inventory) ?? [];
            var output = parse.GetValue(outputDir);
            var alsOptions = new AlsServerOptions
            {
                MaxReceiveMessageSize = Positive("--max-message-bytes", parse.GetValue(maxMessage)),
                MaxConcurrentStreams = Positive("--max-streams", parse.GetValue(maxStreams)),
                IdleStreamTimeout = TimeSpan.FromSeconds(Positive("--idle-stream-seconds", parse.GetValue(idle))),
                AllowedSenders = ParseCidrs(parse.GetValue(allow)),
                PeerVerification = parse.GetValue(peerCheck),
                MaxStreamsPerPeer = Positive("--max-streams-per-peer", parse.GetValue(maxStreamsPerPeer)),
                MaxStreamsPerConnection = Positive("--max-streams-per-connection", parse.GetValue(maxStreamsPerConnection)),
                Fallback = new FallbackRoutingOptions { Namespace = parse.GetRequiredValue(fallbackNamespace), ClusterDomain = parse.GetRequiredValue(clusterDomain) },
            };
            var meshOptions = CommonOptions.MeshOptions(parse.GetRequiredValue(clusterDomain), parse.GetValue(meshConfig)) with
            {
                MeshConfigNamespace = parse.GetRequiredValue(istioNamespace),
            };
            // Checked in both modes, so that a bad value is an error even where the option does not apply (files).
            var ttlValue = Duration("--ttl", parse.GetRequiredValue(ttl));
            var graceValue = Duration("--expiry-grace", parse.GetRequiredValue(grace));
            var metrics = CommonOptions.MetricsPolling(parse.GetValue(prometheus), parse.GetRequiredValue(prometheusWindow), Duration("--prometheus-interval", parse.GetRequiredValue(prometheusInterval)));
            if (inventoryPaths.Length == 0)
            {
                if (output is not null)
                {
                    throw new UsageException("--output-dir needs --inventory: on Kubernetes the Sidecars are written to the API");
                }

                var render = CommonOptions.RenderOptions(parse.GetValue(baseline));
                var host = new KubernetesHostOptions
                {
                    AlsEndPoint = EndpointParser.ParseListen("--als-listen", parse.GetRequiredValue(alsListen)),
                    HttpEndPoint = EndpointParser.ParseListen("--http-listen", parse.GetRequiredValue(httpListen)),
                    Als = alsOptions,
                    Mesh = meshOptions,
                    Prometheus = metrics,
                    Controller = new KubernetesControllerOptions
                    {
                        Sink = new KubernetesSinkOptions
                        {
                            Render = render,
                            Ttl = ttlValue,
                            ExpiryGrace = graceValue,
                            FallbackRouting = parse.GetValue(routing)
                                ? new FallbackRoutingOptions { Namespace = parse.GetRequiredValue(fallbackNamespace), ClusterDomain = parse.GetRequiredValue(clusterDomain) }
                                : null,
                        },
                        WritesPerSecond = parse.GetValue(writeRate) > 0 ? parse.GetValue(writeRate) : throw new UsageException("--writes-per-second must be positive"),
                        MaxHostsPerWorkload = Positive("--max-hosts", parse.GetValue(maxHosts)),
                        MinWriteInterval = TimeSpan.FromMilliseconds(Positive("--write-interval-ms", parse.GetValue(writeInterval))),
                        Leadership = new LeadershipOptions { Namespace = parse.GetRequiredValue(leaseNamespace) },
                    },
                };
                var client = KubeClientFactory.Create(parse.GetValue(kubeconfig), parse.GetValue(context));
                using var kubeLogging = Logging.Create(parse.GetRequiredValue(logFormat), parse.GetValue(logLevel));
                return await RunKubernetesAsync(client, host, kubeLogging, cancellationToken).ConfigureAwait(false);
            }

            CommonOptions.RequireExisting("--inventory", inventoryPaths);
            var options = new ControllerOptions
            {
                InventoryPaths = inventoryPaths,
                OutputDirectory = output ?? throw new UsageException("--output-dir is required with --inventory"),
                StateDirectory = parse.GetValue(stateDir),
                AlsEndPoint = EndpointParser.ParseListen("--als-listen", parse.GetRequiredValue(alsListen)),
                HttpEndPoint = EndpointParser.ParseListen("--http-listen", parse.GetRequiredValue(httpListen)),
                Als = alsOptions,
                Mesh = meshOptions,
                Render = CommonOptions.RenderOptions(parse.GetValue(baseline)),
                FallbackRouting = parse.GetValue(routing)
                    ? new FallbackRoutingOptions { Namespace = parse.GetRequiredValue(fallbackNamespace), ClusterDomain = parse.GetRequiredValue(clusterDomain) }
                    : null,
                MaxHostsPerWorkload = Positive("--max-hosts", parse.GetValue(maxHosts)),
                MinWriteInterval = TimeSpan.FromMilliseconds(Positive("--write-interval-ms", parse.GetValue(writeInterval))),
                Prometheus = metrics,
            };
            using var loggerFactory = Logging.Create(parse.GetRequiredValue(logFormat), parse.GetValue(logLevel));
            return await RunAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Task<int> RunAsync(ControllerOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        RunAsync(FilesMode.Create(options, loggerFactory), loggerFactory, cancellationToken);

    public static Task<int> RunKubernetesAsync(k8s.IKubernetes client, KubernetesHostOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        RunAsync(KubernetesMode.Create(client, options, loggerFactory), loggerFactory, cancellationToken);

    /// <summary>
    /// Runs the one controller on <paramref name="mode"/>, on its Generic Host, until SIGTERM, Ctrl+C (the host's
    /// console lifetime) or <paramref name="cancellationToken"/>; then stops with its final flush (cut at
    /// <see cref="ControllerMode.ShutdownTimeout"/>, still exit 0).
    /// </summary>
    public static async Task<int> RunAsync(ControllerMode mode, ILoggerFactory loggerFactory, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        await using var controller = new LazyMeshController(mode, loggerFactory, time);
        await controller.RunAsync(cancellationToken).ConfigureAwait(false);
        return CliExitCodes.Success;
    }

    private static TimeSpan Duration(string option, string value) =>
        GoDuration.TryParse(value, out var duration) && duration > TimeSpan.Zero
            ? duration
            : throw new UsageException($"{option}: '{value}' is not a positive duration like 168h or 90m");

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
