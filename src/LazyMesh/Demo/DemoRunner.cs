using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LazyMesh.Controller;
using LazyMesh.Fallback;
using LazyMesh.Inventory;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Reporting;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace LazyMesh.Demo;

/// <summary>
/// <c>lazymesh demo</c>: the whole loop on one machine. The controller (on files, in a temporary
/// directory), the fallback proxy and Bookinfo's services run for real on 127.0.0.x; the demo plays
/// the lazy sidecars: a call goes through the fallback while the caller's Sidecar lacks the
/// destination and directly once the controller has written it.
/// </summary>
public sealed class DemoRunner
{
    private readonly DemoOptions _options;
    private readonly IAnsiConsole _console;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<(string, string), TimeSpan> _firstFallback = new();
    private readonly ConcurrentDictionary<(string, string), byte> _firstDirect = new();
    private readonly ConcurrentDictionary<(string, string), TimeSpan> _learned = new();

    // A sidecar can see its new Sidecar file (and call directly) before the controller's event that reports the
    // write has been printed: a "now direct" line waits here for its "learned" line, so the story reads in order.
    private readonly Lock _story = new();
    private readonly Dictionary<(string, string), string> _directBeforeLearned = [];
    private long _calls;
    private long _fallbackCalls;
    private long _failedCalls;

