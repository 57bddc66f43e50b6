using LazyMesh.Attribution;
using LazyMesh.Cli;
using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.MetricsSource;
using LazyMesh.Tests.Support;
using Spectre.Console;

namespace LazyMesh.Tests.MetricsSource;

/// <summary>A real Prometheus server (Debian's prometheus) scraping Istio-shaped series; LazyMesh learns from its HTTP API.</summary>
public sealed class PrometheusLearningTests(PrometheusLearningTests.Fixture fixture) : IClassFixture<PrometheusLearningTests.Fixture>
{
    private const string Requests = "istio_requests_total";
    private const string Connections = "istio_tcp_connections_opened_total";
    private const string SentBytes = "istio_tcp_sent_bytes_total";
    private const string Details = "details.bookinfo.svc.cluster.local";
    private const string Reviews = "reviews.bookinfo.svc.cluster.local";
    private const string Ratings = "ratings.bookinfo.svc.cluster.local";

    private static readonly string InventoryPath = Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "inventory.yaml");

    /// <summary>
    /// Expected: productpage -> details (source-reported), productpage -> reviews (TCP), reviews-v2 -> ratings
    /// (destination-reported only), details -> ratings (a long-lived TCP connection: no connection opened in the window,
    /// but its bytes keep growing, so it is still seen and never expires while in use).
    /// </summary>
    private static readonly string[] ExpectedEdges =
    [
        "bookinfo/Deployment/details-v1 -> bookinfo/" + Ratings,
        "bookinfo/Deployment/productpage-v1 -> bookinfo/" + Details,
        "bookinfo/Deployment/productpage-v1 -> bookinfo/" + Reviews,
        "bookinfo/Deployment/reviews-v2 -> bookinfo/" + Ratings,
    ];

    private static MeshIndex Index() => MeshIndexBuilder.Build(InventoryLoader.Load([InventoryPath]), MeshOptions.Default);

    [RequiresCommandFact("prometheus")]
    public async Task Learns_edges_from_istio_metrics_through_the_query_api()
    {
        var server = await fixture.ServerAsync();
        var store = new DependencyStore();
        var result = await new MetricsLearner(new PrometheusClient(server.Address), new PrometheusWindow("1h", TimeSpan.FromHours(1)))
            .LearnAsync(Index(), (s, d, seen) => store.Learn(s, d, seen, LearnedVia.Metrics), DateTimeOffset.UtcNow, CancellationToken.None);

        var learned = store.Snapshot().SelectMany(w => w.Snapshot().Select(h => $"{w.WorkloadKey} -> {h.Host}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ExpectedEdges, learned);
        Assert.All(store.Snapshot().SelectMany(static w => w.Snapshot()), h => Assert.Equal(LearnedVia.Metrics, h.Via));
        Assert.Equal(4, result.New);
        // "unknown" source (destination-reported, no peer metadata) and a workload the inventory lacks: never guessed.
        Assert.Equal(2, result.Skipped[SkipReason.UnknownSource]);
        Assert.Equal(1, result.Skipped[SkipReason.UnknownDestination]);
    }

    [RequiresCommandFact("prometheus")]
    public async Task Recommend_with_prometheus_writes_sidecars_that_validate()
    {
        var server = await fixture.ServerAsync();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        var polling = CommonOptions.MetricsPolling(server.Address.ToString(), "1h", TimeSpan.Zero);
        Assert.Equal(0, RecommendCommand.Run([InventoryPath], [], null, "cluster.local", null, 500, false, stdout, console, prometheus: polling));

        var yaml = stdout.ToString();
        Assert.Contains("- bookinfo/" + Details, yaml, StringComparison.Ordinal);
        Assert.Contains("- bookinfo/" + Ratings, yaml, StringComparison.Ordinal);
        foreach (var document in yaml.Split("\n---", StringSplitOptions.RemoveEmptyEntries).Where(static d => d.Contains("kind: Sidecar", StringComparison.Ordinal)))
        {
            Assert.Empty(IstioCrdSchemas.Validate("Sidecar", document));
        }

        Assert.Contains("4 new edges", stderr.ToString(), StringComparison.Ordinal);
    }

    [RequiresCommandFact("prometheus")]
    public async Task Controller_learns_from_prometheus_and_writes_the_sidecar()
    {
        var server = await fixture.ServerAsync();
        var dir = Directory.CreateTempSubdirectory("lazymesh-ctlprom-").FullName;
        try
        {
            await using var controller = LazyMeshProcess.Start(
                "controller", "--inventory", InventoryPath, "--output-dir", Path.Combine(dir, "out"), "--als-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                "--prometheus", server.Address.ToString(), "--prometheus-window", "1h", "--prometheus-interval", "2s");
            await controller.WaitForControllerReadyAsync();
            await controller.WaitForLineAsync("learned dependency bookinfo/Deployment/reviews-v2 -> bookinfo/" + Ratings);
            await controller.WaitForLineAsync(@"wrote Sidecar bookinfo/lazymesh-reviews-v2 \(1 learned hosts");
            var yaml = await File.ReadAllTextAsync(Path.Combine(dir, "out", "bookinfo", "lazymesh-reviews-v2.yaml"));
            Assert.Contains("- bookinfo/" + Ratings, yaml, StringComparison.Ordinal);
            Assert.Equal(0, await controller.TerminateAsync());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Unreachable_prometheus_is_a_clear_error()
    {
        var client = new PrometheusClient(new Uri("http://127.0.0.1:1/"));
        var ex = await Assert.ThrowsAsync<PrometheusQueryException>(() => client.QueryAsync("up", DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Contains("http://127.0.0.1:1/ is not reachable", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("1h30m", 90)]
    [InlineData("90m", 90)]
    public void Window_parses_prometheus_durations(string text, int minutes)
    {
        Assert.True(PrometheusWindow.TryParse(text, out var window));
        Assert.Equal(TimeSpan.FromMinutes(minutes), window.Duration);
        Assert.Equal($"sum by (source_workload, source_workload_namespace, destination_service, destination_service_namespace, reporter) (increase(istio_requests_total[{text}])) > 0", IstioMetricQueries.Query(Requests, window));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("7 days")]
    [InlineData("0s")]
    public void Window_refuses_what_prometheus_would_refuse(string text) => Assert.False(PrometheusWindow.TryParse(text, out _));

    /// <summary>The exporter and the Prometheus server, started once; <see cref="ServerAsync"/> waits (bounded) until the series have grown.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly IstioShapedExporter _exporter = new IstioShapedExporter()
            .Add(Requests, "source", "productpage-v1", "bookinfo", Details, "bookinfo")
            .Add(Requests, "destination", "productpage-v1", "bookinfo", Details, "bookinfo")
            .Add(Connections, "source", "productpage-v1", "bookinfo", Reviews, "bookinfo")
            .Add(Requests, "destination", "reviews-v2", "bookinfo", Ratings, "bookinfo")
            .Add(Requests, "destination", "unknown", "unknown", Ratings, "bookinfo")
            .Add(Requests, "source", "ghost", "bookinfo", Ratings, "bookinfo")
            .Add(Requests, "source", "ratings-v1", "bookinfo", "nowhere.example.com", "unknown")
            .Add(Requests, "source", "reviews-v1", "bookinfo", Ratings, "bookinfo", grows: false)
            .Add(Connections, "source", "details-v1", "bookinfo", Ratings, "bookinfo", grows: false)
            .Add(SentBytes, "source", "details-v1", "bookinfo", Ratings, "bookinfo");

        private PrometheusServer? _server;
        private Task<PrometheusServer>? _ready;

        public Task<PrometheusServer> ServerAsync() => _ready ??= WaitForSeriesAsync();

        public async Task InitializeAsync()
        {
            if (ExternalCommand.Find("prometheus") is null)
            {
                return;
            }

            await _exporter.StartAsync(CancellationToken.None);
            _server = await PrometheusServer.StartAsync([_exporter.EndPoint.ToString()], CancellationToken.None);
        }

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }

            await _exporter.DisposeAsync();
        }

        private async Task<PrometheusServer> WaitForSeriesAsync()
        {
            var server = _server ?? throw new InvalidOperationException("prometheus is not running");
            var client = new PrometheusClient(server.Address);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var window = new PrometheusWindow("1h", TimeSpan.FromHours(1));
            while (true)
            {
                // Every growing series has at least two samples once this returns all seven of them.
                var requests = await client.QueryAsync(IstioMetricQueries.Query(Requests, window), DateTimeOffset.UtcNow, timeout.Token);
                var connections = await client.QueryAsync(IstioMetricQueries.Query(Connections, window), DateTimeOffset.UtcNow, timeout.Token);
                var bytes = await client.QueryAsync(IstioMetricQueries.Query(SentBytes, window), DateTimeOffset.UtcNow, timeout.Token);
                if (requests.Count == 6 && connections.Count == 1 && bytes.Count == 1)
                {
                    return server;
                }

                await Task.Delay(250, timeout.Token);
            }
        }
    }
}
