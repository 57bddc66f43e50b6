using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using k8s;
using k8s.Models;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using LazyMesh.Cli;
using LazyMesh.Controller;
using LazyMesh.Controller.Queue;
using LazyMesh.Kubernetes.Hosting;
using LazyMesh.KubeTesting;
using LazyMesh.Tests.Kubernetes.Informers;
using LazyMesh.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Controller;

/// <summary>
/// The controller on its Generic Host, in both modes: a host stop (what SIGTERM does) runs the final flush, and on
/// Kubernetes health answers while the informers cannot sync, and a stop then is a clean exit.
/// </summary>
public sealed class ControllerHostTests : IDisposable
{
    private const string ProductpageNode = "sidecar~10.244.1.10~productpage-v1-7d6cfb7dfd-5x9zq.bookinfo~bookinfo.svc.cluster.local";
    private const string DetailsHost = "bookinfo/details.bookinfo.svc.cluster.local";
    private const string WebNode = "sidecar~10.1.0.1~web-abc-0.shop~shop.svc.cluster.local";
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-host-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public ControllerHostTests()
    {
        Directory.CreateDirectory(_dir);
        File.Copy(Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "inventory.yaml"), Path.Combine(_dir, "inventory.yaml"));
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs));
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _logs.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task On_files_a_host_stop_flushes_the_write_that_waits_for_its_interval()
    {
        var output = Path.Combine(_dir, "out");
        var sidecar = Path.Combine(output, "bookinfo", "lazymesh-productpage-v1.yaml");
        var controller = new LazyMeshController(
            new ControllerOptions
            {
                InventoryPaths = [Path.Combine(_dir, "inventory.yaml")],
                OutputDirectory = output,
                MinWriteInterval = TimeSpan.FromHours(1),
                Als = new AlsServerOptions { PeerVerification = AlsPeerVerification.None },
            },
            _loggerFactory);
        await using (controller)
        {
            await controller.StartAsync();
            await SendAsync(controller.AlsEndPoint, HttpMessage(Identifier(ProductpageNode), Http("outbound|9080||details.bookinfo.svc.cluster.local", "details:9080", "10.244.1.10", "10.96.10.11", 9080)));

            // Learned, and its write waits an hour for the workload's interval.
            Assert.True(controller.IsPendingWrite(Workload(controller, "productpage-v1")));
            Assert.DoesNotContain(DetailsHost, await File.ReadAllTextAsync(sidecar));

            await controller.StopAsync();
            Assert.Contains(DetailsHost, await File.ReadAllTextAsync(sidecar));
            Assert.Contains("LazyMesh controller stopping: final flush within 10000 ms", _logs.Messages);
            Assert.DoesNotContain(_logs.Messages, m => m.StartsWith("final flush did not finish", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task On_kubernetes_a_host_stop_flushes_the_write_that_waits_for_its_interval()
    {
        await using var cluster = await ShopClusterAsync();
        await using var controller = new LazyMeshController(KubernetesMode(cluster, TimeSpan.FromHours(1)), _loggerFactory);
        await controller.StartAsync();
        await _logs.WaitForAsync(@"applied Sidecar shop/lazymesh-web \(0 learned hosts");
        await SendAsync(controller.AlsEndPoint, HttpMessage(Identifier(WebNode), Http("outbound|80||cart.shop.svc.cluster.local", "cart", "10.1.0.1", "10.96.1.2", 80)));
        Assert.True(controller.IsPendingWrite(Workload(controller, "web")));

        await controller.StopAsync();
        var sidecar = await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("networking.istio.io", "v1", "shop", "sidecars", "lazymesh-web");
        Assert.Contains("shop/cart.shop.svc.cluster.local", sidecar["spec"]!["egress"]![0]!["hosts"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Contains(_logs.Messages, m => m.StartsWith("applied Sidecar shop/lazymesh-web (1 learned hosts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_kubernetes_health_answers_while_the_informers_cannot_sync_and_a_stop_then_exits_0()
    {
        await using var cluster = await ShopClusterAsync();
        await cluster.Server.Faults.StartOutageAsync(mode: OutageMode.ServiceUnavailable);
        using var sigterm = new CancellationTokenSource();
        var run = ControllerCommand.RunAsync(KubernetesMode(cluster, TimeSpan.FromMilliseconds(250)), _loggerFactory, sigterm.Token);

        // Logged once the admin listener is bound, before the informers are started.
        var starting = await _logs.WaitForAsync(@"LazyMesh controller starting: http=\S+");
        var http = IPEndPoint.Parse(Regex.Match(starting, @"http=(\S+)").Groups[1].Value);
        using (var client = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"http://{http}/healthz"))).StatusCode);
            var readyz = await client.GetAsync(new Uri($"http://{http}/readyz"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
            Assert.Equal("not ready: the informers are syncing\n", await readyz.Content.ReadAsStringAsync());
        }

        Assert.False(run.IsCompleted);
        await sigterm.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(_logs.Messages, m => m.StartsWith("LazyMesh controller ready", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_files_and_kubernetes_the_controllers_metrics_are_made_by_its_hosts_meter_factory()
    {
        await using var cluster = await ShopClusterAsync();
        await using var files = new LazyMeshController(FilesOptions(), _loggerFactory);
        await using var kubernetes = new LazyMeshController(KubernetesMode(cluster, TimeSpan.FromMilliseconds(250)), _loggerFactory);

        foreach (var controller in new[] { files, kubernetes })
        {
            var hostFactory = controller.HostServices.GetRequiredService<IMeterFactory>();
            Assert.Same(hostFactory, controller.Metrics.Meter.Scope);
            Assert.Equal("LazyMesh.Controller", controller.Metrics.Meter.Name);
        }

        Assert.NotSame(files.HostServices.GetRequiredService<IMeterFactory>(), kubernetes.HostServices.GetRequiredService<IMeterFactory>());

        // Started, its /metrics exports what its parts measure on that meter, and not the host's own instruments.
        await files.StartAsync();
        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri($"http://{files.HttpEndPoint}/metrics"));
        Assert.Contains("lazymesh_queue_adds_total{queue=\"files\"}", text, StringComparison.Ordinal);
        Assert.Contains("lazymesh_edges ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kestrel", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controllers_on_one_embedding_applications_meter_factory_each_export_their_own_values()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var embedding = services.GetRequiredService<IMeterFactory>();
        await using var cluster = await ShopClusterAsync();
        await using var a = new LazyMeshController(FilesOptions(embedding), _loggerFactory);
        await using var b = new LazyMeshController(FilesOptions(embedding), _loggerFactory);
        await using var c = new LazyMeshController(KubernetesMode(cluster, TimeSpan.FromMilliseconds(250), embedding), _loggerFactory);

        // What the embedding application listens to on its factory sees every controller's queue.
        using var listener = new MeterListener();
        var adds = new Dictionary<Meter, long>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, embedding) && instrument.Name == "lazymesh_queue_adds_total")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => adds[instrument.Meter] = adds.GetValueOrDefault(instrument.Meter) + value);
        listener.Start();

        foreach (var controller in new[] { a, b, c })
        {
            Assert.Same(embedding, controller.Metrics.Meter.Scope);
            Assert.Same(embedding, controller.HostServices.GetRequiredService<IMeterFactory>());
        }

        a.Queue.Add(ControllerKey.Workload("shop/Deployment/web"));
        b.Queue.Add(ControllerKey.Workload("shop/Deployment/web"));
        b.Queue.Add(ControllerKey.Workload("shop/Deployment/cart"));
        c.Queue.Add(ControllerKey.Workload("shop/Deployment/web"));
        c.Queue.Add(ControllerKey.Workload("shop/Deployment/cart"));
        c.Queue.Add(ControllerKey.Workload("shop/Deployment/api"));

        Assert.Contains("lazymesh_queue_adds_total{queue=\"files\"} 1\n", await a.Metrics.ScrapeAsync(), StringComparison.Ordinal);
        Assert.Contains("lazymesh_queue_adds_total{queue=\"files\"} 2\n", await b.Metrics.ScrapeAsync(), StringComparison.Ordinal);
        Assert.Contains("lazymesh_queue_adds_total{queue=\"kubernetes\"} 3\n", await c.Metrics.ScrapeAsync(), StringComparison.Ordinal);
        Assert.Equal([1L, 2L, 3L], new[] { a, b, c }.Select(x => adds[x.Metrics.Meter]));
    }

    private static string Workload(LazyMeshController controller, string name) =>
        controller.Index.Workloads.Single(w => w.Key.EndsWith("/" + name, StringComparison.Ordinal)).Key;

    private ControllerMode KubernetesMode(InformerTestCluster cluster, TimeSpan minWriteInterval, IMeterFactory? meterFactory = null) => LazyMesh.Controller.Cluster.KubernetesMode.Create(
        cluster.Client,
        new KubernetesHostOptions
        {
            AlsEndPoint = AnyLoopbackPort,
            HttpEndPoint = AnyLoopbackPort,
            Als = new AlsServerOptions { PeerVerification = AlsPeerVerification.None },
            Controller = new LazyMesh.Kubernetes.Sink.KubernetesControllerOptions { MinWriteInterval = minWriteInterval },
            MeterFactory = meterFactory,
        },
        _loggerFactory);

    private ControllerOptions FilesOptions(IMeterFactory? meterFactory = null) => new()
    {
        InventoryPaths = [Path.Combine(_dir, "inventory.yaml")],
        OutputDirectory = Path.Combine(_dir, "out-" + Guid.NewGuid().ToString("N")),
        Als = new AlsServerOptions { PeerVerification = AlsPeerVerification.None },
        MeterFactory = meterFactory,
    };

    private static async Task<InformerTestCluster> ShopClusterAsync()
    {
        var cluster = await InformerTestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = "shop", Labels = new Dictionary<string, string> { ["lazymesh.io/enabled"] = "true" } },
        });
        await cluster.CreateDeploymentAsync("shop", "web", "10.1.0.1");
        await cluster.CreateDeploymentAsync("shop", "cart", "10.1.0.2");
        await cluster.CreateServiceAsync("shop", "cart", "10.96.1.2", "cart");
        return cluster;
    }
}