    public DemoRunner(DemoOptions options, IAnsiConsole console)
    {
        _options = options;
        _console = console;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("lazymesh-demo-").FullName;
        try
        {
            return await RunInAsync(dir, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!_options.KeepRunning)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private async Task<int> RunInAsync(string dir, CancellationToken cancellationToken)
    {
        var topology = new DemoTopology(FreePort(IPAddress.Parse("127.0.0.11")));
        var routing = FallbackRoutingOptions.Default;
        var inventoryPath = Path.Combine(dir, "inventory.yaml");
        var inventory = DemoInventory.Render(topology, _options.ExtraServices, routing.Namespace);
        var fallbackService = FallbackServiceRenderer.Render(MeshIndexBuilder.Build(InventoryLoader.LoadText(inventory)), routing);
        fallbackService.Spec.ClusterIP = "127.0.1.100";
        await File.WriteAllTextAsync(inventoryPath, inventory + "---\n" + ResourceYaml.Serialize(fallbackService), cancellationToken).ConfigureAwait(false);
        var output = Path.Combine(dir, "sidecars");
        Say($"LazyMesh demo: Bookinfo on 127.0.0.11-16 in a mesh of {_options.ExtraServices + 5} services; working directory {dir}");

        await using var controller = new LazyMeshController(
            new ControllerOptions
            {
                InventoryPaths = [inventoryPath],
                OutputDirectory = output,
                AlsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                FallbackRouting = routing,
            },
            NullLoggerFactory.Instance);
        controller.DependencyPersisted += OnPersisted;
        await controller.StartAsync(cancellationToken).ConfigureAwait(false);
        Say($"controller: ALS on {controller.AlsEndPoint}, metrics on http://{controller.HttpEndPoint}/metrics, Sidecars in {output}");

        var index = new MeshIndexHolder(MeshIndexBuilder.Build(InventoryLoader.Load([inventoryPath])));
        await using var reporter = new FallbackReporter(new Uri($"http://{controller.AlsEndPoint}"));
        reporter.Start();
        await using var fallback = new FallbackProxy(
            index,
            new FallbackProxyOptions
            {
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                AdminListen = new IPEndPoint(IPAddress.Loopback, 0),

                // The demo has no mTLS and its "cluster" lives on 127.0.0.x: believe the simulated sidecars' source header.
                CallerIdentity = FallbackCallerIdentity.SourceHeader,
                AllowLoopbackDestinations = true,
            },
            new DemoUpstreamResolver(topology),
            reporter);
        await fallback.StartAsync(cancellationToken).ConfigureAwait(false);
        Say($"fallback: listening on {fallback.BoundEndPoint}, reporting to the controller over ALS");

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        await using var app = new BookinfoApp();
        await app.StartAsync(
            topology,
            pod => new DemoSidecar(pod, topology, SidecarPath(index.Current, output, pod), fallback.BoundEndPoint, http, OnCall),
            cancellationToken).ConfigureAwait(false);
        Say("bookinfo: productpage, details, reviews v1/v2/v3 and ratings are up; sending traffic to productpage");

        var converged = await DriveAsync(topology, http, cancellationToken).ConfigureAwait(false);
        PrintSidecars(output);
        PrintSavings(inventoryPath, output);
        var ok = converged && Interlocked.Read(ref _failedCalls) == 0;
        _console.MarkupLine(ok
            ? $"[green]done[/]: {_learned.Count} dependencies learned, {Interlocked.Read(ref _calls)} calls ({Interlocked.Read(ref _fallbackCalls)} through the fallback), 0 failed, in {_clock.Elapsed.TotalSeconds:0.0} s"
            : $"[red]failed[/]: converged={converged}, {Interlocked.Read(ref _failedCalls)} failed calls");

        if (ok && _options.KeepRunning)
        {
            var productpage = topology.PodsOf("productpage")[0];
            Say($"still running: curl http://{productpage.Ip}:{topology.PodPort}/productpage ; Ctrl+C to stop");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return ok ? 0 : 1;
    }

    /// <summary>Calls productpage until every dependency is learned and a whole round went direct.</summary>
    private async Task<bool> DriveAsync(DemoTopology topology, HttpClient http, CancellationToken cancellationToken)
    {
        var expected = topology.ExpectedEdges();
        var productpage = topology.PodsOf("productpage")[0];
        var deadline = _clock.Elapsed + _options.Timeout;
        while (_clock.Elapsed < deadline && !cancellationToken.IsCancellationRequested)
        {
            var fallbackBefore = Interlocked.Read(ref _fallbackCalls);
            var allLearned = expected.All(e => _learned.ContainsKey(e));

            // Three requests per round: productpage's sidecar balances over reviews v1, v2 and v3.
            for (var i = 0; i < 3; i++)
            {
                try
                {
                    using var response = await http.GetAsync($"http://{productpage.Ip}:{topology.PodPort}/productpage", cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref _failedCalls);
                    }
                }
                catch (HttpRequestException ex)
                {
                    Interlocked.Increment(ref _failedCalls);
                    _console.MarkupLine($"[red]request failed[/]: {Markup.Escape(ex.Message)}");
                }
            }

            if (allLearned && Interlocked.Read(ref _fallbackCalls) == fallbackBefore)
            {
                Say("a whole round of calls went direct: every sidecar now knows its dependencies");
                return true;
            }

            // Traffic pacing, like a user clicking: the loop's progress is driven by the controller's events.
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private void OnCall(DemoCall call)
    {
        Interlocked.Increment(ref _calls);
        if (call.StatusCode >= 400)
        {
            Interlocked.Increment(ref _failedCalls);
        }

        var key = ($"{DemoTopology.Namespace}/Deployment/{call.Workload}", $"{DemoTopology.Namespace}/{call.Destination}");
        if (call.Route == RouteTaken.Fallback)
        {
            Interlocked.Increment(ref _fallbackCalls);
            if (_firstFallback.TryAdd(key, _clock.Elapsed))
            {
                Say($"{call.Workload} -> {ShortName(call.Destination)}: not in its Sidecar yet, served by the fallback ({call.StatusCode}, {call.Elapsed.TotalMilliseconds:0.0} ms)");
            }
        }
        else if (_firstDirect.TryAdd(key, 0))
        {
            var line = $"{call.Workload} -> {ShortName(call.Destination)}: now direct ({call.StatusCode}, {call.Elapsed.TotalMilliseconds:0.0} ms)";
            lock (_story)
            {
                if (_learned.ContainsKey(key))
                {
                    Say(line);
                }
                else
                {
                    _directBeforeLearned[key] = line;
                }
            }
        }
    }

    private void OnPersisted(DependencyPersisted persisted)
    {
        var key = (persisted.WorkloadKey, persisted.Host);
        lock (_story)
        {
            if (_learned.TryAdd(key, _clock.Elapsed))
            {
                var sinceFirstCall = _firstFallback.TryGetValue(key, out var first) ? $"{(_clock.Elapsed - first).TotalMilliseconds:0} ms after its first call" : "restored";
                Say($"[green]learned[/] {Markup.Escape(persisted.WorkloadKey)} -> {Markup.Escape(persisted.Host)}: in its Sidecar {sinceFirstCall} ({persisted.Latency.TotalMilliseconds:0.0} ms from the report's arrival to disk)", markup: true);
            }

            if (_directBeforeLearned.Remove(key, out var direct))
            {
                Say(direct);
            }
        }
    }

    private void PrintSidecars(string output)
    {
        lock (_story)
        {
            foreach (var line in _directBeforeLearned.Values)
            {
                Say(line);
            }

            _directBeforeLearned.Clear();
        }

        _console.WriteLine();
        _console.MarkupLine("[bold]Generated Sidecars (bookinfo)[/]");
        foreach (var file in Directory.GetFiles(Path.Combine(output, DemoTopology.Namespace), "*.yaml").Order(StringComparer.Ordinal))
        {
            _console.WriteLine($"# {Path.GetFileName(file)}");
            _console.WriteLine(File.ReadAllText(file).TrimEnd());
        }
    }

    private void PrintSavings(string inventoryPath, string output)
    {
        var index = MeshIndexBuilder.Build(Cli.ReportCommand.WithSidecars(InventoryLoader.Load([inventoryPath]), output, TextWriter.Null));
        var report = SavingsCalculator.Compute(index, static w => w.Namespace == DemoTopology.Namespace);
        _console.WriteLine();
        var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape($"What the Bookinfo sidecars import, full mesh ({HumanNumbers.Count(index.Services.Count)} services) vs lazy; Envoy memory and xDS bytes computed against {report.Costs.Source}"))
            .AddColumn("Workload").AddColumn(new TableColumn("Clusters").RightAligned()).AddColumn(new TableColumn("Endpoints").RightAligned())
            .AddColumn(new TableColumn("HTTP vhosts").RightAligned()).AddColumn(new TableColumn("Est. Envoy memory").RightAligned());
        foreach (var row in report.Workloads)
        {
            table.AddRow(row.Name, Arrow(row.Full.Clusters, row.Scoped.Clusters), Arrow(row.Full.Endpoints, row.Scoped.Endpoints), Arrow(row.Full.HttpVirtualHosts, row.Scoped.HttpVirtualHosts), $"{Mib(row.Full.EstimatedMemoryBytes)} -> {Mib(row.Scoped.EstimatedMemoryBytes)}");
        }

        table.AddRow("[bold]total[/]", Arrow(report.TotalFull.Clusters, report.TotalScoped.Clusters), Arrow(report.TotalFull.Endpoints, report.TotalScoped.Endpoints), Arrow(report.TotalFull.HttpVirtualHosts, report.TotalScoped.HttpVirtualHosts), $"{Mib(report.TotalFull.EstimatedMemoryBytes)} -> {Mib(report.TotalScoped.EstimatedMemoryBytes)} (-{report.MemoryReductionPercent.ToString("0.0", CultureInfo.InvariantCulture)}%)");
        _console.Write(table);
        foreach (var line in SavingsSummary.Lines(report))
        {
            _console.WriteLine(line);
        }
    }

    private static string Arrow(long full, long scoped) => $"{HumanNumbers.Count(full)} -> {HumanNumbers.Count(scoped)}";

    private static string SidecarPath(MeshIndex index, string output, DemoPod pod)
    {
        var workload = index.FindWorkload($"{DemoTopology.Namespace}/Deployment/{pod.Workload}") ?? throw new InvalidOperationException($"demo inventory lacks {pod.Workload}");
        return Path.Combine(output, DemoTopology.Namespace, SidecarNames.For(workload) + ".yaml");
    }

    private static int FreePort(IPAddress address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string ShortName(string fqdn) => fqdn[..fqdn.IndexOf('.', StringComparison.Ordinal)];

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("#,0.0", CultureInfo.InvariantCulture) + " MiB";

    private void Say(string text, bool markup = false) =>
        _console.MarkupLine($"[grey]+{_clock.Elapsed.TotalSeconds,5:0.00}s[/] {(markup ? text : Markup.Escape(text))}");
}
